/**
 * Authentication and authorisation plumbing: argon2id password hashes, server-side sessions in PostgreSQL
 * behind an httpOnly SameSite=Lax cookie, a double-submit CSRF token, and the hook that enforces every
 * route's declared access (deny by default, security.md AC-01).
 */
import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, permissionsOf, ROLE_SCOPE, type Role, totpRequiredFor } from '../../domain/access.ts';
import { sessions, users } from '../db/schema/index.ts';
import type { AuthContext } from './context.ts';
import { AppError } from './errors.ts';
import type { RegionIndex } from './region-index.ts';
import type { Scope } from './scope.ts';

export const SESSION_COOKIE = 'miaopu_sid';
export const CSRF_COOKIE = 'miaopu_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** argon2id, OWASP's minimum profile (19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(stored, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | null = null;
/** Spends the same time as a real check when the user does not exist. */
export async function burnPasswordCheck(password: string) {
  dummyHash ??= hashPassword('miaopu-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function buildScope(
  regions: RegionIndex,
  user: { id: string; role: Role; orgId: string | null; scopeRegionCode: string | null },
): Scope {
  const kind = ROLE_SCOPE[user.role];
  return {
    userId: user.id,
    role: user.role,
    kind,
    rootRegion: user.scopeRegionCode,
    regionCodes: kind === 'region' && user.scopeRegionCode ? regions.subtree(user.scopeRegionCode) : [],
    orgId: user.orgId,
  };
}

/** How long a fresh TOTP code (step-up) covers PII reveal and bulk export. */
export const STEP_UP_MINUTES = 5;

/**
 * Step-up check for sensitive reads (issue #16): a user who has a second factor must have confirmed a fresh code
 * (`POST /api/v1/auth/step-up`) within the last few minutes, else 403 `STEP_UP_REQUIRED`. Users without TOTP pass
 * (when the policy requires TOTP they cannot get here without enrolling). Call it first in the route handler.
 */
export async function requireStepUp(req: FastifyRequest): Promise<void> {
  const auth = req.auth;
  if (!auth) throw new AppError('UNAUTHENTICATED');
  const { db } = req.server.deps.database;
  const [row] = await db
    .select({ enabled: users.totpEnabledAt, until: sessions.stepUpUntil })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, auth.sessionId));
  if (!row?.enabled) return;
  if (!row.until || row.until.getTime() <= req.server.deps.clock.now().getTime()) {
    throw new AppError('STEP_UP_REQUIRED', {}, { stepUp: true });
  }
}

function cookieOptions(req: FastifyRequest, httpOnly: boolean) {
  const secure = req.protocol === 'https' || req.server.deps.config.profile === 'production';
  return { path: '/', httpOnly, sameSite: 'lax' as const, secure };
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(req, true));
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(req, true));
}

/** Issues the CSRF cookie when missing and returns its value. */
export function ensureCsrfCookie(req: FastifyRequest, reply: FastifyReply): string {
  const existing = req.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{20,100}$/.test(existing)) return existing;
  const token = newToken();
  reply.setCookie(CSRF_COOKIE, token, cookieOptions(req, false));
  return token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string) {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && crypto.timingSafeEqual(ba, bb);
}

function originAllowed(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (req.server.deps.config.allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Loads the session (if any), then enforces CSRF and the route's declared access. */
export function installAuthHooks(app: FastifyInstance) {
  app.decorateRequest('auth', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('actor', function (this: FastifyRequest) {
    return {
      userId: this.auth?.user.id ?? null,
      username: this.auth?.user.username ?? null,
      role: this.auth?.user.role ?? null,
      ip: this.ip,
      requestId: this.id,
    };
  });

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1/')) return;
    const access = req.routeOptions.config?.access;
    if (!access) return; // unknown route: the not-found handler answers

    if (UNSAFE.has(req.method)) {
      const cookie = req.cookies[CSRF_COOKIE];
      const header = req.headers[CSRF_HEADER];
      if (!originAllowed(req) || !cookie || typeof header !== 'string' || !sameToken(cookie, header)) {
        throw new AppError('CSRF_FAILED');
      }
    }

    await loadSession(req);
    if (access === 'public') return;
    if (!req.auth) throw new AppError(req.sessionExpired ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
    if (req.auth.user.mustChangePassword && !req.routeOptions.config.allowDuringPasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
    if (req.auth.user.mfaEnrolmentRequired && !req.routeOptions.config.allowDuringPasswordChange) {
      throw new AppError('MFA_ENROLMENT_REQUIRED');
    }
    if (access !== 'authenticated' && !can(req.auth.user.role, access)) throw new AppError('FORBIDDEN');
  });
}

async function loadSession(req: FastifyRequest) {
  const token = req.cookies[SESSION_COOKIE];
  if (!token || token.length > 100) return;
  const deps = req.server.deps;
  const { db } = deps.database;
  const id = sessionIdOf(token);
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  const row = rows[0];
  if (!row) {
    req.sessionExpired = true;
    return;
  }
  const now = deps.clock.now();
  const security = await deps.settings.security(db);
  const idleMs = security.idleTimeoutMinutes * 60_000;
  if (
    row.user.status !== 'active' ||
    row.session.expiresAt.getTime() <= now.getTime() ||
    now.getTime() - row.session.lastSeenAt.getTime() > idleMs
  ) {
    await db.delete(sessions).where(eq(sessions.id, id));
    req.sessionExpired = true;
    return;
  }
  // Background polls (the notification bell) do not count as activity, or an unattended tab never idles out.
  const poll = req.headers['x-miaopu-poll'] === '1';
  if (!poll && now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  const u = row.user;
  const ctx: AuthContext = {
    sessionId: id,
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      orgId: u.orgId,
      scopeRegionCode: u.scopeRegionCode,
      mustChangePassword: u.mustChangePassword,
      mfaEnrolmentRequired: security.totpRequiredForStaff && totpRequiredFor(u.role) && !u.totpEnabledAt,
    },
    scope: buildScope(deps.regions, u),
    permissions: permissionsOf(u.role),
  };
  req.auth = ctx;
}

/**
 * Login lockout per (account, client IP) (issue #16, decision 0021): failures from one address lock the account
 * for that address only, so nobody can lock an official out from elsewhere. `lockoutThreshold` consecutive
 * failures lock for `lockoutMinutes`, each further lockout from the same address for twice as long (at most a
 * day); a good login from the address clears its count, and a quiet day forgets earlier lockouts.
 */
export interface LoginLockoutSettings {
  lockoutThreshold: number;
  lockoutMinutes: number;
}

const MAX_LOCKOUT_MINUTES = 24 * 60;
const LOCKOUT_MEMORY_MS = 24 * 3_600_000;

type RawExecutor = { execute: (q: ReturnType<typeof sql>) => Promise<unknown> };

function rowsOf(r: unknown): Record<string, unknown>[] {
  return ((r as { rows?: Record<string, unknown>[] }).rows ?? []) as Record<string, unknown>[];
}

/** When the account is locked for this address: the end of the lockout, else null. */
export async function loginLockedUntil(
  db: RawExecutor,
  userId: string,
  ipOrNull: string | null,
  now: Date,
): Promise<Date | null> {
  const ip = ipOrNull ?? '';
  const r = await db.execute(
    sql`SELECT locked_until FROM login_failures WHERE user_id = ${userId} AND ip = ${ip} AND locked_until > ${now.toISOString()}::timestamptz`,
  );
  const v = rowsOf(r)[0]?.locked_until;
  return v ? new Date(v as string) : null;
}

/** Counts one failure for (account, address); returns the consecutive count and the lockout it started, if any. */
export async function recordLoginFailure(
  tx: RawExecutor,
  userId: string,
  ipOrNull: string | null,
  now: Date,
  settings: LoginLockoutSettings,
): Promise<{ failures: number; lockedMinutes: number | null }> {
  const ip = ipOrNull ?? '';
  const forgetBefore = new Date(now.getTime() - LOCKOUT_MEMORY_MS).toISOString();
  const r = await tx.execute(
    sql`INSERT INTO login_failures AS f (user_id, ip, failures, lockouts, updated_at)
        VALUES (${userId}, ${ip}, 1, 0, ${now.toISOString()}::timestamptz)
        ON CONFLICT (user_id, ip) DO UPDATE SET
          failures = f.failures + 1,
          lockouts = CASE WHEN f.updated_at < ${forgetBefore}::timestamptz THEN 0 ELSE f.lockouts END,
          updated_at = EXCLUDED.updated_at
        RETURNING failures, lockouts`,
  );
  const row = rowsOf(r)[0] ?? {};
  const failures = Number(row.failures ?? 1);
  const lockouts = Number(row.lockouts ?? 0);
  if (failures < settings.lockoutThreshold) return { failures, lockedMinutes: null };
  const minutes = Math.min(
    Math.max(settings.lockoutMinutes, MAX_LOCKOUT_MINUTES),
    settings.lockoutMinutes * 2 ** Math.min(lockouts, 20),
  );
  const until = new Date(now.getTime() + minutes * 60_000).toISOString();
  await tx.execute(
    sql`UPDATE login_failures SET failures = 0, lockouts = lockouts + 1, locked_until = ${until}::timestamptz
        WHERE user_id = ${userId} AND ip = ${ip}`,
  );
  return { failures, lockedMinutes: minutes };
}

/** A good login from this address: its failure count and lockout history start again. */
export async function clearLoginFailures(tx: RawExecutor, userId: string, ip: string | null) {
  await tx.execute(sql`DELETE FROM login_failures WHERE user_id = ${userId} AND ip = ${ip ?? ''}`);
}
