/**
 * Who the caller is for this module, and what they may see: enterprise users their own firm's problems,
 * department handlers the problems assigned to their department, cadres their paired enterprises (and what they
 * submitted), district and city administrators their region (issue #6 acceptance).
 */
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { can } from '../../../domain/access.ts';
import type { Executor } from '../../db/client.ts';
import { assistanceCadres, assistancePairings, assistanceProblems, enterprises } from '../../db/schema/index.ts';
import type { AuthContext } from '../../platform/context.ts';

export interface Caller {
  auth: AuthContext;
  userId: string;
  role: AuthContext['user']['role'];
  orgId: string | null;
  /** The firm of an enterprise user. */
  enterpriseId: string | null;
  /** The cadre rows of this login. */
  cadreIds: string[];
  /** Region codes the caller administers (region roles). */
  regionCodes: readonly string[];
}

export async function callerOf(ex: Executor, auth: AuthContext): Promise<Caller> {
  let enterpriseId: string | null = null;
  if (auth.user.role === 'enterprise' && auth.user.orgId) {
    const [e] = await ex
      .select({ id: enterprises.id })
      .from(enterprises)
      .where(eq(enterprises.orgId, auth.user.orgId))
      .limit(1);
    enterpriseId = e?.id ?? null;
  }
  const cadres =
    auth.user.role === 'cadre'
      ? await ex
          .select({ id: assistanceCadres.id })
          .from(assistanceCadres)
          .where(eq(assistanceCadres.userId, auth.user.id))
      : [];
  return {
    auth,
    userId: auth.user.id,
    role: auth.user.role,
    orgId: auth.user.orgId,
    enterpriseId,
    cadreIds: cadres.map((c) => c.id),
    regionCodes: auth.scope.kind === 'region' ? auth.scope.regionCodes : [],
  };
}

/** Enterprise ids paired (now) with the caller's cadre rows, as a subquery. */
function pairedEnterprises(c: Caller) {
  return sql`(select ${assistancePairings.enterpriseId} from ${assistancePairings} where ${inArray(
    assistancePairings.cadreId,
    c.cadreIds.length ? c.cadreIds : ['00000000-0000-0000-0000-000000000000'],
  )} and ${assistancePairings.enterpriseId} is not null and (${assistancePairings.toOn} is null or ${
    assistancePairings.toOn
  } >= current_date))`;
}

/** WHERE condition: problems the caller may see. */
export function problemScope(c: Caller): SQL {
  const p = assistanceProblems;
  switch (c.role) {
    case 'enterprise':
      return c.enterpriseId ? eq(p.enterpriseId, c.enterpriseId) : sql`false`;
    case 'department_handler':
      return c.orgId ? eq(p.orgId, c.orgId) : sql`false`;
    case 'cadre':
      return or(sql`${p.enterpriseId} in ${pairedEnterprises(c)}`, eq(p.submittedBy, c.userId)) ?? sql`false`;
    default:
      if (c.regionCodes.length === 0) return sql`false`;
      return inArray(p.regionCode, [...c.regionCodes]);
  }
}

/** WHERE condition on `enterprises`: firms the caller may act for or look at in this module. */
export function enterpriseScope(c: Caller): SQL {
  switch (c.role) {
    case 'enterprise':
      return c.enterpriseId ? eq(enterprises.id, c.enterpriseId) : sql`false`;
    case 'cadre':
      return sql`${enterprises.id} in ${pairedEnterprises(c)}`;
    case 'department_handler':
      return sql`false`;
    default:
      if (c.regionCodes.length === 0) return sql`false`;
      return inArray(enterprises.regionCode, [...c.regionCodes]);
  }
}

export async function enterpriseVisible(ex: Executor, c: Caller, enterpriseId: string) {
  const rows = await ex
    .select({
      id: enterprises.id,
      name: enterprises.name,
      regionCode: enterprises.regionCode,
      orgId: enterprises.orgId,
    })
    .from(enterprises)
    .where(and(eq(enterprises.id, enterpriseId), enterpriseScope(c)));
  return rows[0] ?? null;
}

export function inRegion(c: Caller, regionCode: string) {
  return c.regionCodes.includes(regionCode);
}

export function canManageIn(c: Caller, regionCode: string) {
  return can(c.role, 'assistance:manage') && inRegion(c, regionCode);
}
export function canSuperviseIn(c: Caller, regionCode: string) {
  return can(c.role, 'assistance:supervise') && inRegion(c, regionCode);
}
