/**
 * Authentication and authorisation plumbing: argon2id password hashes, server-side sessions in PostgreSQL
 * behind an httpOnly SameSite=Lax cookie, a double-submit CSRF token, and the hook that enforces every
 * route's declared access (deny by default, security.md AC-01).
 */
import crypto from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, permissionsOf, ROLE_SCOPE, type Role } from '../../domain/access.ts';
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
    },
    scope: buildScope(deps.regions, u),
    permissions: permissionsOf(u.role),
  };
  req.auth = ctx;
}
