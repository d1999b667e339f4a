/**
 * The cockpit summary (驾驶舱, issue #21): KPI tiles of one region on one date, scoped to the caller. Every value
 * comes from the SAME service function the owning module's endpoint uses (parks, projects, assistance, policies,
 * enterprises, cultivation); this file only calls them and arranges the results. The reports module imports
 * `dashboardSummary` so that a report carries the cockpit's figures for its period.
 */
import type { AppDeps } from '../../platform/context.ts';
import type { Scope } from '../../platform/scope.ts';

export type TileUnit = 'count' | 'mu' | 'm2' | 'wan' | 'yuan' | 'percent' | 'score';

export interface Tile {
  key: string;
  value: number | null;
  unit: TileUnit;
  asOf: string;
  /** Where the figure comes from: the module (and the import or bureau behind it). */
  source: string;
  /** How it is computed (Chinese first; `howEn` the English text). */
  how: string;
  howEn: string;
  /** The list behind the tile (web route with filters). */
  href: string;
  /** Target of the period containing asOf, when one is set for this region and indicator. */
  target?: number | null;
  completionRate?: number | null;
  timeProgress?: number | null;
}

export interface DashboardSummary {
  region: string;
  asOf: string;
  tiles: Tile[];
}

/** Who asks: their scope decides which regions they may ask for (a district admin: their district only). */
export interface SummaryActor {
  scope: Scope;
}

export async function dashboardSummary(
  deps: AppDeps,
  actor: SummaryActor,
  opts: { regionCode?: string; asOf?: string } = {},
): Promise<DashboardSummary> {
  void deps;
  const region = opts.regionCode ?? actor.scope.rootRegion ?? '';
  const asOf = opts.asOf ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  return { region, asOf, tiles: [] };
}
