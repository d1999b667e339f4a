/**
 * Where generated rows go (issue #19, decision 0027). Rows are collected in batches, one text part per table, and a
 * batch is written in the fixed table order below (parents before children, so foreign keys hold at every row):
 * - PostgreSQL: COPY … FROM STDIN (text format, pg-copy-streams) on one connection inside one transaction;
 * - PGlite: multi-row INSERT statements of literal values, a transaction per batch, in PGlite's worker thread;
 * - dry run: nothing is written (the digest and samples are still computed; tests compare them).
 * Every batch also feeds a SHA-256 digest of its rows, so two runs can be compared without reading the database.
 */
import crypto from 'node:crypto';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../client.ts';

export type Cell = string | number | boolean | null;

export interface TableDef {
  name: string;
  columns: readonly string[];
}

/** Parents first. */
export const TABLE_ORDER = [
  'regions',
  'orgs',
  'users',
  'parks',
  'park_milestones',
  'park_investment_plans',
  'park_monthly_investments',
  'enterprises',
  'enterprise_qualifications',
  'enterprise_indicators',
  'enterprise_indicator_values',
  'enterprise_monthly_indicators',
  'tenancies',
  'enterprise_facts',
  'enterprise_data_issues',
  'assistance_work_groups',
  'assistance_cadres',
  'assistance_pairings',
  'assistance_problems',
  'projects',
  'project_batch_entries',
  'project_annual_plans',
  'project_monthly_investments',
  'policies',
  'policy_clauses',
] as const;
const RANK = new Map<string, number>(TABLE_ORDER.map((t, i) => [t, i]));

/** COPY text format: backslash escapes, \N for null. */
export function copyCell(v: Cell): string {
  if (typeof v === 'string') return NEEDS_ESC.test(v) ? v.replace(NEEDS_ESC_G, (c) => ESC[c]!) : v;
  if (v === null) return '\\N';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return v;
}
const NEEDS_ESC = /[\\\t\n\r]/;
const NEEDS_ESC_G = /[\\\t\n\r]/g;
const ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** SQL literal (standard_conforming_strings on: only the quote is doubled). */
export function sqlCell(v: Cell): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `'${v.includes("'") ? v.replaceAll("'", "''") : v}'`;
}

/** A PostgreSQL array literal of plain tokens (uuid[], text[] without commas or quotes). */
export function pgArray(xs: readonly string[]): string {
  return `{${xs.join(',')}}`;
}

interface Part {
  def: TableDef;
  rows: string[];
  /** The rows in COPY text form, when the sink writes another form and digests (the digest is of this form). */
  canon: string[] | null;
  /** The first rows in COPY text form (samples). */
  first: string[];
}

export class Batch {
  readonly parts = new Map<string, Part>();
  rows = 0;
  constructor(
    private readonly format: (cells: Cell[]) => string,
    private readonly canonical: boolean,
  ) {}

  add(def: TableDef, cells: Cell[]) {
    if (cells.length !== def.columns.length)
      throw new Error(`${def.name}: ${cells.length} values for ${def.columns.length} columns`);
    let p = this.parts.get(def.name);
    if (!p) {
      if (!RANK.has(def.name)) throw new Error(`table ${def.name} is not in TABLE_ORDER`);
      p = { def, rows: [], canon: this.canonical ? [] : null, first: [] };
      this.parts.set(def.name, p);
    }
    p.rows.push(this.format(cells));
    if (p.canon) p.canon.push(cells.map(copyCell).join('\t'));
    if (p.first.length < 5) p.first.push(cells.map(copyCell).join('\t'));
    this.rows++;
  }

  ordered(): Part[] {
    return [...this.parts.values()].sort((a, b) => RANK.get(a.def.name)! - RANK.get(b.def.name)!);
  }
}

export interface Sink {
  kind: 'postgres' | 'pglite' | 'dry-run';
  batch(): Batch;
  /** Writes one batch (tables in TABLE_ORDER); batches are written one after another. */
  write(batch: Batch): Promise<void>;
  /** Rows written per table so far. */
  counts: Map<string, number>;
  /** SHA-256 over every row in write order (hex). */
  digest(): string;
  /** The first rows of each table, in COPY text form. */
  samples: Map<string, string[]>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

abstract class BaseSink {
  counts = new Map<string, number>();
  samples = new Map<string, string[]>();
  private hash: crypto.Hash | null;
  private chain: Promise<void> = Promise.resolve();

  constructor(digest: boolean) {
    this.hash = digest ? crypto.createHash('sha256') : null;
  }

  protected abstract format(cells: Cell[]): string;
  protected abstract writeParts(parts: Part[]): Promise<void>;

  /** True when `format` is not the COPY text form (the digest is always taken of that form). */
  protected canonicalDiffers = false;

  batch() {
    return new Batch((c) => this.format(c), this.hash !== null && this.canonicalDiffers);
  }

  write(batch: Batch): Promise<void> {
    const parts = batch.ordered();
    for (const p of parts) {
      this.counts.set(p.def.name, (this.counts.get(p.def.name) ?? 0) + p.rows.length);
      const s = this.samples.get(p.def.name) ?? [];
      if (s.length < 5) this.samples.set(p.def.name, [...s, ...p.first.slice(0, 5 - s.length)]);
      if (this.hash) {
        this.hash.update(`${p.def.name}\n`);
        const text = p.canon ?? p.rows;
        for (let i = 0; i < text.length; i += 20_000) this.hash.update(`${text.slice(i, i + 20_000).join('\n')}\n`);
      }
    }
    this.chain = this.chain.then(() => this.writeParts(parts));
    return this.chain;
  }

  /** Empty when the sink was opened without a digest. */
  digest() {
    return this.hash ? this.hash.copy().digest('hex') : '';
  }
}

class DrySink extends BaseSink implements Sink {
  kind = 'dry-run' as const;
  protected format(cells: Cell[]) {
    return cells.map(copyCell).join('\t');
  }
  protected async writeParts() {}
  async commit() {}
  async rollback() {}
}

class CopySink extends BaseSink implements Sink {
  kind = 'postgres' as const;
  constructor(
    private readonly client: PoolClient,
    digest: boolean,
  ) {
    super(digest);
  }
  protected format(cells: Cell[]) {
    return cells.map(copyCell).join('\t');
  }
  protected async writeParts(parts: Part[]) {
    for (const p of parts) {
      const stream = this.client.query(copyFrom(`COPY ${p.def.name} (${p.def.columns.join(', ')}) FROM STDIN`));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      // about a megabyte per write; wait for 'drain' when the socket is behind
      const step = Math.max(1, Math.floor(1_000_000 / Math.max(1, (p.rows[0]?.length ?? 100) + 1)));
      for (let i = 0; i < p.rows.length; i += step) {
        const ok = stream.write(`${p.rows.slice(i, i + step).join('\n')}\n`);
        if (!ok) await Promise.race([new Promise((r) => stream.once('drain', r)), done]);
      }
      stream.end();
      await done;
    }
  }
  async commit() {
    await this.client.query('COMMIT');
  }
  async rollback() {
    await this.client.query('ROLLBACK').catch(() => {});
  }
}

class InsertSink extends BaseSink implements Sink {
  kind = 'pglite' as const;
  protected override canonicalDiffers = true;
  constructor(
    private readonly database: Database,
    digest: boolean,
  ) {
    super(digest);
  }
  protected format(cells: Cell[]) {
    return `(${cells.map(sqlCell).join(',')})`;
  }
  protected async writeParts(parts: Part[]) {
    const pglite = this.database.pglite;
    if (!pglite) throw new Error('not a PGlite database');
    await pglite.transaction(async (tx) => {
      for (const p of parts) {
        const head = `insert into ${p.def.name} (${p.def.columns.join(', ')}) values `;
        // about 2 MB of SQL per statement
        const step = Math.max(1, Math.floor(2_000_000 / Math.max(1, (p.rows[0]?.length ?? 100) + 1)));
        for (let i = 0; i < p.rows.length; i += step) await tx.exec(head + p.rows.slice(i, i + step).join(','));
      }
    });
  }
  async commit() {}
  async rollback() {}
}

/** The sink for a database: COPY in one transaction on PostgreSQL, INSERT batches on PGlite; or a dry run. */
export async function openSink(
  database: Database,
  opts: { dryRun?: boolean; digest?: boolean } = {},
): Promise<{ sink: Sink; release: () => void }> {
  const digest = opts.digest ?? true;
  if (opts.dryRun) return { sink: new DrySink(digest), release: () => {} };
  if (database.kind === 'postgres') {
    if (!database.pool) throw new Error('PostgreSQL database without a pool');
    const client = await database.pool.connect();
    await client.query('SET synchronous_commit = off');
    await client.query('BEGIN');
    return {
      sink: new CopySink(client, digest),
      release: () => {
        client.query('RESET synchronous_commit').finally(() => client.release());
      },
    };
  }
  return { sink: new InsertSink(database, digest), release: () => {} };
}
