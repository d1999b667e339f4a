/**
 * Builds the Fastify app from plugins and modules (used by main.ts and by tests). Order: platform plugins,
 * then the route guard, then module routes, then the web app (fastify/demo's layout, STYLE.md).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { assistanceRoutes } from './modules/assistance/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { enterpriseRoutes } from './modules/enterprises/routes.ts';
import { fileRoutes } from './modules/files/routes.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { notificationRoutes } from './modules/notifications/routes.ts';
import { parkRoutes } from './modules/parks/routes.ts';
import { policyMatchingRoutes } from './modules/policies/matching-routes.ts';
import { policyRoutes } from './modules/policies/routes.ts';
import { projectRoutes } from './modules/projects/routes.ts';
import { regionRoutes } from './modules/regions/routes.ts';
import { systemRoutes, VERSION } from './modules/system/routes.ts';
import { installAuthHooks } from './platform/auth.ts';
import type { AppDeps } from './platform/context.ts';
import { installErrorHandlers } from './platform/errors.ts';
import { MAX_UPLOAD_BYTES } from './platform/files.ts';
import { hygienicValidatorCompiler } from './platform/input.ts';
import {
  type AbuseSettings,
  abuseSettingsFromEnv,
  ensureAbuseTables,
  installConcurrencyLimits,
  installLoginLimits,
  overloadedBody,
  pgRateLimitStore,
  rateLimitedError,
} from './platform/rate-limit.ts';
import { installRefusalAudit } from './platform/refusal-audit.ts';

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** One entry per registered route, for the inventory test (security.md AC-01). */
export interface RouteRecord {
  method: string;
  url: string;
  access: string | undefined;
  entity: string | undefined;
  hasSchema: boolean;
  /** The route's request schemas (zod), for the generated hostile-input test. */
  schema?: { body?: unknown; querystring?: unknown; params?: unknown };
}

/** Routes outside /api/v1 that are public infrastructure (health, API docs, the web app's files). */
/** `/api/public/…`: login-free business pages (published policies), no session and no CSRF (no effects). */
export const INFRA_ROUTE_PREFIXES = [
  '/healthz',
  '/readyz',
  '/api/docs',
  '/api/openapi.json',
  '/api/public/',
  '/',
  '/*',
];

declare module 'fastify' {
  interface FastifyInstance {
    routeInventory: RouteRecord[];
    /** Rate limits and load-shedding thresholds in effect (decision 0021). */
    abuse: AbuseSettings;
  }
}

export class UndeclaredRouteError extends Error {}

export async function buildApp(
  deps: AppDeps,
  opts: { logger?: boolean | object; abuse?: Partial<AbuseSettings> } = {},
): Promise<FastifyInstance> {
  // Tests run many apps on a shared machine and lag the loop on purpose: load shedding is off there unless asked for.
  const profileDefaults: Partial<AbuseSettings> = deps.config.profile === 'test' ? { maxEventLoopDelayMs: 0 } : {};
  const abuse: AbuseSettings = { ...abuseSettingsFromEnv(process.env), ...profileDefaults, ...opts.abuse };
  const app = Fastify({
    logger:
      opts.logger === undefined
        ? {
            level: deps.config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
          }
        : opts.logger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    bodyLimit: 1024 * 1024,
    requestTimeout: 30_000,
    return503OnClosing: true,
  });
  app.decorate('deps', deps);
  app.decorate('abuse', abuse);
  app.decorate('routeInventory', [] as RouteRecord[]);
  app.setValidatorCompiler(hygienicValidatorCompiler); // input hygiene, then the route's zod schema (IP-04)
  app.setSerializerCompiler(serializerCompiler);

  // Deny by default: a route under /api/v1 cannot be registered without declaring its access.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      app.routeInventory.push({
        method,
        url: route.url,
        access: route.config?.access,
        entity: route.config?.entity,
        hasSchema: !!route.schema,
        schema: route.schema as RouteRecord['schema'],
      });
    }
    if (route.url.startsWith('/api/v1/') && !route.config?.access) {
      throw new UndeclaredRouteError(`route ${String(route.method)} ${route.url} declares no access (permission)`);
    }
  });

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: '苗圃 Miaopu API',
        version: VERSION,
        description:
          'Cookie session (miaopu_sid). Unsafe methods need the header x-csrf-token equal to the cookie miaopu_csrf ' +
          '(GET /api/v1/auth/csrf). Errors: { error: { code, message, details } }, message localized by Accept-Language.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'miaopu_sid' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  installErrorHandlers(app);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Load shedding (decision 0021): while the event loop lags, answer 503 + Retry-After at once instead of queueing
  // more work; the liveness probe /healthz is always answered.
  if (abuse.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: abuse.maxEventLoopDelayMs,
      sampleInterval: abuse.pressureSampleIntervalMs,
      retryAfter: abuse.pressureRetryAfterSeconds,
      // A non-null return value is sent as the reply (under-pressure's handlePressure); null lets the request on.
      pressureHandler: ((req: FastifyRequest, reply: FastifyReply) => {
        if (req.url === '/healthz') return undefined;
        reply.status(503).header('retry-after', abuse.pressureRetryAfterSeconds);
        return overloadedBody(req);
      }) as never,
    });
  }
  installConcurrencyLimits(app, abuse);
  installAuthHooks(app);
  installRefusalAudit(app, deps); // 403s and CSRF failures audited, one row per user+route per minute
  // Rate limits in PostgreSQL (decision 0021): every /api/v1 route per signed-in user (per IP before login);
  // routes with their own `config.rateLimit` (the public calculators) use that instead.
  await ensureAbuseTables(deps.database);
  await app.register(rateLimit, {
    global: true,
    max: abuse.apiPerMinute,
    timeWindow: 60_000,
    store: pgRateLimitStore(deps.database, deps.clock) as never,
    allowList: (req) => !req.url.startsWith('/api/v1/'),
    keyGenerator: (req) => (req.auth ? `u:${req.auth.user.id}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) => rateLimitedError(ctx.ttl, ctx.max),
  });
  installLoginLimits(app, abuse);
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (req.url.startsWith('/api/') && !req.url.startsWith('/api/docs')) {
      reply.header('cache-control', 'no-store');
    }
    if (!req.url.startsWith('/api/docs')) {
      reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
          "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
      );
    }
    return payload;
  });

  app.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    if (deps.draining) return reply.status(503).send({ status: 'draining' });
    try {
      const ping = deps.database.raw('select 1 as ok');
      const timeout = new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 1000).unref());
      await Promise.race([ping, timeout]);
      if (!(await deps.database.migrationsApplied())) return reply.status(503).send({ status: 'migrations pending' });
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(identityRoutes);
  await app.register(regionRoutes);
  await app.register(auditRoutes);
  await app.register(notificationRoutes);
  await app.register(fileRoutes);
  await app.register(systemRoutes);
  await app.register(projectRoutes);
  await app.register(parkRoutes);
  await app.register(enterpriseRoutes);
  await app.register(assistanceRoutes);
  await app.register(policyRoutes);
  await app.register(policyMatchingRoutes);
  await app.register(import('./modules/tools/routes.ts'));
  await app.register(import('./modules/cultivation/routes.ts'));
  await app.register(import('./modules/reports/routes.ts'));
  await app.register(import('./modules/dashboard/routes.ts'));
  await app.register(import('./modules/targets/routes.ts'));

  // The web app (built by Vite into dist/web), with SPA fallback for client-side routes.
  const hasWeb = fs.existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, serve: false });
    app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const rel = decodeURIComponent(req.url.split('?')[0] ?? '/').replace(/^\/+/, '');
      if (rel.startsWith('api/')) return reply.callNotFound();
      const file = path.join(webRoot, rel);
      if (rel && file.startsWith(webRoot + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        if (rel.startsWith('assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
        return reply.sendFile(rel);
      }
      if (path.extname(rel)) return reply.callNotFound();
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    });
  } else {
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>苗圃</title><p>Web app not built: run <code>npm run build</code>.</p>',
        ),
    );
  }
  return app;
}
