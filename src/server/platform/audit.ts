/**
 * Append-only, hash-chained audit log (security.md AU-01..AU-04).
 * Each row carries HMAC(key, canonical(row) + prev_hash); rows are written inside the transaction of the
 * change they describe, under a transaction-scoped advisory lock so the chain has one order.
 */
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';
import { hmac, type KeyProvider, MAC_ALGORITHM } from './keys.ts';

export interface Actor {
  userId: string | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', role: 'system', ip: null, requestId: null };

export interface AuditEvent {
  action: string;
  entity?: string | null;
  entityId?: string | null;
  regionCode?: string | null;
  result?: 'success' | 'failure';
  summary?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
const AUDIT_LOCK = 74_201;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

interface ChainFields {
  id: number;
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  regionCode: string | null;
  result: string;
  summary: Record<string, unknown>;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
}

export function rowHash(key: Buffer, r: ChainFields, algorithm: string = MAC_ALGORITHM): string {
  const body = canonical({
    id: r.id,
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorUsername: r.actorUsername,
    actorRole: r.actorRole,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    regionCode: r.regionCode,
    result: r.result,
    summary: r.summary,
    ip: r.ip,
    requestId: r.requestId,
    prevHash: r.prevHash,
  });
  return `${algorithm}:${hmac(key, body, algorithm)}`;
}

export class AuditService {
  private readonly key: Buffer;
  constructor(keys: KeyProvider) {
    this.key = keys.key('audit-chain');
  }

  /**
   * Writes one audit row in `tx`, the transaction of the change it describes. It must be a transaction: the
   * advisory lock that orders the chain lasts until the transaction ends.
   */
  async write(tx: Tx, actor: Actor, event: AuditEvent): Promise<void> {
    const ex = tx;
    await ex.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const last = await ex.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const idRow = await ex.execute(sql`select nextval(pg_get_serial_sequence('audit_log', 'id'))::bigint as id`);
    const rows = (idRow as unknown as { rows: { id: string | number }[] }).rows;
    const fields: ChainFields = {
      id: Number(rows[0]!.id),
      at: new Date(),
      actorId: actor.userId,
      actorUsername: actor.username,
      actorRole: actor.role,
      action: event.action,
      entity: event.entity ?? null,
      entityId: event.entityId ?? null,
      regionCode: event.regionCode ?? null,
      result: event.result ?? 'success',
      summary: event.summary ?? {},
      ip: actor.ip,
      requestId: actor.requestId,
      prevHash: last[0]?.hash ?? GENESIS,
    };
    await ex
      .insert(auditLog)
      .values({ ...fields, result: fields.result as 'success' | 'failure', hash: rowHash(this.key, fields) });
  }

  /** Writes one audit row in a transaction of its own (for events with no other change, e.g. a failed login). */
  async writeAlone(db: Db, actor: Actor, event: AuditEvent): Promise<void> {
    await db.transaction((tx) => this.write(tx, actor, event));
  }

  /**
   * Walks the chain in id order. Returns the first row whose hash does not match its content or whose
   * prev_hash does not match the row before it (an edited, inserted or deleted row).
   */
  async verify(
    ex: Executor,
    onProgress?: (checked: number, total: number) => Promise<void> | void,
  ): Promise<{ ok: boolean; checked: number; brokenId?: number; reason?: string }> {
    const totalRow = await ex.execute(sql`select count(*)::int as n from audit_log`);
    const total = Number((totalRow as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    let prev = GENESIS;
    let checked = 0;
    let after = 0;
    for (;;) {
      const batch = await ex
        .select()
        .from(auditLog)
        .where(gt(auditLog.id, after))
        .orderBy(asc(auditLog.id))
        .limit(1000);
      if (batch.length === 0) break;
      for (const r of batch) {
        if (r.prevHash !== prev) return { ok: false, checked, brokenId: r.id, reason: 'prev_hash mismatch' };
        const algorithm = r.hash.includes(':') ? r.hash.slice(0, r.hash.indexOf(':')) : MAC_ALGORITHM;
        const expected = rowHash(this.key, { ...r, summary: r.summary ?? {} }, algorithm);
        if (expected !== r.hash) return { ok: false, checked, brokenId: r.id, reason: 'content does not match hash' };
        prev = r.hash;
        checked++;
      }
      after = batch[batch.length - 1]!.id;
      await onProgress?.(checked, total);
    }
    return { ok: true, checked };
  }
}
