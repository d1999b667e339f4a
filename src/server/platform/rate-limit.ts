import os from 'node:os';
/**
 * Abuse resistance (issue #16, decision 0021): rate limits kept in PostgreSQL so they hold across app instances,
 * and load shedding with @fastify/under-pressure.
 *
 * - The API per signed-in user (per client IP before login): generous, normal use never meets it.
 * - Login per client IP and per account (the username asked for), on top of the per-(account, IP) lockout.
 * - The public calculators per client IP (each calculator separately).
 *
 * Counters are one row per key and fixed window in `rate_limit_counters`, incremented by one atomic upsert, so
 * two instances on the same database share them; PGlite has the same table. The table holds only short-lived
 * counters, so it is created here (UNLOGGED on a PostgreSQL server) rather than by a migration.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import type { Clock } from './context.ts';
import { AppError, localeOf } from './errors.ts';
import { formatMessage } from './messages.ts';

export interface AbuseSettings {
  /** Requests per minute per signed-in user (per IP for anonymous calls) across /api/v1. */
  apiPerMinute: number;
  /** Login attempts per minute from one client IP. */
  loginPerIpPerMinute: number;
  /** Login attempts per minute for one account (username), from anywhere. */
  loginPerAccountPerMinute: number;
  /** Calls per minute per client IP, for each public calculator. */
  toolsPerMinute: number;
  /** Mean event-loop delay (ms) over a sample above which requests get 503 + Retry-After; 0 turns it off. */
  maxEventLoopDelayMs: number;
  /** How often under-pressure samples the event loop (ms). */
  pressureSampleIntervalMs: number;
  /** Retry-After (seconds) on a 503 from load shedding. */
  pressureRetryAfterSeconds: number;
  /**
   * Heavy requests (exports, imports, file downloads, reports) running at once in one instance; one more gets 503 +
   * Retry-After at once instead of queueing behind the database (the event loop does not lag while PGlite or the
   * PostgreSQL server works, so under-pressure alone never sheds them). 0 turns it off.
   */
  maxConcurrentHeavy: number;
  /** Requests under /api/v1 in flight at once in one instance before any new one gets 503; 0 turns it off. */
  maxInFlight: number;
}

export const DEFAULT_ABUSE_SETTINGS: AbuseSettings = {
  apiPerMinute: 600,
  loginPerIpPerMinute: 100,
  loginPerAccountPerMinute: 30,
  toolsPerMinute: 60,
  maxEventLoopDelayMs: 1000,
  pressureSampleIntervalMs: 1000,
  pressureRetryAfterSeconds: 5,
  // one heavy request per core (at least 2): on 2 cores, 4 at once queued the liveness probe past 100 ms (bench/abuse.ts)
  maxConcurrentHeavy: Math.max(2, os.availableParallelism()),
  maxInFlight: 256,
};

const envSchema = z.object({
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_TOOLS_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  PRESSURE_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).optional(),
  MAX_CONCURRENT_HEAVY: z.coerce.number().int().min(0).optional(),
  MAX_IN_FLIGHT: z.coerce.number().int().min(0).optional(),
});

/** Settings from the environment (all optional), over the defaults. */
export function abuseSettingsFromEnv(env: NodeJS.ProcessEnv): AbuseSettings {
  const e = envSchema.parse(env);
  const d = DEFAULT_ABUSE_SETTINGS;
  return {
    ...d,
    apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE ?? d.apiPerMinute,
    loginPerIpPerMinute: e.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE ?? d.loginPerIpPerMinute,
    loginPerAccountPerMinute: e.RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE ?? d.loginPerAccountPerMinute,
    toolsPerMinute: e.RATE_LIMIT_TOOLS_PER_MINUTE ?? d.toolsPerMinute,
    maxEventLoopDelayMs: e.PRESSURE_MAX_EVENT_LOOP_DELAY_MS ?? d.maxEventLoopDelayMs,
    maxConcurrentHeavy: e.MAX_CONCURRENT_HEAVY ?? d.maxConcurrentHeavy,
    maxInFlight: e.MAX_IN_FLIGHT ?? d.maxInFlight,
  };
}

/** Creates the counter tables (rate limits and per-(account, IP) login failures) when missing. */
export async function ensureAbuseTables(database: Database) {
  const unlogged = database.kind === 'postgres' ? 'UNLOGGED ' : '';
  const ddl = [
    `CREATE ${unlogged}TABLE IF NOT EXISTS rate_limit_counters (
       key text PRIMARY KEY,
       window_start_ms bigint NOT NULL,
       window_ms integer NOT NULL,
       hits integer NOT NULL
     )`,
    `CREATE TABLE IF NOT EXISTS login_failures (
       user_id text NOT NULL,
       ip text NOT NULL,
       failures integer NOT NULL DEFAULT 0,
       lockouts integer NOT NULL DEFAULT 0,
       locked_until timestamptz,
       updated_at timestamptz NOT NULL,
       PRIMARY KEY (user_id, ip)
     )`,
  ];
  for (const statement of ddl) {
    try {
      await database.raw(statement);
    } catch (e) {
      // Two instances starting at once can race on CREATE TABLE IF NOT EXISTS; the loser finds the table.
      const exists = await database.raw(`select to_regclass($1) as t`, [
        statement.includes('rate_limit') ? 'rate_limit_counters' : 'login_failures',
      ]);
      if (!exists.rows[0]?.t) throw e;
    }
  }
}

type IncrCallback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** A @fastify/rate-limit store over `rate_limit_counters` (fixed windows, one upsert per hit). */
export function pgRateLimitStore(database: Database, clock: Clock) {
  let sinceCleanup = 0;
  const cleanup = (nowMs: number) => {
    if (++sinceCleanup < 1000) return;
    sinceCleanup = 0;
    void database
      .raw('DELETE FROM rate_limit_counters WHERE window_start_ms + window_ms < $1', [nowMs - 60_000])
      .catch(() => {});
  };
  return class PgStore {
    constructor(
      _options: unknown,
      private readonly ns = 'api',
    ) {}

    incr(key: string, cb: IncrCallback, timeWindow: number, _max: number) {
      const nowMs = clock.now().getTime();
      database
        .raw(
          `INSERT INTO rate_limit_counters AS c (key, window_start_ms, window_ms, hits) VALUES ($1, $2, $3, 1)
           ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN c.window_start_ms + c.window_ms <= $2 THEN 1 ELSE c.hits + 1 END,
             window_start_ms = CASE WHEN c.window_start_ms + c.window_ms <= $2 THEN $2 ELSE c.window_start_ms END,
             window_ms = CASE WHEN c.window_start_ms + c.window_ms <= $2 THEN $3 ELSE c.window_ms END
           RETURNING hits, window_start_ms, window_ms`,
          [`${this.ns}:${key}`, nowMs, timeWindow],
        )
        .then((r) => {
          const row = r.rows[0] as { hits: number; window_start_ms: string | number; window_ms: number };
          const ttl = Math.max(0, Number(row.window_start_ms) + Number(row.window_ms) - nowMs);
          cleanup(nowMs);
          cb(null, { current: Number(row.hits), ttl });
        }, cb);
    }

    read(key: string, cb: IncrCallback, _timeWindow: number) {
      const nowMs = clock.now().getTime();
      database
        .raw('SELECT hits, window_start_ms, window_ms FROM rate_limit_counters WHERE key = $1', [`${this.ns}:${key}`])
        .then((r) => {
          const row = r.rows[0] as { hits: number; window_start_ms: string | number; window_ms: number } | undefined;
          const end = row ? Number(row.window_start_ms) + Number(row.window_ms) : 0;
          cb(null, end > nowMs ? { current: Number(row!.hits), ttl: end - nowMs } : { current: 0, ttl: 0 });
        }, cb);
    }

    child(routeOptions: { ns?: string; routeInfo?: { method?: string | string[]; url?: string } }) {
      const info = routeOptions.routeInfo;
      const ns = routeOptions.ns ?? (info?.url ? `${String(info.method)} ${info.url}` : this.ns);
      return new PgStore(routeOptions, ns);
    }
  };
}

/** The app error for a limit hit (429, RATE_LIMITED), with the seconds until the window ends. */
export function rateLimitedError(ttlMs: number, max: number) {
  return new AppError('RATE_LIMITED', {}, { retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)), limit: max });
}

type Limiter = (
  req: FastifyRequest,
) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttl?: number; max?: number }>;

/**
 * Login limits, checked before the password is looked at: per client IP and per account (the lower-cased
 * username asked for). Installed as a preHandler of POST /api/v1/auth/login (the body is parsed by then).
 */
export function installLoginLimits(app: FastifyInstance, settings: AbuseSettings) {
  const create = (app as unknown as { createRateLimit: (o: object) => Limiter }).createRateLimit;
  const perIp = create({
    ns: 'login-ip',
    max: settings.loginPerIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => req.ip,
  });
  const perAccount = create({
    ns: 'login-account',
    max: settings.loginPerAccountPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => {
      const u = (req.body as { username?: unknown } | undefined)?.username;
      return typeof u === 'string' ? u.trim().toLowerCase().slice(0, 100) : '';
    },
  });
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== 'POST' || req.routeOptions.url !== '/api/v1/auth/login') return;
    for (const limiter of [perIp, perAccount]) {
      const r = await limiter(req);
      if (!r.isAllowed && r.isExceeded) {
        const seconds = Math.max(1, Math.ceil((r.ttl ?? 0) / 1000));
        reply.header('retry-after', seconds);
        throw rateLimitedError(r.ttl ?? 0, r.max ?? 0);
      }
    }
  });
}

/** The 503 body of load shedding, in the app's error envelope. */
export function overloadedBody(req: FastifyRequest) {
  return {
    error: {
      code: 'SERVICE_UNAVAILABLE',
      message: formatMessage('SERVICE_UNAVAILABLE', localeOf(req), {}),
      details: { reason: 'overloaded' },
    },
  };
}

/** A heavy request: a whole-list export, an import upload, a file or report download. */
export function isHeavyRequest(method: string, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith('/api/v1/')) return false;
  if (method === 'GET') return /\/export$/.test(path) || /\/files\/[^/]+\/content$/.test(path) || /\/file$/.test(path);
  if (method === 'POST') return /\/import$/.test(path);
  return false;
}

/**
 * Load shedding by concurrency (decision 0021): at most `maxConcurrentHeavy` heavy requests and `maxInFlight` API
 * requests at once per instance; the next one is answered 503 + Retry-After before it touches the database.
 */
export function installConcurrencyLimits(app: FastifyInstance, abuse: AbuseSettings) {
  let heavy = 0;
  let inFlight = 0;
  const held = new WeakMap<FastifyRequest, { heavy: boolean }>();
  const release = (req: FastifyRequest) => {
    const h = held.get(req);
    if (!h) return;
    held.delete(req);
    inFlight--;
    if (h.heavy) heavy--;
  };
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/v1/')) return;
    const isHeavy = abuse.maxConcurrentHeavy > 0 && isHeavyRequest(req.method, req.url);
    if ((abuse.maxInFlight > 0 && inFlight >= abuse.maxInFlight) || (isHeavy && heavy >= abuse.maxConcurrentHeavy)) {
      reply.status(503).header('retry-after', abuse.pressureRetryAfterSeconds);
      return reply.send(overloadedBody(req));
    }
    inFlight++;
    if (isHeavy) heavy++;
    held.set(req, { heavy: isHeavy });
  });
  app.addHook('onResponse', async (req) => release(req));
  app.addHook('onRequestAbort', async (req) => release(req));
}
