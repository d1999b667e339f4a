/** Identity use cases: login with lockout, logout, password change, user and org administration. */
import crypto from 'node:crypto';
import { and, count, eq, ilike, inArray, ne, or, sql } from 'drizzle-orm';
import { isAdminRole, ROLE_SCOPE, type Role, totpRequiredFor } from '../../../domain/access.ts';
import { checkPassword, describeViolation, passwordExpired } from '../../../domain/password-policy.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { orgs, regions, sessions, users } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import {
  buildScope,
  burnPasswordCheck,
  clearLoginFailures,
  hashPassword,
  loginLockedUntil,
  newToken,
  recordLoginFailure,
  sessionIdOf,
  verifyPassword,
} from '../../platform/auth.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/messages.ts';
import { likePattern, orderBy } from '../../platform/paging.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';
import { passwordPolicyOf } from '../../platform/settings.ts';
import { consumeTotp, newTotpSecret, totpQrSvg, totpUri } from './totp.ts';

export interface LoginResult {
  token: string;
  userId: string;
}

export async function login(
  deps: AppDeps,
  actor: Actor,
  username: string,
  password: string,
  userAgent?: string,
  totpCode?: string,
): Promise<LoginResult> {
  const { db } = deps.database;
  const now = deps.clock.now();
  const security = await deps.settings.security(db);
  const failure = new AppError('AUTH_FAILED', {
    threshold: security.lockoutThreshold,
    minutes: security.lockoutMinutes,
  });
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);

  if (!user) {
    await burnPasswordCheck(password);
    await deps.audit.writeAlone(db, actor, {
      action: 'auth.login',
      result: 'failure',
      summary: { username: username.slice(0, 64), reason: 'unknown_user' },
    });
    throw failure;
  }
  const who = { ...actor, userId: user.id, username: user.username, role: user.role };
  // Lockout per (account, client IP), decision 0021: failures elsewhere do not lock this address out.
  const locked = !!(await loginLockedUntil(db, user.id, actor.ip, now));
  // An account that was never activated (or was reset) has no usable password: only `auth/activate` opens it.
  if (locked || user.status !== 'active' || user.activationHash) {
    await burnPasswordCheck(password);
    await deps.audit.writeAlone(db, who, {
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
      result: 'failure',
      summary: { reason: locked ? 'locked' : user.status !== 'active' ? 'disabled' : 'not_activated' },
    });
    throw failure;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  // Second factor (issue #16): an enrolled user must send a fresh code with the password.
  let totpFailure: 'wrong_totp' | 'totp_replayed' | null = null;
  if (ok && user.totpEnabledAt) {
    if (!totpCode) throw new AppError('MFA_REQUIRED');
    const check = await consumeTotp(db, deps.cipher, user, totpCode, now);
    if (check !== 'ok') totpFailure = check === 'replayed' ? 'totp_replayed' : 'wrong_totp';
  }
  if (!ok || totpFailure) {
    await db.transaction(async (tx) => {
      const { failures: failed, lockedMinutes } = await recordLoginFailure(tx, user.id, actor.ip, now, security);
      const lockNow = lockedMinutes !== null;
      await deps.audit.write(tx, who, {
        action: 'auth.login',
        entity: 'user',
        entityId: user.id,
        result: 'failure',
        summary: { reason: totpFailure ?? 'wrong_password', consecutiveFailures: failed },
      });
      if (lockNow) {
        await deps.audit.write(tx, who, {
          action: 'auth.lockout',
          entity: 'user',
          entityId: user.id,
          result: 'success',
          summary: { minutes: lockedMinutes, failures: failed, ip: actor.ip },
        });
      }
    });
    if (totpFailure) throw new AppError('TOTP_INVALID');
    throw failure;
  }
  const token = newToken();
  const expired = passwordExpired(user.passwordChangedAt, now, passwordPolicyOf(security));
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        failedLogins: 0,
        lockedUntil: null,
        lastLoginAt: now,
        ...(expired ? { mustChangePassword: true } : {}),
      })
      .where(eq(users.id, user.id));
    await clearLoginFailures(tx, user.id, actor.ip);
    await tx.insert(sessions).values({
      id: sessionIdOf(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + security.absoluteSessionHours * 3_600_000),
      ip: actor.ip,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
    await deps.audit.write(tx, who, {
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
      result: 'success',
      summary: expired ? { passwordExpired: true } : {},
    });
  });
  return { token, userId: user.id };
}

export async function logout(deps: AppDeps, actor: Actor, sessionId: string) {
  await deps.database.db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.id, sessionId));
    await deps.audit.write(tx, actor, { action: 'auth.logout', entity: 'user', entityId: actor.userId });
  });
}

export async function changePassword(
  deps: AppDeps,
  actor: Actor,
  locale: Locale,
  userId: string,
  sessionId: string,
  current: string,
  next: string,
) {
  const { db } = deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!(await verifyPassword(user.passwordHash, current))) {
    await deps.audit.writeAlone(db, actor, {
      action: 'auth.password_change',
      entity: 'user',
      entityId: userId,
      result: 'failure',
      summary: { reason: 'wrong_current_password' },
    });
    throw new AppError('WRONG_PASSWORD');
  }
  const security = await deps.settings.security(db);
  const policy = passwordPolicyOf(security);
  const violations = checkPassword(next, { username: user.username }, policy).map((v) => describeViolation(v, locale));
  const history = [user.passwordHash, ...user.passwordHistory].slice(0, Math.max(1, policy.history));
  for (const old of history) {
    if (await verifyPassword(old, next)) {
      violations.push(
        locale === 'zh-CN'
          ? `不能与最近 ${policy.history} 次使用过的密码相同`
          : `must differ from the last ${policy.history}`,
      );
      break;
    }
  }
  if (violations.length) throw new AppError('PASSWORD_POLICY', {}, { violations });
  const hash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        passwordHash: hash,
        passwordHistory: history.slice(0, Math.max(0, policy.history - 1)),
        passwordChangedAt: deps.clock.now(),
        mustChangePassword: false,
      })
      .where(eq(users.id, userId));
    // End the user's other sessions (ASVS 3.3.3).
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), sql`${sessions.id} <> ${sessionId}`));
    await deps.audit.write(tx, actor, { action: 'auth.password_change', entity: 'user', entityId: userId });
  });
}

export async function me(deps: AppDeps, userId: string) {
  const { db } = deps.database;
  const [row] = await db
    .select({ user: users, org: orgs })
    .from(users)
    .leftJoin(orgs, eq(orgs.id, users.orgId))
    .where(eq(users.id, userId));
  if (!row) throw new AppError('UNAUTHENTICATED');
  const scope = buildScope(deps.regions, row.user);
  return { user: row.user, org: row.org, scope };
}

// ---- users (system admin) -------------------------------------------------------------------------------

export interface UserListQuery {
  page: number;
  pageSize: number;
  q?: string;
  role?: Role;
  status?: 'active' | 'disabled';
  sort?: 'username' | 'displayName' | 'role' | 'lastLoginAt' | 'createdAt';
  order?: 'asc' | 'desc';
}

/** Users visible in `scope`: all for the system admin; those of the caller's orgs/regions otherwise. */
function userScope(scope: Scope) {
  // The security admin sees every account (it grants roles) but no business data.
  if (scope.role === 'security_admin') return undefined;
  return scopeWhere(scope, { region: users.scopeRegionCode, org: users.orgId });
}

export async function listUsers(ex: Executor, scope: Scope, q: UserListQuery) {
  const where = and(
    userScope(scope),
    q.q ? or(ilike(users.username, likePattern(q.q)), ilike(users.displayName, likePattern(q.q))) : undefined,
    q.role ? eq(users.role, q.role) : undefined,
    q.status ? eq(users.status, q.status) : undefined,
  );
  const sortCol = {
    username: users.username,
    displayName: users.displayName,
    role: users.role,
    lastLoginAt: users.lastLoginAt,
    createdAt: users.createdAt,
  }[q.sort ?? 'username'];
  const [items, [total]] = await Promise.all([
    ex
      .select({ user: users, orgName: orgs.name })
      .from(users)
      .leftJoin(orgs, eq(orgs.id, users.orgId))
      .where(where)
      .orderBy(orderBy(sortCol, q.order), users.id)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ex.select({ n: count() }).from(users).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function getUser(ex: Executor, scope: Scope, id: string) {
  const [row] = await ex
    .select({ user: users, orgName: orgs.name })
    .from(users)
    .leftJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(eq(users.id, id), userScope(scope)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export interface NewUser {
  username: string;
  displayName: string;
}

/** How long an activation code stays valid. */
export const ACTIVATION_DAYS = 7;
/** The password hash of an account that has none yet (verifyPassword answers false for it). */
const NO_PASSWORD = '!activation-pending';

/** A one-time activation code: 20 random characters of an unambiguous alphabet (~100 bits), grouped by 5. */
function newActivationCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out.match(/.{5}/g)!.join('-');
}
function activationHashOf(code: string): string {
  return crypto
    .createHash('sha256')
    .update(
      code
        .trim()
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, ''),
    )
    .digest('hex');
}

/**
 * The system admin creates an account (三权分立, AC-04): no role (`pending`: no permissions, no scope) and no
 * password anyone but the user will know. The answer carries a one-time activation code, shown once; the user sets
 * their own password with it (`auth/activate`). The security admin grants the role and scope.
 */
export async function createUser(ex: Tx, deps: AppDeps, actor: Actor, locale: Locale, input: NewUser) {
  const [dupe] = await ex
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${input.username})`);
  if (dupe) throw new AppError('DUPLICATE', { field: locale === 'zh-CN' ? '用户名' : 'username' });
  const code = newActivationCode();
  const expiresAt = new Date(deps.clock.now().getTime() + ACTIVATION_DAYS * 86_400_000);
  const [created] = await ex
    .insert(users)
    .values({
      username: input.username,
      displayName: input.displayName,
      role: 'pending',
      orgId: null,
      scopeRegionCode: null,
      passwordHash: NO_PASSWORD,
      mustChangePassword: false,
      activationHash: activationHashOf(code),
      activationExpiresAt: expiresAt,
    })
    .returning();
  await deps.audit.write(ex, actor, {
    action: 'user.create',
    entity: 'user',
    entityId: created!.id,
    summary: { after: { username: created!.username, displayName: created!.displayName, role: 'pending' } },
  });
  return { user: created!, activationCode: code, activationExpiresAt: expiresAt };
}

/**
 * `miaopu create-admin` (host shell, before any admin exists): one of the three admin roles with an initial password
 * from the operator, to be changed at first login. Whoever runs it already holds the database; the web API cannot.
 */
export async function bootstrapAdmin(
  ex: Tx,
  deps: AppDeps,
  actor: Actor,
  locale: Locale,
  input: NewUser & { role: 'system_admin' | 'security_admin' | 'auditor'; password: string },
) {
  const security = await deps.settings.security(ex);
  const violations = checkPassword(input.password, { username: input.username }, passwordPolicyOf(security)).map((v) =>
    describeViolation(v, locale),
  );
  if (violations.length) throw new AppError('PASSWORD_POLICY', {}, { violations });
  const { user } = await createUser(ex, deps, actor, locale, input);
  await ex
    .update(users)
    .set({
      role: input.role,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: true,
      activationHash: null,
      activationExpiresAt: null,
    })
    .where(eq(users.id, user.id));
  await deps.audit.write(ex, actor, {
    action: 'user.grant',
    entity: 'user',
    entityId: user.id,
    summary: { username: user.username, before: { role: 'pending' }, after: { role: input.role }, bootstrap: true },
  });
  return user;
}

/** Counts the active accounts holding `role` (for the last-auditor / last-security-admin rule). */
async function activeWithRole(ex: Executor, role: Role) {
  const [row] = await ex
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, role), eq(users.status, 'active')));
  return row?.n ?? 0;
}

/** Refuses to take away the last active auditor or security admin (nobody could audit or grant any more). */
async function guardLastAdmin(ex: Executor, locale: Locale, user: { role: Role; status: string }) {
  if (user.status !== 'active') return;
  if (user.role !== 'auditor' && user.role !== 'security_admin') return;
  if ((await activeWithRole(ex, user.role)) <= 1) {
    throw new AppError('LAST_ADMIN_ROLE', { role: roleLabel(user.role, locale) });
  }
}

function roleLabel(role: Role, locale: Locale) {
  const zh: Partial<Record<Role, string>> = {
    auditor: '审计管理员',
    security_admin: '安全管理员',
    system_admin: '系统管理员',
    pending: '待授权',
  };
  return locale === 'zh-CN' ? (zh[role] ?? role) : role;
}

export interface Grant {
  role: Role;
  orgId?: string | null;
  scopeRegionCode?: string | null;
}

/**
 * The security admin grants a role and scope (AC-04). Nobody changes their own grant; an account that holds one of
 * the three admin roles cannot be given another of them (the duties stay with different people); the last active
 * auditor or security admin keeps its role. The user's sessions end so the new rights apply from the next login.
 */
export async function grantRole(ex: Tx, deps: AppDeps, actor: Actor, locale: Locale, id: string, grant: Grant) {
  if (id === actor.userId) throw new AppError('GRANT_SELF');
  const [user] = await ex.select().from(users).where(eq(users.id, id)).for('update');
  if (!user) throw new AppError('NOT_FOUND');
  if (isAdminRole(user.role) && isAdminRole(grant.role) && user.role !== grant.role) {
    throw new AppError('ADMIN_ROLES_EXCLUSIVE', {
      current: roleLabel(user.role, locale),
      next: roleLabel(grant.role, locale),
    });
  }
  if (user.role !== grant.role) await guardLastAdmin(ex, locale, user);
  const orgId = grant.orgId ?? null;
  const org = orgId ? (await ex.select().from(orgs).where(eq(orgs.id, orgId)))[0] : undefined;
  if (orgId && !org) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.orgId', message: 'org' }] });
  const kind = ROLE_SCOPE[grant.role];
  let scopeRegionCode: string | null = null;
  if (kind === 'region') {
    scopeRegionCode = grant.scopeRegionCode ?? org?.regionCode ?? null;
    if (!scopeRegionCode || !deps.regions.get(scopeRegionCode)) {
      throw new AppError('ROLE_SCOPE_MISMATCH', {
        reason: locale === 'zh-CN' ? '需要管辖区域' : 'a region is required',
      });
    }
  } else if (kind === 'org') {
    if (!org)
      throw new AppError('ROLE_SCOPE_MISMATCH', { reason: locale === 'zh-CN' ? '需要所属单位' : 'an org is required' });
    scopeRegionCode = org.regionCode;
  }
  const before = { role: user.role, orgId: user.orgId, scopeRegionCode: user.scopeRegionCode };
  const after = { role: grant.role, orgId: org?.id ?? null, scopeRegionCode };
  await ex.update(users).set(after).where(eq(users.id, id));
  await ex.delete(sessions).where(eq(sessions.userId, id));
  await deps.audit.write(ex, actor, {
    action: 'user.grant',
    entity: 'user',
    entityId: id,
    regionCode: scopeRegionCode,
    summary: { username: user.username, before, after },
  });
}

/**
 * The system admin resets an account's password: the old password stops working, sessions end, and a new one-time
 * activation code is issued (the admin never chooses or learns the new password). An account without a second
 * factor also loses its role until the security admin grants it again, so that a reset never hands the system admin
 * a working account with rights; with TOTP enrolled the role stays (the code still guards it).
 */
export async function resetPassword(ex: Tx, deps: AppDeps, actor: Actor, scope: Scope, id: string) {
  const { user } = await getUser(ex, scope, id);
  if (user.id === actor.userId) throw new AppError('GRANT_SELF');
  const suspend = !user.totpEnabledAt && user.role !== 'pending';
  const code = newActivationCode();
  const expiresAt = new Date(deps.clock.now().getTime() + ACTIVATION_DAYS * 86_400_000);
  const security = await deps.settings.security(ex);
  await ex
    .update(users)
    .set({
      passwordHash: NO_PASSWORD,
      passwordHistory:
        user.passwordHash === NO_PASSWORD
          ? user.passwordHistory
          : [user.passwordHash, ...user.passwordHistory].slice(0, Math.max(0, security.passwordHistory - 1)),
      mustChangePassword: false,
      activationHash: activationHashOf(code),
      activationExpiresAt: expiresAt,
      failedLogins: 0,
      lockedUntil: null,
      ...(suspend ? { role: 'pending' as const } : {}),
    })
    .where(eq(users.id, id));
  await ex.delete(sessions).where(eq(sessions.userId, id));
  // The per-(account, IP) lockouts go too: an administrator's reset unlocks the account from every address.
  await ex.execute(sql`DELETE FROM login_failures WHERE user_id = ${id}`);
  await deps.audit.write(ex, actor, {
    action: 'user.password_reset',
    entity: 'user',
    entityId: id,
    regionCode: user.scopeRegionCode,
    summary: { username: user.username, roleSuspended: suspend, before: { role: user.role } },
  });
  return { activationCode: code, activationExpiresAt: expiresAt, roleSuspended: suspend };
}

/** The user sets their own password with the one-time activation code (no session needed). */
export async function activate(
  deps: AppDeps,
  actor: Actor,
  locale: Locale,
  username: string,
  code: string,
  password: string,
) {
  const { db } = deps.database;
  const now = deps.clock.now();
  const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  const valid =
    user &&
    user.status === 'active' &&
    user.activationHash &&
    user.activationExpiresAt &&
    user.activationExpiresAt.getTime() > now.getTime() &&
    crypto.timingSafeEqual(Buffer.from(user.activationHash), Buffer.from(activationHashOf(code)));
  if (!user || !valid) {
    await deps.audit.writeAlone(db, user ? { ...actor, userId: user.id, username: user.username } : actor, {
      action: 'user.activate',
      entity: 'user',
      entityId: user?.id ?? null,
      result: 'failure',
      summary: { username: username.slice(0, 64) },
    });
    throw new AppError('ACTIVATION_INVALID');
  }
  const security = await deps.settings.security(db);
  const policy = passwordPolicyOf(security);
  const violations = checkPassword(password, { username: user.username }, policy).map((v) =>
    describeViolation(v, locale),
  );
  for (const old of user.passwordHistory.slice(0, policy.history)) {
    if (await verifyPassword(old, password)) {
      violations.push(
        locale === 'zh-CN'
          ? `不能与最近 ${policy.history} 次使用过的密码相同`
          : `must differ from the last ${policy.history}`,
      );
      break;
    }
  }
  if (violations.length) throw new AppError('PASSWORD_POLICY', {}, { violations });
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(users)
      .set({
        passwordHash: hash,
        passwordChangedAt: now,
        mustChangePassword: false,
        activationHash: null,
        activationExpiresAt: null,
      })
      .where(and(eq(users.id, user.id), eq(users.activationHash, user.activationHash!)))
      .returning({ id: users.id });
    if (!done.length) throw new AppError('ACTIVATION_INVALID');
    await deps.audit.write(
      tx,
      { ...actor, userId: user.id, username: user.username, role: user.role },
      {
        action: 'user.activate',
        entity: 'user',
        entityId: user.id,
      },
    );
  });
}

export async function setUserStatus(
  ex: Tx,
  deps: AppDeps,
  actor: Actor,
  locale: Locale,
  scope: Scope,
  id: string,
  status: 'active' | 'disabled',
) {
  const { user } = await getUser(ex, scope, id);
  if (user.id === actor.userId) throw new AppError('CONFLICT', { reason: 'self' });
  if (status === 'disabled') {
    // Lock the holders of the role so two concurrent disables cannot both pass the count.
    await ex.select({ id: users.id }).from(users).where(eq(users.role, user.role)).for('update');
    await guardLastAdmin(ex, locale, user);
  }
  await ex
    .update(users)
    .set({ status, ...(status === 'active' ? { failedLogins: 0, lockedUntil: null } : {}) })
    .where(eq(users.id, id));
  if (status === 'disabled') await ex.delete(sessions).where(eq(sessions.userId, id));
  // Enabling unlocks: the per-(account, IP) lockouts are cleared with the account's own counter.
  else await ex.execute(sql`DELETE FROM login_failures WHERE user_id = ${id}`);
  await deps.audit.write(ex, actor, {
    action: status === 'disabled' ? 'user.disable' : 'user.enable',
    entity: 'user',
    entityId: id,
    regionCode: user.scopeRegionCode,
    summary: { username: user.username, role: user.role, before: { status: user.status }, after: { status } },
  });
  return getUser(ex, scope, id);
}

// ---- second factor (TOTP, issue #16) ---------------------------------------------------------------------

/** Starts (or restarts) enrolment: a new seed, stored encrypted, not yet enabled. */
export async function totpSetup(deps: AppDeps, _actor: Actor, userId: string) {
  const { db } = deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (user.totpEnabledAt) throw new AppError('TOTP_STATE_INVALID', { reason: 'enrolled' });
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ totpSecret: deps.cipher.encrypt(secret), totpLastStep: null })
    .where(eq(users.id, userId));
  const uri = totpUri(secret, user.username);
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

async function checkCodeOrThrow(
  deps: AppDeps,
  actor: Actor,
  user: typeof users.$inferSelect,
  code: string,
  action: string,
) {
  const { db } = deps.database;
  const check = await consumeTotp(db, deps.cipher, user, code, deps.clock.now());
  if (check !== 'ok') {
    await deps.audit.writeAlone(db, actor, {
      action,
      entity: 'user',
      entityId: user.id,
      result: 'failure',
      summary: { reason: check === 'replayed' ? 'totp_replayed' : 'wrong_totp' },
    });
    throw new AppError('TOTP_INVALID');
  }
}

/** Confirms enrolment with a first code; other sessions end (a re-login with the code is needed elsewhere). */
export async function totpConfirm(deps: AppDeps, actor: Actor, userId: string, sessionId: string, code: string) {
  const { db } = deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (user.totpEnabledAt || !user.totpSecret) {
    throw new AppError('TOTP_STATE_INVALID', { reason: user.totpEnabledAt ? 'enrolled' : 'no setup' });
  }
  await checkCodeOrThrow(deps, actor, user, code, 'auth.totp_enrol');
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabledAt: deps.clock.now() }).where(eq(users.id, userId));
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, sessionId)));
    await deps.audit.write(tx, actor, { action: 'auth.totp_enrol', entity: 'user', entityId: userId });
  });
}

/** Removes the own second factor with a current code; refused while the policy requires one for the role. */
export async function totpDisable(deps: AppDeps, actor: Actor, userId: string, code: string) {
  const { db } = deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!user.totpEnabledAt) throw new AppError('TOTP_STATE_INVALID', { reason: 'not enrolled' });
  const security = await deps.settings.security(db);
  if (security.totpRequiredForStaff && totpRequiredFor(user.role)) {
    throw new AppError('TOTP_STATE_INVALID', { reason: 'required by policy' });
  }
  await checkCodeOrThrow(deps, actor, user, code, 'auth.totp_disable');
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(users.id, userId));
    await deps.audit.write(tx, actor, { action: 'auth.totp_disable', entity: 'user', entityId: userId });
  });
}

/** Step-up: a fresh code marks the session for a few minutes (PII reveal, bulk export). */
export async function stepUp(
  deps: AppDeps,
  actor: Actor,
  userId: string,
  sessionId: string,
  code: string,
  minutes: number,
) {
  const { db } = deps.database;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError('UNAUTHENTICATED');
  if (!user.totpEnabledAt) throw new AppError('TOTP_STATE_INVALID', { reason: 'not enrolled' });
  await checkCodeOrThrow(deps, actor, user, code, 'auth.step_up');
  const until = new Date(deps.clock.now().getTime() + minutes * 60_000);
  await db.transaction(async (tx) => {
    await tx.update(sessions).set({ stepUpUntil: until }).where(eq(sessions.id, sessionId));
    await deps.audit.write(tx, actor, { action: 'auth.step_up', entity: 'user', entityId: userId });
  });
  return until;
}

/** The security admin removes a user's second factor (lost phone); the user re-enrols at the next login. */
export async function totpReset(ex: Tx, deps: AppDeps, actor: Actor, id: string) {
  if (id === actor.userId) throw new AppError('GRANT_SELF');
  const [user] = await ex.select().from(users).where(eq(users.id, id));
  if (!user) throw new AppError('NOT_FOUND');
  await ex.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, id));
  await ex.delete(sessions).where(eq(sessions.userId, id));
  await deps.audit.write(ex, actor, {
    action: 'user.totp_reset',
    entity: 'user',
    entityId: id,
    summary: { username: user.username, hadTotp: Boolean(user.totpEnabledAt) },
  });
}

// ---- orgs ----------------------------------------------------------------------------------------------

export interface OrgListQuery {
  page: number;
  pageSize: number;
  q?: string;
  kind?: (typeof orgs.kind.enumValues)[number];
  regionCode?: string;
  sort?: 'name' | 'kind' | 'regionCode' | 'createdAt';
  order?: 'asc' | 'desc';
}

function orgScope(scope: Scope) {
  // The security admin picks any org when granting a scope (issue #16).
  if (scope.role === 'security_admin') return undefined;
  return scopeWhere(scope, { region: orgs.regionCode, org: orgs.id });
}

export async function listOrgs(ex: Executor, scope: Scope, q: OrgListQuery) {
  const where = and(
    orgScope(scope),
    q.q ? ilike(orgs.name, likePattern(q.q)) : undefined,
    q.kind ? eq(orgs.kind, q.kind) : undefined,
    q.regionCode ? eq(orgs.regionCode, q.regionCode) : undefined,
  );
  const sortCol = { name: orgs.name, kind: orgs.kind, regionCode: orgs.regionCode, createdAt: orgs.createdAt }[
    q.sort ?? 'regionCode'
  ];
  const [items, [total]] = await Promise.all([
    ex
      .select({ org: orgs, regionName: regions.name })
      .from(orgs)
      .innerJoin(regions, eq(regions.code, orgs.regionCode))
      .where(where)
      .orderBy(orderBy(sortCol, q.order), orgs.name)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ex.select({ n: count() }).from(orgs).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function getOrg(ex: Executor, scope: Scope, id: string) {
  const [row] = await ex
    .select({ org: orgs, regionName: regions.name })
    .from(orgs)
    .innerJoin(regions, eq(regions.code, orgs.regionCode))
    .where(and(eq(orgs.id, id), orgScope(scope)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/**
 * Active users to notify: everyone in the given orgs, plus the city and district admins whose scope root is
 * one of `regionAdminsOf` (pass a region and its ancestors to reach every admin above it).
 */
export async function recipientsFor(ex: Executor, who: { orgIds: string[]; regionAdminsOf: string[] }) {
  const byOrg = who.orgIds.length ? inArray(users.orgId, who.orgIds) : undefined;
  const byRegion = who.regionAdminsOf.length
    ? and(inArray(users.role, ['city_admin', 'district_admin']), inArray(users.scopeRegionCode, who.regionAdminsOf))
    : undefined;
  if (!byOrg && !byRegion) return [];
  return ex
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.status, 'active'), or(byOrg, byRegion)));
}
