/** HTTP routes of identity: auth (csrf, login, logout, me, change-password), users, orgs. Thin: validate, call. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORG_KINDS, permissionsOf, ROLES } from '../../../domain/access.ts';
import { orgs } from '../../db/schema/index.ts';
import { clearSessionCookie, ensureCsrfCookie, setSessionCookie } from '../../platform/auth.ts';
import { localeOf } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { pageOf, pageQuery, pageSchema, sortParam } from '../../platform/paging.ts';
import { errorResponses, iso, isoString, okSchema, uuidParam } from '../../platform/schemas.ts';
import * as identity from './service.ts';

const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  org: z.object({ id: z.string(), name: z.string(), kind: z.string() }).nullable(),
  scope: z.object({
    kind: z.enum(['region', 'org', 'none', 'all']),
    regionCode: z.string().nullable(),
    regionName: z.string().nullable(),
  }),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
  demo: z.boolean(),
});

const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  scopeRegionCode: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  lastLoginAt: isoString.nullable(),
  lockedUntil: isoString.nullable(),
  createdAt: isoString,
});

const orgSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ORG_KINDS),
  regionCode: z.string(),
  regionName: z.string(),
  parentId: z.string().nullable(),
});

type UserRow = Awaited<ReturnType<typeof identity.getUser>>;
function presentUser({ user, orgName }: UserRow) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    orgId: user.orgId,
    orgName: orgName ?? null,
    scopeRegionCode: user.scopeRegionCode,
    status: user.status,
    lastLoginAt: iso(user.lastLoginAt),
    lockedUntil: iso(user.lockedUntil),
    createdAt: iso(user.createdAt)!,
  };
}

type OrgRow = Awaited<ReturnType<typeof identity.getOrg>>;
function presentOrg({ org, regionName }: OrgRow) {
  return {
    id: org.id,
    name: org.name,
    kind: org.kind,
    regionCode: org.regionCode,
    regionName,
    parentId: org.parentId,
  };
}

export async function identityRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;

  async function presentMe(userId: string) {
    const { user, org, scope } = await identity.me(deps, userId);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      org: org ? { id: org.id, name: org.name, kind: org.kind } : null,
      scope: {
        kind: scope.kind,
        regionCode: scope.rootRegion,
        regionName: deps.regions.get(scope.rootRegion)?.name ?? null,
      },
      permissions: [...permissionsOf(user.role)],
      mustChangePassword: user.mustChangePassword,
      demo: deps.config.profile !== 'production',
    };
  }

  app.get(
    '/api/v1/auth/csrf',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Issue the CSRF cookie', response: { 200: z.object({ token: z.string() }) } },
    },
    async (req, reply) => ({ token: ensureCsrfCookie(req, reply) }),
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        body: z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
        response: { 200: z.object({ user: meSchema }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { token, userId } = await identity.login(
        deps,
        req.actor(),
        req.body.username,
        req.body.password,
        req.headers['user-agent'],
      );
      setSessionCookie(req, reply, token);
      return { user: await presentMe(userId) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'authenticated', allowDuringPasswordChange: true },
      schema: { tags: ['auth'], summary: 'Sign out (ends the server session)', response: { 200: okSchema } },
    },
    async (req, reply) => {
      await identity.logout(deps, req.actor(), req.auth!.sessionId);
      clearSessionCookie(req, reply);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: 'authenticated', allowDuringPasswordChange: true },
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: meSchema, ...errorResponses } },
    },
    async (req) => presentMe(req.auth!.user.id),
  );

  app.post(
    '/api/v1/auth/change-password',
    {
      config: { access: 'authenticated', allowDuringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change the own password',
        body: z
          .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) })
          .strict(),
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await identity.changePassword(
        deps,
        req.actor(),
        localeOf(req),
        req.auth!.user.id,
        req.auth!.sessionId,
        req.body.currentPassword,
        req.body.newPassword,
      );
      return { ok: true as const };
    },
  );

  // ---- users ----
  app.get(
    '/api/v1/users',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['users'],
        summary: 'List users',
        querystring: pageQuery.extend({
          role: z.enum(ROLES).optional(),
          status: z.enum(['active', 'disabled']).optional(),
          sort: sortParam(['username', 'displayName', 'role', 'lastLoginAt', 'createdAt']),
        }),
        response: { 200: pageSchema(userSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await identity.listUsers(deps.database.db, req.auth!.scope, req.query);
      return pageOf(items.map(presentUser), total, req.query);
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: { access: 'users:read', entity: 'user' },
      schema: { tags: ['users'], params: uuidParam, response: { 200: userSchema, ...errorResponses } },
    },
    async (req) => presentUser(await identity.getUser(deps.database.db, req.auth!.scope, req.params.id)),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['users'],
        summary: 'Create a user (must change the password at first login)',
        body: z
          .object({
            username: z
              .string()
              .trim()
              .min(3)
              .max(64)
              .regex(/^[A-Za-z0-9._-]+$/),
            displayName: z.string().trim().min(1).max(64),
            role: z.enum(ROLES),
            orgId: z.uuid().nullable(),
            scopeRegionCode: z.string().max(16).nullable().optional(),
            password: z.string().min(1).max(256),
          })
          .strict(),
        response: { 201: userSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const created = await identity.createUser(tx, deps, req.actor(), localeOf(req), req.body);
        return { status: 201, body: presentUser(await identity.getUser(tx, req.auth!.scope, created.id)) };
      }),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'users:manage', entity: 'user' },
      schema: {
        tags: ['users'],
        summary: 'Enable or disable a user',
        params: uuidParam,
        body: z.object({ status: z.enum(['active', 'disabled']) }).strict(),
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentUser(
        await deps.database.db.transaction((tx) =>
          identity.setUserStatus(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body.status),
        ),
      ),
  );

  app.post(
    '/api/v1/users/:id/reset-password',
    {
      config: { access: 'users:manage', entity: 'user' },
      schema: {
        tags: ['users'],
        summary: 'Set a new initial password; the user must change it at the next login (IA-01)',
        params: uuidParam,
        body: z.object({ password: z.string().min(1).max(256) }).strict(),
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await deps.database.db.transaction((tx) =>
        identity.resetPassword(tx, deps, req.actor(), localeOf(req), req.auth!.scope, req.params.id, req.body.password),
      );
      return { ok: true as const };
    },
  );

  // ---- orgs ----
  app.get(
    '/api/v1/orgs',
    {
      config: { access: 'orgs:read' },
      schema: {
        tags: ['orgs'],
        summary: 'List organisations in scope',
        querystring: pageQuery.extend({
          kind: z.enum(orgs.kind.enumValues).optional(),
          regionCode: z.string().max(16).optional(),
          sort: sortParam(['name', 'kind', 'regionCode', 'createdAt']),
        }),
        response: { 200: pageSchema(orgSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await identity.listOrgs(deps.database.db, req.auth!.scope, req.query);
      return pageOf(items.map(presentOrg), total, req.query);
    },
  );

  app.get(
    '/api/v1/orgs/:id',
    {
      config: { access: 'orgs:read', entity: 'org' },
      schema: { tags: ['orgs'], params: uuidParam, response: { 200: orgSchema, ...errorResponses } },
    },
    async (req) => presentOrg(await identity.getOrg(deps.database.db, req.auth!.scope, req.params.id)),
  );
}
