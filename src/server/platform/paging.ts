/** Paging, sorting and search parameters shared by every list endpoint (DESIGN.md §5). */
import { asc, desc, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { optionalText } from './input.ts';

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: optionalText(100).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

/** A sort parameter limited to an allow-list of column names (ASVS 5.3.4). */
export function sortParam<const K extends readonly [string, ...string[]]>(keys: K) {
  return z.enum(keys).optional();
}

export function pageOf<T>(items: T[], total: number, q: { page: number; pageSize: number }) {
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export function pageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export function orderBy(column: PgColumn | SQL, order: 'asc' | 'desc' | undefined) {
  return order === 'desc' ? desc(column) : asc(column);
}

/** Escapes LIKE wildcards in user search text. */
export function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
