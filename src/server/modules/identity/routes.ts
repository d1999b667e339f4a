/** HTTP routes of identity: auth (csrf, login, logout, me, change-password), users, orgs. Thin: validate, call. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ORG_KINDS, permissionsOf, ROLES, totpRequiredFor } from '../../../domain/access.ts';
import { orgs } from '../../db/schema/index.ts';
import { clearSessionCookie, ensureCsrfCookie, STEP_UP_MINUTES, setSessionCookie } from '../../platform/auth.ts';
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
  /** Second factor (issue #16): enrolled; required by the security policy for this role; still to enrol. */
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  mfaEnrolmentRequired: z.boolean(),
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
  /** Still waiting for the user to set a password with the activation code. */
  activationPending: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: isoString.nullable(),
  lockedUntil: isoString.nullable(),
  createdAt: isoString,
});

const activationSchema = z.object({
  activationCode: z.string(),
  activationExpiresAt: isoString,
  /** The reset took the role away (no second factor): the security admin grants it again. */
  roleSuspended: z.boolean(),
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
    activationPending: user.activationHash !== null,
    totpEnabled: user.totpEnabledAt !== null,
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
    const security = await deps.settings.security(deps.database.db);
    const totpRequired = security.totpRequiredForStaff && totpRequiredFor(user.role);
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
      totpEnabled: user.totpEnabledAt !== null,
      totpRequired,
      mfaEnrolmentRequired: totpRequired && user.totpEnabledAt === null,
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
        summary: 'Sign in with username and password (and the TOTP code when enrolled: else 401 MFA_REQUIRED)',
        body: z
          .object({
            username: z.string().trim().min(1).max(64),
            password: z.string().min(1).max(256),
            totpCode: z.string().trim().max(16).optional(),
          })
          .strict(),
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
        req.body.totpCode,
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

  app.post(
    '/api/v1/auth/activate',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Set the own password with the one-time activation code (new or reset account)',
        body: z
          .object({
            username: z.string().trim().min(1).max(64),
            activationCode: z.string().trim().min(1).max(64),
            newPassword: z.string().min(1).max(256),
          })
          .strict(),
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await identity.activate(
        deps,
        req.actor(),
        localeOf(req),
        req.body.username,
        req.body.activationCode,
        req.body.newPassword,
      );
      return { ok: true as const };
    },
  );

  const codeBody = z.object({ code: z.string().trim().min(1).max(16) }).strict();

  app.post(
    '/api/v1/auth/totp/setup',
    {
      config: { access: 'profile:self', allowDuringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: a new secret, its otpauth URI and a QR code (SVG)',
        response: {
          200: z.object({ secret: z.string(), uri: z.string(), qrSvg: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (req) => identity.totpSetup(deps, req.actor(), req.auth!.user.id),
  );

  app.post(
    '/api/v1/auth/totp/confirm',
    {
      config: { access: 'profile:self', allowDuringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP enrolment with a first code (other sessions end)',
        body: codeBody,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await identity.totpConfirm(deps, req.actor(), req.auth!.user.id, req.auth!.sessionId, req.body.code);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/totp/disable',
    {
      config: { access: 'profile:self' },
      schema: {
        tags: ['auth'],
        summary: 'Remove the own second factor with a current code (refused while the policy requires it)',
        body: codeBody,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await identity.totpDisable(deps, req.actor(), req.auth!.user.id, req.body.code);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/step-up',
    {
      config: { access: 'profile:self' },
      schema: {
        tags: ['auth'],
        summary: `Confirm a fresh TOTP code: PII reveal and exports are allowed for ${STEP_UP_MINUTES} minutes`,
        body: codeBody,
        response: { 200: z.object({ until: isoString }), ...errorResponses },
      },
    },
    async (req) => {
      const until = await identity.stepUp(
        deps,
        req.actor(),
        req.auth!.user.id,
        req.auth!.sessionId,
        req.body.code,
        STEP_UP_MINUTES,
      );
      return { until: until.toISOString() };
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
        summary:
          'Create an account without role or password (三权分立): the answer carries a one-time activation code, shown once',
        body: z
          .object({
            username: z
              .string()
              .trim()
              .min(3)
              .max(64)
              .regex(/^[A-Za-z0-9._-]+$/),
            displayName: z.string().trim().min(1).max(64),
          })
          .strict(),
        response: { 201: activationSchema.extend({ user: userSchema }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const created = await identity.createUser(tx, deps, req.actor(), localeOf(req), req.body);
        return {
          status: 201,
          body: {
            user: presentUser(await identity.getUser(tx, req.auth!.scope, created.user.id)),
            activationCode: created.activationCode,
            activationExpiresAt: created.activationExpiresAt.toISOString(),
            roleSuspended: false,
          },
        };
      }),
  );

  app.put(
    '/api/v1/users/:id/grant',
    {
      config: { access: 'users:grant', entity: 'user' },
      schema: {
        tags: ['users'],
        summary: 'Grant a role and scope (security admin; not to oneself; admin roles exclusive; last auditor kept)',
        params: uuidParam,
        body: z
          .object({
            role: z.enum(ROLES),
            orgId: z.uuid().nullable().optional(),
            scopeRegionCode: z.string().max(16).nullable().optional(),
          })
          .strict(),
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentUser(
        await deps.database.db.transaction(async (tx) => {
          await identity.grantRole(tx, deps, req.actor(), localeOf(req), req.params.id, req.body);
          return identity.getUser(tx, req.auth!.scope, req.params.id);
        }),
      ),
  );

  app.post(
    '/api/v1/users/:id/totp-reset',
    {
      config: { access: 'users:grant', entity: 'user' },
      schema: {
        tags: ['users'],
        summary: "Remove a user's second factor (lost device; security admin); the user enrols again",
        params: uuidParam,
        body: z.object({}).strict().optional(),
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await deps.database.db.transaction((tx) => identity.totpReset(tx, deps, req.actor(), req.params.id));
      return { ok: true as const };
    },
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
          identity.setUserStatus(tx, deps, req.actor(), localeOf(req), req.auth!.scope, req.params.id, req.body.status),
        ),
      ),
  );

  app.post(
    '/api/v1/users/:id/reset-password',
    {
      config: { access: 'users:manage', entity: 'user' },
      schema: {
        tags: ['users'],
        summary: 'Reset: the password stops working and a one-time activation code is issued (IA-01, AC-04)',
        params: uuidParam,
        body: z.object({}).strict().optional(),
        response: { 200: activationSchema, ...errorResponses },
      },
    },
    async (req) => {
      const r = await deps.database.db.transaction((tx) =>
        identity.resetPassword(tx, deps, req.actor(), req.auth!.scope, req.params.id),
      );
      return { ...r, activationExpiresAt: r.activationExpiresAt.toISOString() };
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
