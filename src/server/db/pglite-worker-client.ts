/**
 * The main-thread side of PGlite in a worker thread (pglite-worker.mjs, decision 0021). It looks like the part of
 * PGlite that drizzle-orm/pglite and client.ts use — query, exec, transaction, dumpDataDir, close — so Drizzle,
 * the migrator and the raw helpers work unchanged while the database itself runs off the event loop.
 *
 * One connection: a FIFO lock orders everything. A plain query takes the lock for one round trip; a transaction
 * holds it from BEGIN to COMMIT/ROLLBACK, and its own queries go straight to the worker in order (as PGlite's own
 * transaction() does in process: other queries wait until it ends).
 */
import { Worker } from 'node:worker_threads';

export interface PgliteResult {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

export interface PgliteTx {
  query: (sql: string, params?: unknown[], options?: QueryOptions) => Promise<PgliteResult>;
  exec: (sql: string) => Promise<PgliteResult[]>;
  rollback: () => Promise<void>;
  closed: boolean;
}

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

/** What client.ts and the test template need of a PGlite instance (in process or in the worker). */
export interface PgliteLike {
  readonly closed: boolean;
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: T[]; fields: PgliteResult['fields']; affectedRows?: number }>;
  exec(sql: string): Promise<PgliteResult[]>;
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob>;
  close(): Promise<void>;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

class Lock {
  private tail: Promise<void> = Promise.resolve();
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

function revive(error: Record<string, unknown>): Error {
  const e = new Error(String(error.message ?? 'database error'));
  Object.assign(e, error);
  return e;
}

const workerUrl = new URL('./pglite-worker.mjs', import.meta.url);

export class WorkerPglite implements PgliteLike {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly lock = new Lock();
  private ready: Promise<void>;
  private _closed = false;

  constructor(opts: { dataDir?: string; loadDataDir?: ArrayBuffer }) {
    this.worker = new Worker(workerUrl, {
      workerData: { dataDir: opts.dataDir, loadDataDir: opts.loadDataDir },
      transferList: opts.loadDataDir ? [opts.loadDataDir] : [],
      // The worker is plain JavaScript: no TypeScript loader (tsx, vitest) is needed in it.
      execArgv: [],
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    this.worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: Record<string, unknown> }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(revive(m.error ?? {}));
    });
    const fail = (err: unknown) => {
      this._closed = true;
      const e = err instanceof Error ? err : new Error(`PGlite worker exited (${String(err)})`);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(code));
  }

  static async open(opts: { dataDir?: string; loadDataDir?: Blob | File }): Promise<WorkerPglite> {
    const buf = opts.loadDataDir ? await opts.loadDataDir.arrayBuffer() : undefined;
    const w = new WorkerPglite({ dataDir: opts.dataDir, loadDataDir: buf });
    await w.ready;
    return w;
  }

  get closed() {
    return this._closed;
  }

  private send<T>(msg: Record<string, unknown>): Promise<T> {
    if (this._closed) return Promise.reject(new Error('PGlite is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  private direct(sql: string, params?: unknown[], options?: QueryOptions) {
    return this.send<PgliteResult>({
      op: 'query',
      sql,
      params: params ?? [],
      rowMode: options?.rowMode,
      // drizzle-orm/pglite always passes the same parsers (dates and intervals kept as text); the worker has them.
      drizzle: !!options?.parsers,
    });
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: PGlite's generic row type
  query<T = any>(sql: string, params?: unknown[], options?: QueryOptions) {
    return this.locked(() => this.direct(sql, params, options)) as Promise<{
      rows: T[];
      fields: PgliteResult['fields'];
      affectedRows?: number;
    }>;
  }

  exec(sql: string) {
    return this.locked(() => this.send<PgliteResult[]>({ op: 'exec', sql }));
  }

  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T> {
    return this.locked(async () => {
      await this.direct('BEGIN');
      let done = false;
      const tx: PgliteTx = {
        query: (sql, params, options) => {
          if (done) return Promise.reject(new Error('transaction already ended'));
          return this.direct(sql, params, options);
        },
        exec: (sql) => {
          if (done) return Promise.reject(new Error('transaction already ended'));
          return this.send<PgliteResult[]>({ op: 'exec', sql });
        },
        rollback: async () => {
          if (done) return;
          done = true;
          await this.direct('ROLLBACK');
        },
        get closed() {
          return done;
        },
      };
      try {
        const result = await fn(tx);
        if (!done) {
          done = true;
          await this.direct('COMMIT');
        }
        return result;
      } catch (e) {
        if (!done) {
          done = true;
          await this.direct('ROLLBACK').catch(() => {});
        }
        throw e;
      }
    });
  }

  async dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'none'): Promise<Blob> {
    const buf = await this.locked(() => this.send<ArrayBuffer>({ op: 'dump', compression }));
    return new Blob([buf]);
  }

  async close(): Promise<void> {
    if (this._closed) return;
    await this.locked(() => this.send({ op: 'close' })).catch(() => {});
    this._closed = true;
    await this.worker.terminate();
  }
}
