/** Identity use cases: login with lockout, logout, password change, user and org administration. */
import { and, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { ROLE_SCOPE, type Role } from '../../../domain/access.ts';
import { checkPassword, describeViolation, passwordExpired } from '../../../domain/password-policy.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { orgs, regions, sessions, users } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import {
  buildScope,
  burnPasswordCheck,
  hashPassword,
  newToken,
  sessionIdOf,
  verifyPassword,
} from '../../platform/auth.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/messages.ts';
import { likePattern, orderBy } from '../../platform/paging.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';
import { passwordPolicyOf } from '../../platform/settings.ts';

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
  const locked = user.lockedUntil && user.lockedUntil.getTime() > now.getTime();
  if (locked || user.status !== 'active') {
    await burnPasswordCheck(password);
    await deps.audit.writeAlone(db, who, {
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
      result: 'failure',
      summary: { reason: locked ? 'locked' : 'disabled' },
    });
    throw failure;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok) {
    await db.transaction(async (tx) => {
      const failed = user.failedLogins + 1;
      const lockNow = failed >= security.lockoutThreshold;
      await tx
        .update(users)
        .set(
          lockNow
            ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + security.lockoutMinutes * 60_000) }
            : { failedLogins: failed },
        )
        .where(eq(users.id, user.id));
      await deps.audit.write(tx, who, {
        action: 'auth.login',
        entity: 'user',
        entityId: user.id,
        result: 'failure',
        summary: { reason: 'wrong_password', consecutiveFailures: failed },
      });
      if (lockNow) {
        await deps.audit.write(tx, who, {
          action: 'auth.lockout',
          entity: 'user',
          entityId: user.id,
          result: 'success',
          summary: { minutes: security.lockoutMinutes, failures: failed },
        });
      }
    });
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
  role: Role;
  orgId: string | null;
  scopeRegionCode?: string | null;
  password: string;
}

export async function createUser(ex: Tx, deps: AppDeps, actor: Actor, locale: Locale, input: NewUser) {
  const security = await deps.settings.security(ex);
  const violations = checkPassword(input.password, { username: input.username }, passwordPolicyOf(security)).map((v) =>
    describeViolation(v, locale),
  );
  if (violations.length) throw new AppError('PASSWORD_POLICY', {}, { violations });
  const [dupe] = await ex
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${input.username})`);
  if (dupe) throw new AppError('DUPLICATE', { field: locale === 'zh-CN' ? '用户名' : 'username' });
  const org = input.orgId ? (await ex.select().from(orgs).where(eq(orgs.id, input.orgId)))[0] : undefined;
  if (input.orgId && !org)
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.orgId', message: 'org' }] });
  const kind = ROLE_SCOPE[input.role];
  let scopeRegionCode: string | null = null;
  if (kind === 'region') {
    scopeRegionCode = input.scopeRegionCode ?? org?.regionCode ?? null;
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
  const [created] = await ex
    .insert(users)
    .values({
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      orgId: input.orgId,
      scopeRegionCode,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: true,
    })
    .returning();
  await deps.audit.write(ex, actor, {
    action: 'user.create',
    entity: 'user',
    entityId: created!.id,
    regionCode: scopeRegionCode,
    summary: { after: { username: created!.username, role: created!.role, orgId: created!.orgId, scopeRegionCode } },
  });
  return created!;
}

/**
 * An administrator sets a new initial password (security.md IA-01: the user must change it at the next login);
 * the user's sessions end and the lock is lifted.
 */
export async function resetPassword(
  ex: Tx,
  deps: AppDeps,
  actor: Actor,
  locale: Locale,
  scope: Scope,
  id: string,
  password: string,
) {
  const { user } = await getUser(ex, scope, id);
  const security = await deps.settings.security(ex);
  const violations = checkPassword(password, { username: user.username }, passwordPolicyOf(security)).map((v) =>
    describeViolation(v, locale),
  );
  if (violations.length) throw new AppError('PASSWORD_POLICY', {}, { violations });
  await ex
    .update(users)
    .set({
      passwordHash: await hashPassword(password),
      passwordHistory: [user.passwordHash, ...user.passwordHistory].slice(0, Math.max(0, security.passwordHistory - 1)),
      passwordChangedAt: deps.clock.now(),
      mustChangePassword: true,
      failedLogins: 0,
      lockedUntil: null,
    })
    .where(eq(users.id, id));
  await ex.delete(sessions).where(eq(sessions.userId, id));
  await deps.audit.write(ex, actor, {
    action: 'user.password_reset',
    entity: 'user',
    entityId: id,
    regionCode: user.scopeRegionCode,
    summary: { mustChangePassword: true },
  });
}

export async function setUserStatus(
  ex: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  status: 'active' | 'disabled',
) {
  const { user } = await getUser(ex, scope, id);
  if (user.id === actor.userId) throw new AppError('CONFLICT', { reason: 'self' });
  await ex
    .update(users)
    .set({ status, ...(status === 'active' ? { failedLogins: 0, lockedUntil: null } : {}) })
    .where(eq(users.id, id));
  if (status === 'disabled') await ex.delete(sessions).where(eq(sessions.userId, id));
  await deps.audit.write(ex, actor, {
    action: status === 'disabled' ? 'user.disable' : 'user.enable',
    entity: 'user',
    entityId: id,
    regionCode: user.scopeRegionCode,
    summary: { before: { status: user.status }, after: { status } },
  });
  return getUser(ex, scope, id);
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
