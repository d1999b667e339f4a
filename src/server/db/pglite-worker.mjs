/**
 * PGlite in a worker thread (issue #16/#19, decision 0021): the embedded PostgreSQL runs here, so a long query
 * never blocks the HTTP event loop. Plain JavaScript so that it starts under plain Node (no TypeScript loader in the
 * worker). Protocol (one message at a time, answered in order — PGlite has one connection):
 *   { id, op: 'query', sql, params, rowMode?, drizzle? }  → { id, ok: true, result: { rows, fields, affectedRows } }
 *   { id, op: 'exec', sql }                                → { id, ok: true, result: [{ rows, fields, affectedRows }] }
 *   { id, op: 'dump', compression }                        → { id, ok: true, result: ArrayBuffer }
 *   { id, op: 'close' }                                    → { id, ok: true }
 * Errors come back as { id, ok: false, error: { message, name, ...own fields (code, detail, constraint…) } }.
 * Transactions are the caller's business: it sends BEGIN, the transaction's queries and COMMIT/ROLLBACK in order
 * and sends nothing else meanwhile (client.ts holds a lock).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

const identity = (v) => v;
/** The parsers drizzle-orm/pglite passes (dates, timestamps and intervals stay strings). */
const DRIZZLE_PARSERS = {
  [types.TIMESTAMP]: identity,
  [types.TIMESTAMPTZ]: identity,
  [types.INTERVAL]: identity,
  [types.DATE]: identity,
  1231: identity,
  1115: identity,
  1185: identity,
  1187: identity,
  1182: identity,
};

const { dataDir, loadDataDir } = workerData ?? {};
const pglite = new PGlite({
  ...(dataDir ? { dataDir } : {}),
  extensions: { pg_trgm },
  ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
});

function plainError(e) {
  const out = { message: String(e?.message ?? e), name: e?.name ?? 'Error' };
  if (e && typeof e === 'object') {
    for (const k of Object.keys(e)) {
      const v = e[k];
      if (v === undefined || typeof v === 'function') continue;
      if (typeof v === 'object' && v !== null) continue;
      out[k] = v;
    }
  }
  return out;
}

const slim = (r) => ({ rows: r.rows, fields: r.fields, affectedRows: r.affectedRows });

async function handle(msg) {
  switch (msg.op) {
    case 'query': {
      const options = {};
      if (msg.rowMode) options.rowMode = msg.rowMode;
      if (msg.drizzle) options.parsers = DRIZZLE_PARSERS;
      return slim(await pglite.query(msg.sql, msg.params ?? [], options));
    }
    case 'exec':
      return (await pglite.exec(msg.sql)).map(slim);
    case 'dump': {
      const blob = await pglite.dumpDataDir(msg.compression ?? 'none');
      return await blob.arrayBuffer();
    }
    case 'close':
      if (!pglite.closed) await pglite.close();
      return null;
    default:
      throw new Error(`unknown op ${msg.op}`);
  }
}

let chain = pglite.waitReady.then(
  () => parentPort.postMessage({ id: 0, ok: true, result: 'ready' }),
  (e) => parentPort.postMessage({ id: 0, ok: false, error: plainError(e) }),
);

parentPort.on('message', (msg) => {
  chain = chain.then(async () => {
    try {
      const result = await handle(msg);
      const transfer = result instanceof ArrayBuffer ? [result] : [];
      parentPort.postMessage({ id: msg.id, ok: true, result }, transfer);
    } catch (e) {
      parentPort.postMessage({ id: msg.id, ok: false, error: plainError(e) });
    }
    if (msg.op === 'close') parentPort.close();
  });
});
