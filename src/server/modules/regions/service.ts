/** Which regions a scope sees: the subtree (region scopes), the org's region (org scopes), all (system admin). */
import type { RegionIndex, RegionRow } from '../../platform/region-index.ts';
import type { Scope } from '../../platform/scope.ts';

export function visibleRegions(index: RegionIndex, scope: Scope): { row: RegionRow; inScope: boolean }[] {
  let codes: string[];
  if (scope.kind === 'all') codes = index.all().map((r) => r.code);
  else if (scope.kind === 'region') codes = [...scope.regionCodes];
  else if (scope.kind === 'org' && scope.rootRegion) codes = [scope.rootRegion];
  else codes = [];
  const inScope = new Set(codes);
  const context = new Set<string>();
  for (const c of codes) for (const a of index.ancestors(c)) if (!inScope.has(a)) context.add(a);
  return index
    .all()
    .filter((r) => inScope.has(r.code) || context.has(r.code))
    .map((row) => ({ row, inScope: inScope.has(row.code) }));
}
