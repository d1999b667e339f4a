/**
 * Idempotency-Key on creating requests (security.md REL-02, after Stripe and the IETF draft): the first
 * response for a key is stored in the same transaction as the write and replayed afterwards; the same key
 * with a different body is refused with 422. Keys are scoped per user.
 */
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tx } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema/index.ts';
import { AppError } from './errors.ts';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

/** A hash of the request that ignores key order (the same body with keys reordered is the same request). */
function canonicalBody(body: unknown) {
  return crypto.createHash('sha256').update(canonical(body)).digest('hex');
}

/**
 * Runs `work` in one transaction. With an Idempotency-Key header, a repeat replays the stored response.
 * `work` returns the status code and body to send.
 */
export async function idempotent<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  work: (tx: Tx) => Promise<{ status: number; body: T }>,
): Promise<T> {
  const key = req.headers['idempotency-key'];
  const { db } = req.server.deps.database;
  const userId = req.auth?.user.id;
  if (typeof key !== 'string' || !userId) {
    const out = await db.transaction(work);
    reply.status(out.status);
    return out.body;
  }
  if (key.length < 8 || key.length > 200) throw new AppError('VALIDATION_FAILED', {}, { header: 'Idempotency-Key' });
  const requestHash = canonicalBody({
    method: req.method,
    url: req.routeOptions.url,
    body: req.body,
    params: req.params,
  });
  const out = await db.transaction(async (tx) => {
    // Claim the key first: a concurrent request with the same key waits here until this one commits.
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ userId, key, method: req.method, path: req.url, requestHash, statusCode: 0, response: {} })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [prior] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
      if (!prior || prior.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return { status: prior.statusCode, body: prior.response as T, replayed: true };
    }
    const result = await work(tx);
    await tx
      .update(idempotencyKeys)
      .set({ statusCode: result.status, response: result.body as object })
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    return { ...result, replayed: false };
  });
  reply.status(out.status);
  if (out.replayed) reply.header('idempotent-replayed', 'true');
  return out.body;
}
