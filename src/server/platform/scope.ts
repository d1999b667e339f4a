/**
 * Scope: what the caller may see. Every module query takes a Scope and filters through `scopeWhere`
 * (DESIGN.md §3 "Scope everywhere"); scope attributes come from the session, never from the request
 * (ASVS 4.1.2).
 */
import { inArray, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Role, ScopeKind } from '../../domain/access.ts';

export interface Scope {
  userId: string;
  role: Role;
  kind: ScopeKind;
  /** Root of the visible region subtree (region scopes) or the region of the user's org. */
  rootRegion: string | null;
  /** Every region code in the visible subtree (region scopes only). */
  regionCodes: readonly string[];
  orgId: string | null;
}

export interface ScopeColumns {
  /** The row's region code column. */
  region?: PgColumn | SQL;
  /** The row's owning org column (several: the row is visible to each of those orgs). */
  org?: PgColumn | SQL | (PgColumn | SQL)[];
}

/**
 * The WHERE condition limiting rows to the caller's scope. A table that offers no column for the caller's
 * kind of scope yields `false` (fail closed).
 */
export function scopeWhere(scope: Scope, cols: ScopeColumns): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'region':
      if (!cols.region || scope.regionCodes.length === 0) return sql`false`;
      return inArray(cols.region as PgColumn, [...scope.regionCodes]);
    case 'org':
      if (!cols.org || !scope.orgId) return sql`false`;
      if (Array.isArray(cols.org)) {
        if (cols.org.length === 0) return sql`false`;
        return sql`(${sql.join(
          cols.org.map((c) => sql`${c} = ${scope.orgId}`),
          sql` or `,
        )})`;
      }
      return sql`${cols.org} = ${scope.orgId}`;
    default:
      return sql`false`;
  }
}

/** True when a record filed under (regionCode, orgId) is visible in `scope` (for checks in code). */
export function inScope(scope: Scope, rec: { regionCode?: string | null; orgId?: string | null }): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'region':
      return !!rec.regionCode && scope.regionCodes.includes(rec.regionCode);
    case 'org':
      return !!rec.orgId && rec.orgId === scope.orgId;
    default:
      return false;
  }
}
