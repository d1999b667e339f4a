/** What every module gets from the app (built once in app.ts), and the Fastify type augmentations. */
import type { Permission, Role } from '../../domain/access.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Actor, AuditService } from './audit.ts';
import type { FieldCipher } from './field-cipher.ts';
import type { FileStore } from './files.ts';
import type { JobService } from './jobs.ts';
import type { KeyProvider } from './keys.ts';
import type { NotificationService } from './notifications.ts';
import type { RegionIndex } from './region-index.ts';
import type { Scope } from './scope.ts';
import type { SettingsService } from './settings.ts';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface AppDeps {
  config: Config;
  database: Database;
  keys: KeyProvider;
  cipher: FieldCipher;
  audit: AuditService;
  regions: RegionIndex;
  settings: SettingsService;
  notifications: NotificationService;
  files: FileStore;
  jobs: JobService;
  clock: Clock;
  /** Set when SIGTERM arrived: readiness answers 503. */
  draining: boolean;
}

export interface AuthContext {
  sessionId: string;
  user: {
    id: string;
    username: string;
    displayName: string;
    role: Role;
    orgId: string | null;
    scopeRegionCode: string | null;
    mustChangePassword: boolean;
    /** The security policy requires TOTP for this role and the user has not enrolled yet (issue #16). */
    mfaEnrolmentRequired: boolean;
  };
  scope: Scope;
  permissions: readonly Permission[];
}

/**
 * Every route declares who may call it: a permission key, `authenticated` (any signed-in user), or
 * `public`. Routes that take a record id also name the entity so the scope sweep test can probe them.
 */
export type RouteAccess = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** The kind of record an `:id` param names (for the cross-scope sweep). */
    entity?: string;
    /** Callable while the user must change their password (or must still enrol a second factor). */
    allowDuringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
    /** A session cookie was presented but had expired. */
    sessionExpired: boolean;
    actor(): Actor;
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}
