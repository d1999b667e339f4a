/** Qualifications about to lapse (issue #21 cockpit alert): valid on the date, ending within the next 90 days. */
import { and, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { enterpriseQualifications, enterprises } from '../../db/schema/index.ts';
import type { Scope } from '../../platform/scope.ts';
import { enterpriseScope } from './service.ts';

export async function expiringQualifications(
  ex: Executor,
  scope: Scope,
  regionCodes: string[],
  asOf: string,
  days = 90,
): Promise<{ count: number; types: string[] }> {
  if (regionCodes.length === 0) return { count: 0, types: [] };
  const rows = await ex
    .select({ type: enterpriseQualifications.type, n: sql<number>`count(*)::int` })
    .from(enterpriseQualifications)
    .innerJoin(enterprises, sql`${enterprises.id} = ${enterpriseQualifications.enterpriseId}`)
    .where(
      and(
        enterpriseScope(scope),
        inArray(enterprises.regionCode, regionCodes),
        sql`${enterpriseQualifications.validUntil} >= ${asOf}::date`,
        sql`${enterpriseQualifications.validUntil} < ${asOf}::date + ${days}::int`,
        sql`${enterpriseQualifications.issuedOn} <= ${asOf}::date`,
      ),
    )
    .groupBy(enterpriseQualifications.type);
  return {
    count: rows.reduce((a, r) => a + Number(r.n), 0),
    types: rows.map((r) => r.type),
  };
}
