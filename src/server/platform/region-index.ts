/** In-memory index of the division tree (reference data, a few hundred rows, reloaded on change). */
import { asc } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { regions } from '../db/schema/index.ts';

export interface RegionRow {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'town';
  kind: 'admin' | 'dev_zone';
  parentCode: string | null;
  path: string;
}

export class RegionIndex {
  private byCode = new Map<string, RegionRow>();
  private children = new Map<string, string[]>();

  async load(ex: Executor) {
    const rows = await ex.select().from(regions).orderBy(asc(regions.path));
    this.byCode = new Map(rows.map((r) => [r.code, r]));
    this.children = new Map();
    for (const r of rows) {
      if (!r.parentCode) continue;
      const list = this.children.get(r.parentCode) ?? [];
      list.push(r.code);
      this.children.set(r.parentCode, list);
    }
  }

  get(code: string | null | undefined): RegionRow | undefined {
    return code ? this.byCode.get(code) : undefined;
  }

  all(): RegionRow[] {
    return [...this.byCode.values()];
  }

  /** The code and all its descendants. */
  subtree(code: string): string[] {
    if (!this.byCode.has(code)) return [];
    const out: string[] = [];
    const stack = [code];
    while (stack.length) {
      const c = stack.pop()!;
      out.push(c);
      for (const ch of this.children.get(c) ?? []) stack.push(ch);
    }
    return out;
  }

  /** The code's ancestors, root first (not including the code). */
  ancestors(code: string): string[] {
    const out: string[] = [];
    let cur = this.byCode.get(code)?.parentCode;
    while (cur) {
      out.unshift(cur);
      cur = this.byCode.get(cur)?.parentCode;
    }
    return out;
  }
}
