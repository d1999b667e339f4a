/**
 * Append-only, hash-chained audit log (security.md AU-01..AU-04).
 * Each row carries HMAC(key, canonical(row) + prev_hash); rows are written inside the transaction of the
 * change they describe, under a transaction-scoped advisory lock so the chain has one order.
 */
import fs from 'node:fs';
import path from 'node:path';
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
    const hash = rowHash(this.key, fields);
    await ex.insert(auditLog).values({ ...fields, result: fields.result as 'success' | 'failure', hash });
    // Every CHECKPOINT_EVERY ids, the new head is anchored in audit_checkpoints in the same transaction.
    if (fields.id % CHECKPOINT_EVERY === 0) await this.storeCheckpoint(ex, { headId: fields.id, headHash: hash });
  }

  // ——— anchors (issue #16, decision 0022): signed checkpoints of the head, outside the audit table ———

  /** The signature of a checkpoint: HMAC with the chain's key over its canonical fields. */
  signCheckpoint(c: Omit<AuditCheckpoint, 'signature'>, algorithm: string = MAC_ALGORITHM): string {
    const body = canonical({
      kind: 'audit-checkpoint',
      headId: c.headId,
      headHash: c.headHash,
      rows: c.rows,
      at: c.at,
    });
    return `${algorithm}:${hmac(this.key, body, algorithm)}`;
  }

  checkpointValid(c: AuditCheckpoint): boolean {
    const algorithm = c.signature.includes(':') ? c.signature.slice(0, c.signature.indexOf(':')) : MAC_ALGORITHM;
    return this.signCheckpoint(c, algorithm) === c.signature;
  }

  private async storeCheckpoint(
    ex: Executor,
    head: { headId: number; headHash: string } | null,
  ): Promise<AuditCheckpoint | null> {
    await ensureCheckpointTable(ex);
    if (!head) {
      const last = await ex
        .select({ id: auditLog.id, hash: auditLog.hash })
        .from(auditLog)
        .orderBy(desc(auditLog.id))
        .limit(1);
      if (!last[0]) return null;
      head = { headId: last[0].id, headHash: last[0].hash };
    }
    const n = await ex.execute(sql`select count(*)::bigint as n from audit_log where id <= ${head.headId}`);
    const rows = Number((n as unknown as { rows: { n: string | number }[] }).rows[0]?.n ?? 0);
    const unsigned = { headId: head.headId, headHash: head.headHash, rows, at: new Date().toISOString() };
    const c: AuditCheckpoint = { ...unsigned, signature: this.signCheckpoint(unsigned) };
    await ex.execute(
      sql`insert into audit_checkpoints (head_id, head_hash, row_count, at, signature) values (${c.headId}, ${c.headHash}, ${c.rows}, ${c.at}, ${c.signature})`,
    );
    return c;
  }

  /**
   * Writes a signed checkpoint of the current head to `audit_checkpoints` and, when `file` is given, appends it
   * to that file (one JSON line; DATA_DIR/audit/checkpoints.jsonl), outside the database. Takes the chain's lock
   * so the head cannot move while it is read.
   */
  async checkpoint(db: Db, file?: string | null): Promise<AuditCheckpoint | null> {
    const c = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
      return this.storeCheckpoint(tx, null);
    });
    if (c && file) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.appendFileSync(file, `${JSON.stringify(c)}\n`, { mode: 0o600 });
    }
    return c;
  }

  /** Checkpoints from the table and (if given) the file, newest head first; `valid` says if the signature holds. */
  async checkpoints(
    ex: Executor,
    file?: string | null,
    limit = 1000,
  ): Promise<(AuditCheckpoint & { source: string; valid: boolean })[]> {
    await ensureCheckpointTable(ex);
    const res = await ex.execute(
      sql`select head_id, head_hash, row_count, at, signature from audit_checkpoints order by head_id desc, id desc limit ${limit}`,
    );
    const out: (AuditCheckpoint & { source: string; valid: boolean })[] = [];
    for (const r of (res as unknown as { rows: Record<string, unknown>[] }).rows) {
      const c: AuditCheckpoint = {
        headId: Number(r.head_id),
        headHash: String(r.head_hash),
        rows: Number(r.row_count),
        at: typeof r.at === 'string' ? new Date(r.at).toISOString() : (r.at as Date).toISOString(),
        signature: String(r.signature),
      };
      out.push({ ...c, source: 'table', valid: this.checkpointValid(c) });
    }
    if (file && fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const c = JSON.parse(line) as AuditCheckpoint;
          out.push({ ...c, source: 'file', valid: this.checkpointValid(c) });
        } catch {
          out.push({ headId: 0, headHash: '', rows: 0, at: '', signature: '', source: 'file', valid: false });
        }
      }
    }
    return out.sort((a, b) => b.headId - a.headId);
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
    opts: { checkpointFile?: string | null } = {},
  ): Promise<AuditVerifyResult> {
    const chain = await this.verifyChain(ex, onProgress);
    if (!chain.ok) return { ok: false, checked: chain.checked, brokenId: chain.brokenId, reason: chain.reason };
    const fail = (brokenId: number, reason: string): AuditVerifyResult => ({
      ok: false,
      checked: chain.checked,
      brokenId,
      reason,
    });
    // Anchors: every checkpoint must be signed, its head row present with the same hash, and as many rows up to
    // it as when it was taken. This finds rows cut off the tail (and an emptied table), which the chain cannot.
    const anchors = await this.checkpoints(ex, opts.checkpointFile);
    const heads = chain.heads ?? new Map<number, string>();
    for (const c of anchors) {
      if (!c.valid) return fail(c.headId, `checkpoint signature invalid (${c.source})`);
      const hash = heads.get(c.headId);
      if (hash === undefined) {
        return fail(c.headId, `checkpoint head row missing: rows deleted (${c.source} checkpoint of ${c.at})`);
      }
      if (hash !== c.headHash) return fail(c.headId, `checkpoint head hash differs (${c.source})`);
      const upTo = countUpTo(chain.idsAscending, c.headId);
      if (upTo !== c.rows) return fail(c.headId, `${c.rows - upTo} rows missing before checkpoint head (${c.source})`);
    }
    const latest = anchors[0];
    return {
      ok: true,
      checked: chain.checked,
      anchors: anchors.length,
      latestCheckpoint: latest
        ? { headId: latest.headId, headHash: latest.headHash, rows: latest.rows, at: latest.at }
        : null,
    };
  }

  private async verifyChain(
    ex: Executor,
    onProgress?: (checked: number, total: number) => Promise<void> | void,
  ): Promise<AuditVerifyResult & { heads?: Map<number, string>; idsAscending: number[] }> {
    const heads = new Map<number, string>();
    const idsAscending: number[] = [];
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
        if (r.prevHash !== prev) {
          return { ok: false, checked, brokenId: r.id, reason: 'prev_hash mismatch', idsAscending };
        }
        const algorithm = r.hash.includes(':') ? r.hash.slice(0, r.hash.indexOf(':')) : MAC_ALGORITHM;
        const expected = rowHash(this.key, { ...r, summary: r.summary ?? {} }, algorithm);
        if (expected !== r.hash) {
          return { ok: false, checked, brokenId: r.id, reason: 'content does not match hash', idsAscending };
        }
        prev = r.hash;
        heads.set(r.id, r.hash);
        idsAscending.push(r.id);
        checked++;
      }
      after = batch[batch.length - 1]!.id;
      await onProgress?.(checked, total);
    }
    return { ok: true, checked, heads, idsAscending };
  }
}

/** How many ids of an ascending list are ≤ id (binary search). */
function countUpTo(ids: number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows between the checkpoints that write() adds by itself (besides the daily job and each verification). */
export const CHECKPOINT_EVERY = 1000;

export interface AuditCheckpoint {
  headId: number;
  headHash: string;
  /** Rows in the chain up to and including the head. */
  rows: number;
  at: string;
  signature: string;
}

export interface AuditVerifyResult extends Record<string, unknown> {
  ok: boolean;
  checked: number;
  brokenId?: number;
  reason?: string;
  /** Checkpoints compared (table and file). */
  anchors?: number;
  latestCheckpoint?: Omit<AuditCheckpoint, 'signature'> | null;
}

/** The checkpoint file under DATA_DIR. */
export function checkpointFile(dataDir: string): string {
  return path.join(dataDir, 'audit', 'checkpoints.jsonl');
}

/**
 * `audit_checkpoints` lives outside the audit table and outside the chain. It is created here (idempotent) rather
 * than by a numbered migration, so the anchor works on databases of any migration level.
 */
const ensured = new WeakSet<object>();
export async function ensureCheckpointTable(ex: Executor) {
  if (ensured.has(ex)) return;
  await ex.execute(
    sql`create table if not exists audit_checkpoints (id bigserial primary key, head_id bigint not null, head_hash text not null, row_count bigint not null, at timestamptz not null, signature text not null)`,
  );
  ensured.add(ex);
}
