/**
 * Scope on references (issue #16, security.md AC-05/AC-06): an org, region or park named in a request body must be
 * one the caller may name. A district official may name the orgs of its own district (and of the levels above it:
 * a city bureau may own or handle a district's matter), never another district's.
 */
import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { orgs } from '../db/schema/index.ts';
import type { AppDeps } from './context.ts';
import { AppError } from './errors.ts';
import type { Scope } from './scope.ts';

/** May a caller of `scope` name a record filed under `regionCode` (for a matter in `targetRegion`)? */
export function regionReferenceAllowed(
  deps: Pick<AppDeps, 'regions'>,
  scope: Scope,
  regionCode: string | null,
  targetRegion?: string | null,
): boolean {
  if (scope.kind === 'all') return true;
  if (!regionCode) return false;
  if (scope.kind === 'region') {
    if (scope.regionCodes.includes(regionCode)) return true;
    // a level above the matter's region (e.g. the city's bureau for a district's project)
    const target = targetRegion ?? scope.rootRegion;
    return !!target && deps.regions.ancestors(target).includes(regionCode);
  }
  return false;
}

/**
 * Checks an org id from a request body: it must exist and lie in the caller's scope (or above the matter's
 * region). Otherwise 422 REFERENCE_OUT_OF_SCOPE naming the field. Returns the org's region.
 */
export async function assertOrgReference(
  ex: Executor,
  deps: Pick<AppDeps, 'regions'>,
  scope: Scope,
  orgId: string,
  field: string,
  targetRegion?: string | null,
): Promise<string | null> {
  const [o] = await ex.select({ id: orgs.id, regionCode: orgs.regionCode }).from(orgs).where(eq(orgs.id, orgId));
  const allowed =
    !!o &&
    (scope.kind === 'org' ? o.id === scope.orgId : regionReferenceAllowed(deps, scope, o.regionCode, targetRegion));
  if (!allowed)
    throw new AppError('REFERENCE_OUT_OF_SCOPE', { field }, { fields: [{ field, message: 'out of scope' }] });
  return o!.regionCode;
}
