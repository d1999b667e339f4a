/**
 * Refused requests leave audit rows (issue #16, security.md AU-01, ASVS 7.1.2/7.2.2): every 403 under /api/v1 —
 * a permission the role lacks (FORBIDDEN), a CSRF failure (CSRF_FAILED), any other refusal — is written as a
 * `failure` row. Throttled so a flood cannot fill the log: at most one row per (user or IP, route, code) per
 * minute; the next row of that key carries how many refusals were not written in between (`suppressed`).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './context.ts';

export const REFUSAL_WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;

export function installRefusalAudit(app: FastifyInstance, deps: AppDeps) {
  const windows = new Map<string, { since: number; suppressed: number }>();
  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode !== 403 || !req.url.startsWith('/api/v1/')) return payload;
    let code = 'FORBIDDEN';
    try {
      const parsed = JSON.parse(typeof payload === 'string' ? payload : String(payload ?? '')) as {
        error?: { code?: string };
      };
      code = parsed.error?.code ?? code;
    } catch {
      /* a non-JSON 403 keeps the generic code */
    }
    const route = req.routeOptions?.url ?? req.url.split('?')[0]!;
    const who = req.auth?.user.id ?? `ip:${req.ip}`;
    const key = `${who}|${req.method} ${route}|${code}`;
    const now = deps.clock.now().getTime();
    const w = windows.get(key);
    if (w && now - w.since < REFUSAL_WINDOW_MS) {
      w.suppressed++;
      return payload;
    }
    if (windows.size >= MAX_KEYS) {
      for (const [k, v] of windows) if (now - v.since >= REFUSAL_WINDOW_MS) windows.delete(k);
      if (windows.size >= MAX_KEYS) windows.clear();
    }
    windows.set(key, { since: now, suppressed: 0 });
    try {
      await deps.audit.writeAlone(deps.database.db, req.actor(), {
        action: code === 'CSRF_FAILED' ? 'security.csrf_failed' : 'access.denied',
        entity: req.routeOptions?.config?.entity ?? null,
        regionCode: req.auth?.scope.rootRegion ?? null,
        result: 'failure',
        summary: {
          code,
          method: req.method,
          route,
          permission: req.routeOptions?.config?.access ?? null,
          suppressed: w?.suppressed ?? 0,
        },
      });
    } catch (err) {
      req.log.error({ err }, 'audit of a refused request failed');
    }
    return payload;
  });
}
