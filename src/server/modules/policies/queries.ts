/**
 * Reads of the policy library; every one takes the caller's scope (decision 0012):
 * - region scopes (city/district admins): policies filed in their subtree or in a parent region, any status;
 * - a department handler: the policies its department issues, any status;
 * - every business role: published and expired policies;
 * - public (no login): published policies only.
 */
import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { PolicyChannel, PolicyLevel, PolicyStatus } from '../../../domain/policies.ts';
import type { Executor } from '../../db/client.ts';
import { orgs, policies, policyClauses } from '../../db/schema/index.ts';
import type { RegionIndex } from '../../platform/region-index.ts';
import type { Scope } from '../../platform/scope.ts';
import { matchSql, rankSql, textQuery, textRankSql } from './search.ts';

export type PolicyRow = typeof policies.$inferSelect;
export type ClauseRow = typeof policyClauses.$inferSelect;

const PUBLIC = sql`${policies.status} in ('published', 'expired')`;

/** Region codes whose policies a region scope sees in every status: its subtree and its ancestors. */
export function visibleRegionCodes(regions: RegionIndex, scope: Scope): string[] {
  if (scope.kind !== 'region' || !scope.rootRegion) return [];
  return [...new Set([...scope.regionCodes, ...regions.ancestors(scope.rootRegion)])];
}

export function policyScope(regions: RegionIndex, scope: Scope): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'region': {
      const codes = visibleRegionCodes(regions, scope);
      return codes.length ? sql`(${inArray(policies.regionCode, codes)} or ${PUBLIC})` : PUBLIC;
    }
    case 'org':
      if (scope.role === 'department_handler' && scope.orgId)
        return sql`(${policies.issuerOrgId} = ${scope.orgId} or ${PUBLIC})`;
      return PUBLIC;
    default:
      return sql`false`;
  }
}

/** Whether the caller may change the policy (author side): region admins over their own subtree only. */
export function canAuthor(scope: Scope, p: { regionCode: string }): boolean {
  if (scope.kind === 'all') return false;
  return scope.kind === 'region' && scope.regionCodes.includes(p.regionCode);
}

/** Whether the caller may review the policy: its issuing department, or a region admin over the policy's region. */
export function canReview(scope: Scope, p: { regionCode: string; issuerOrgId: string }): boolean {
  if (scope.kind === 'region') return scope.regionCodes.includes(p.regionCode);
  if (scope.kind === 'org') return scope.role === 'department_handler' && scope.orgId === p.issuerOrgId;
  return false;
}

export interface PolicyFilter {
  q?: string;
  level?: PolicyLevel;
  channel?: PolicyChannel;
  status?: PolicyStatus;
  /** An issuer org id, or an issuer name (exact). */
  issuer?: string;
  tag?: string;
}

export const SORTS = ['relevance', 'publishedOn', 'title', 'expiresOn', 'applyTo', 'updatedAt'] as const;
export type PolicySort = (typeof SORTS)[number];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function filterWhere(f: PolicyFilter): SQL[] {
  const out: SQL[] = [];
  if (f.level) out.push(eq(policies.level, f.level));
  if (f.channel) out.push(eq(policies.channel, f.channel));
  if (f.status) out.push(eq(policies.status, f.status));
  if (f.issuer) {
    out.push(UUID_RE.test(f.issuer) ? eq(policies.issuerOrgId, f.issuer) : eq(policies.issuerName, f.issuer));
  }
  if (f.tag) out.push(sql`${f.tag} = any(${policies.tags})`);
  return out;
}

const listColumns = {
  id: policies.id,
  code: policies.code,
  title: policies.title,
  docNo: policies.docNo,
  issuerOrgId: policies.issuerOrgId,
  issuerName: policies.issuerName,
  level: policies.level,
  channel: policies.channel,
  status: policies.status,
  regionCode: policies.regionCode,
  publishedOn: policies.publishedOn,
  effectiveFrom: policies.effectiveFrom,
  expiresOn: policies.expiresOn,
  applyFrom: policies.applyFrom,
  applyTo: policies.applyTo,
  tags: policies.tags,
  summary: policies.summary,
  budgetCapYuan: policies.budgetCapYuan,
  bodyText: policies.bodyText,
  clauseCount: sql<number>`(select count(*)::int from ${policyClauses} c where c.policy_id = ${policies.id})`,
};

export type PolicyListRow = {
  [K in keyof typeof listColumns]: K extends 'clauseCount' ? number : PolicyRow[K & keyof PolicyRow];
};

export async function listPolicies(
  ex: Executor,
  visible: SQL,
  f: PolicyFilter,
  paging: { page: number; pageSize: number; sort?: PolicySort; order?: 'asc' | 'desc' },
) {
  const tq = f.q ? textQuery(f.q) : null;
  const conds: SQL[] = [visible, ...filterWhere(f)];
  if (f.q && !tq) conds.push(sql`false`);
  if (tq) conds.push(matchSql(policies.searchVector, policies.docNo, tq));
  const where = and(...conds);
  const rank = tq ? rankSql(policies.searchVector, policies.docNo, tq) : null;
  const sort = paging.sort ?? (tq ? 'relevance' : 'publishedOn');
  const dir = paging.order ?? (sort === 'title' ? 'asc' : 'desc');
  const by = (c: SQL | typeof policies.title) => (dir === 'asc' ? asc(c) : desc(c));
  const order: SQL[] = [];
  if (sort === 'relevance' && rank && tq) {
    order.push(desc(rank), sql`${policies.publishedOn} desc nulls last`, desc(textRankSql(policies.searchVector, tq)));
  } else if (sort === 'title') order.push(by(policies.title));
  else if (sort === 'expiresOn') order.push(by(sql`${policies.expiresOn}`));
  else if (sort === 'applyTo') order.push(by(sql`${policies.applyTo}`));
  else if (sort === 'updatedAt') order.push(by(sql`${policies.updatedAt}`));
  // recency breaks ties (and is the default order)
  order.push(sql`${policies.publishedOn} desc nulls last`, desc(policies.createdAt), asc(policies.id));
  const [total] = await ex.select({ n: count() }).from(policies).where(where);
  const items = await ex
    .select(listColumns)
    .from(policies)
    .where(where)
    .orderBy(...order)
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  return { items: items as PolicyListRow[], total: total?.n ?? 0 };
}

export async function getPolicy(ex: Executor, visible: SQL, id: string) {
  const [row] = await ex
    .select()
    .from(policies)
    .where(and(eq(policies.id, id), visible));
  if (!row) return null;
  const clauses = await ex
    .select()
    .from(policyClauses)
    .where(eq(policyClauses.policyId, id))
    .orderBy(asc(policyClauses.ordinal));
  return { policy: row, clauses };
}

/** Issuing orgs of the visible policies, with counts (for filters). */
export async function listIssuers(ex: Executor, visible: SQL) {
  return ex
    .select({
      id: policies.issuerOrgId,
      name: orgs.name,
      kind: orgs.kind,
      regionCode: orgs.regionCode,
      policies: sql<number>`count(*)::int`,
      published: sql<number>`(count(*) filter (where ${policies.status} = 'published'))::int`,
    })
    .from(policies)
    .innerJoin(orgs, eq(orgs.id, policies.issuerOrgId))
    .where(visible)
    .groupBy(policies.issuerOrgId, orgs.name, orgs.kind, orgs.regionCode)
    .orderBy(desc(sql`count(*)`), asc(orgs.name));
}

/** The visibility of the public (no-login) pages. */
export const PUBLISHED_ONLY = sql`${policies.status} = 'published'`;

export async function tagCounts(ex: Executor, visible: SQL) {
  return ex
    .select({ tag: sql<string>`t.tag`, n: sql<number>`count(*)::int` })
    .from(sql`${policies}, unnest(${policies.tags}) as t(tag)`)
    .where(visible)
    .groupBy(sql`t.tag`)
    .orderBy(desc(sql`count(*)`));
}
