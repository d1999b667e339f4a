/**
 * Library figures of one region on one date (issue #21), for `GET /api/v1/policies/stats` and the cockpit: the
 * policies in the library (published on or before the date, still listed or since expired), their issuing
 * departments, the firms currently matched as eligible, and the money paid out by the end of the date.
 */
import { and, inArray, sql } from 'drizzle-orm';
import { payouts, policies, policyMatches } from '../../db/schema/index.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { Scope } from '../../platform/scope.ts';
import { policyScope } from './queries.ts';

/** The caller's scope narrowed to one region of it (the subtree of `region`). */
function narrowed(deps: Pick<AppDeps, 'regions'>, scope: Scope, region: string): Scope {
  if (scope.kind !== 'region') return scope;
  return { ...scope, rootRegion: region, regionCodes: deps.regions.subtree(region) };
}

export async function policyStats(deps: AppDeps, scope: Scope, p: { region: string; asOf: string }) {
  const { db } = deps.database;
  const s = narrowed(deps, scope, p.region);
  const codes = deps.regions.subtree(p.region);
  const inLibrary = and(
    policyScope(deps.regions, s),
    sql`${policies.status} in ('published', 'expired')`,
    sql`${policies.publishedOn} <= ${p.asOf}::date`,
  );
  const [lib] = await db
    .select({
      n: sql<number>`count(*)::int`,
      inForce: sql<number>`(count(*) filter (where ${policies.expiresOn} is null or ${policies.expiresOn} >= ${p.asOf}::date))::int`,
      issuers: sql<number>`count(distinct ${policies.issuerOrgId})::int`,
    })
    .from(policies)
    .where(inLibrary);
  const end = new Date(`${p.asOf}T00:00:00+08:00`);
  end.setUTCDate(end.getUTCDate() + 1);
  const [paid] = codes.length
    ? await db
        .select({
          yuan: sql<string>`coalesce(sum(${payouts.amountYuan}), 0)`,
          n: sql<number>`count(*)::int`,
        })
        .from(payouts)
        .where(
          and(
            inArray(payouts.regionCode, codes),
            sql`${payouts.status} = 'paid'`,
            sql`${payouts.paidAt} < ${end.toISOString()}::timestamptz`,
          ),
        )
    : [{ yuan: '0', n: 0 }];
  const [matched] = codes.length
    ? await db
        .select({ n: sql<number>`count(distinct ${policyMatches.enterpriseId})::int` })
        .from(policyMatches)
        .where(and(inArray(policyMatches.regionCode, codes), sql`${policyMatches.result} = 'eligible'`))
    : [{ n: 0 }];
  return {
    region: p.region,
    asOf: p.asOf,
    policies: lib?.n ?? 0,
    inForce: lib?.inForce ?? 0,
    issuers: lib?.issuers ?? 0,
    matchedFirms: matched?.n ?? 0,
    payoutsPaid: paid?.n ?? 0,
    paidYuan: Number(paid?.yuan ?? 0),
  };
}
