/**
 * Matching (issue #5 "Matching" and "Push"; rules.md §8.3): every enterprise of a policy's region subtree, every
 * clause → ELIGIBLE / INELIGIBLE / UNKNOWN. Bulk runs (publish, rematch, nightly) read the population's facts once
 * and judge every clause in process with its compiled predicate (`population.ts`, decision 0015), writing only
 * results that changed; one enterprise (its facts changed) is judged by the SQL back end, one query per clause
 * (`classifyClause`). Both back ends are held equal by the property test and test/policy-bulk-matching.test.ts.
 * Amounts (eligible rows) and missing facts (unknown rows) come from the TypeScript evaluator; traces are computed
 * lazily on read (`matchDetail`).
 *
 * Runs as a job on publish (`onPolicyPublished`), nightly for all published policies, and when an enterprise's
 * facts change (listener in enterprises/facts.ts).
 */
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  markNeedsVerification,
  maskFacts,
  minTrustOf,
  NEEDS_VERIFICATION,
  SOURCE_LABELS,
  type Source,
} from '../../../domain/provenance.ts';
import {
  chooseFactsYear,
  clauseAmount,
  compileRule,
  evaluate,
  FACTS_BY_KEY,
  factsYearSql,
  parseFormula,
} from '../../../domain/rules/index.ts';
import type { Evaluation, FactContext, Rule, TraceNode } from '../../../domain/rules/types.ts';
import type { Executor, Tx } from '../../db/client.ts';
import {
  enterpriseFacts,
  enterprises,
  payouts,
  policies,
  policyApplications,
  policyClauses,
  policyMatches,
} from '../../db/schema/index.ts';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { Locale } from '../../platform/messages.ts';
import { inScope, type Scope, scopeWhere } from '../../platform/scope.ts';
import { factContextOf } from '../enterprises/facts.ts';
import { recipientsFor } from '../identity/service.ts';
import {
  type ClauseResults,
  classifyMany,
  clauseReads,
  ELIGIBLE,
  isUnknown,
  loadPopulation,
  type Member,
  missingAt,
  type Population,
  type PreparedClause,
  prepareClause,
  resultOf,
  verdictAt,
} from './population.ts';

/** A nightly run's shared work: the population read once and every clause's results over it. */
export interface SharedRun {
  pop: Population;
  prepared: Map<string, PreparedClause>;
  results: Map<string, ClauseResults>;
}

export type PolicyRow = typeof policies.$inferSelect;
export type ClauseRow = typeof policyClauses.$inferSelect;

export const JOB_MATCH = 'policies.match';
export const JOB_MATCH_ALL = 'policies.match-all';
export const JOB_REMATCH_ENTERPRISE = 'policies.rematch-enterprise';

/** Today in Asia/Shanghai. */
export function todayShanghai(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Who manages a policy (match, payouts, decisions): its region (region scopes) or its issuing org (departments). */
export function policyManageWhere(scope: Scope): SQL {
  return scopeWhere(scope, { region: policies.regionCode, org: policies.issuerOrgId });
}

/** Who may read a policy's results: its managers, and anyone once it is published (results then filtered). */
export function policyReadWhere(scope: Scope): SQL {
  return or(policyManageWhere(scope), inArray(policies.status, ['published', 'expired']))!;
}

/** Records of a policy (matches, payouts, applications) the caller may see: its region, its firm, or as issuer. */
export function recordWhere(
  scope: Scope,
  cols: { region: SQL | PgColumnLike; enterpriseOrg: SQL | PgColumnLike; policyId: SQL | PgColumnLike },
): SQL {
  return scopeWhere(scope, {
    region: cols.region as never,
    org: [cols.enterpriseOrg as never, sql`(select p.issuer_org_id from policies p where p.id = ${cols.policyId})`],
  });
}
type PgColumnLike = Parameters<typeof scopeWhere>[1]['region'];

/** The same check in code: a record under `regionCode`, owned by `orgIds` (firm and/or issuer). */
export function recordVisible(scope: Scope, regionCode: string, orgIds: (string | null)[]): boolean {
  if (scope.kind === 'org') return !!scope.orgId && orgIds.includes(scope.orgId);
  return inScope(scope, { regionCode });
}

export async function loadPolicy(ex: Executor, id: string) {
  const [policy] = await ex.select().from(policies).where(eq(policies.id, id));
  if (!policy) return null;
  const clauses = await ex
    .select()
    .from(policyClauses)
    .where(eq(policyClauses.policyId, id))
    .orderBy(policyClauses.ordinal);
  return { policy, clauses };
}

/** SQL: the region codes of the subtree rooted at `code` (materialised path). */
export function subtreeCodes(code: string): SQL {
  return sql`(select r.code from regions r where r.path like (select r0.path from regions r0 where r0.code = ${code}) || '%')`;
}

/** Rows of an unfinished bulk import are invisible (as in the enterprises module). */
const visibleEnterprise = sql`(e.import_job_id is null or e.import_job_id in (select j.id from job_runs j where j.status = 'succeeded'))`;

export interface MissingOut {
  fact: string;
  label: string;
  source: string;
  /** The firm has the figure, but only from a source below what the clause demands (decision 0018). */
  needsVerification: boolean;
}

export function describeMissing(keys: readonly string[], locale: Locale = 'zh-CN'): MissingOut[] {
  return keys.map((raw) => {
    const needsVerification = raw.startsWith(NEEDS_VERIFICATION);
    const k = needsVerification ? raw.slice(NEEDS_VERIFICATION.length) : raw;
    const def = FACTS_BY_KEY.get(k);
    return { fact: k, label: def?.label[locale] ?? k, source: def?.source[locale] ?? '', needsVerification };
  });
}

/** The trust level of each indicator-based fact of a facts row (registry facts have none: always trusted). */
export function trustMapOf(row: FactsRowLike | null): Record<string, number> | undefined {
  const t = row?.facts?._trust;
  return t && typeof t === 'object' ? (t as Record<string, number>) : undefined;
}

/** The facts row of one enterprise as the rule engine sees it (columns + jsonb). */
export interface FactsRowLike {
  enterpriseId: string;
  year: number;
  regionCode: string;
  industryCode: string;
  parkId: string | null;
  size: 'large' | 'medium' | 'small' | 'micro' | 'unknown';
  aboveScale: boolean | null;
  facts: Record<string, unknown>;
  updatedAt: Date;
}

/**
 * The context of an enterprise's facts row (without one: every fact missing). With `minSource`, the facts from
 * sources below it are left out, so a clause demanding official data finds them missing (decision 0018).
 */
export function contextOf(row: FactsRowLike | null, asOf: string, minSource?: string | null): FactContext {
  if (!row) return { facts: {}, asOf, qualifications: [] };
  const ctx = factContextOf(row as typeof enterpriseFacts.$inferSelect, asOf);
  const min = minTrustOf(minSource);
  return min > 0 ? { ...ctx, facts: maskFacts(ctx.facts, trustMapOf(row), min) } : ctx;
}

/**
 * Evaluates a clause's eligibility on a facts row as the clause may see it: facts below its `minSource` are
 * missing, and each such missing fact the firm does have is named `verify:<fact>` (needs verification).
 */
export function evaluateClause(
  clause: { eligibility: unknown; minSource?: string | null },
  row: FactsRowLike | null,
  asOf: string,
): Evaluation {
  const ev = evaluate(clause.eligibility as Rule, contextOf(row, asOf, clause.minSource));
  if (!clause.minSource) return ev;
  const base = contextOf(row, asOf).facts;
  const mark = (t: TraceNode): TraceNode => ({
    ...t,
    missing: t.missing ? markNeedsVerification(t.missing, base) : t.missing,
    children: t.children?.map(mark),
  });
  return { ...ev, trace: mark(ev.trace), missing: markNeedsVerification(ev.missing, base) };
}

/** The facts a clause reads with their values and sources, for explanations (decision 0018). */
export function factSourcesOf(keys: readonly string[], row: FactsRowLike | null, asOf: string, locale: Locale) {
  const ctx = contextOf(row, asOf);
  const src = (row?.facts?._src ?? {}) as Record<string, string>;
  const trust = trustMapOf(row) ?? {};
  return [...new Set(keys)].map((fact) => {
    const value = ctx.facts[fact];
    const source = src[fact] ?? (trust[fact] !== undefined ? 'derived' : 'registry');
    const t = trust[fact];
    return {
      fact,
      label: FACTS_BY_KEY.get(fact)?.label[locale] ?? fact,
      value: typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : null,
      source,
      sourceLabel:
        source === 'derived'
          ? locale === 'en'
            ? 'Derived'
            : '推算'
          : source === 'registry'
            ? locale === 'en'
              ? 'Registry'
              : '登记信息'
            : (SOURCE_LABELS[source as Source]?.[locale] ?? source),
      trust: value === undefined || value === null ? null : t === undefined ? 2 : t,
    };
  });
}

interface RawMatchRow {
  enterprise_id: string;
  e_region: string;
  verdict: boolean | null;
  year: number | null;
  industry_code: string | null;
  park_id: string | null;
  size: FactsRowLike['size'] | null;
  above_scale: boolean | null;
  facts: Record<string, unknown> | string | null;
}

function factsRowOf(r: RawMatchRow): FactsRowLike | null {
  if (r.year === null || r.year === undefined) return null;
  return {
    enterpriseId: r.enterprise_id,
    year: Number(r.year),
    regionCode: r.e_region,
    industryCode: r.industry_code ?? '',
    parkId: r.park_id,
    size: r.size ?? 'unknown',
    aboveScale: r.above_scale,
    facts: typeof r.facts === 'string' ? (JSON.parse(r.facts) as Record<string, unknown>) : (r.facts ?? {}),
    updatedAt: new Date(0),
  };
}

export interface ClauseVerdict {
  enterpriseId: string;
  regionCode: string;
  result: 'eligible' | 'ineligible' | 'unknown';
  amountYuan: string | null;
  missing: string[];
  factsYear: number | null;
  facts: FactsRowLike | null;
}

/**
 * Classifies the population of a region subtree (or one enterprise) for one clause: one SQL query (the compiled
 * rule), then amounts / missing facts in TypeScript for the eligible and unknown rows.
 */
export async function classifyClause(
  ex: Executor,
  clause: Pick<ClauseRow, 'eligibility' | 'amountFormula' | 'capYuan' | 'floorYuan' | 'factsYear'> & {
    minSource?: ClauseRow['minSource'];
  },
  asOf: string,
  population: { regionCode?: string | null; regionCodes?: readonly string[]; enterpriseId?: string },
  /** `all`: the facts jsonb of every row (simulator near-misses); `needed`: only of eligible and unknown rows. */
  factsFor: 'needed' | 'all' = 'needed',
): Promise<ClauseVerdict[]> {
  const offset = clause.factsYear === 'current' ? 0 : 1;
  const compiled = compileRule(clause.eligibility as Rule, { asOf, alias: 'f' });
  const where: SQL[] = [visibleEnterprise, sql`e.status = 'active'`];
  if (population.regionCode) where.push(sql`e.region_code in ${subtreeCodes(population.regionCode)}`);
  if (population.regionCodes)
    where.push(
      population.regionCodes.length
        ? sql`e.region_code in (${sql.join(
            population.regionCodes.map((c) => sql`${c}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  if (population.enterpriseId) where.push(sql`e.id = ${population.enterpriseId}`);
  // only the columns the TypeScript side reads travel back (the transfer dominates at 100k rows)
  const res = await ex.execute(sql`
    select q.enterprise_id, q.e_region, q.verdict, q.year, q.industry_code, q.park_id, q.size, q.above_scale,
           case when ${factsFor === 'all' || !!clause.minSource} or q.verdict is not false then q.facts end as facts
      from (select e.id as enterprise_id, e.region_code as e_region, (${compiled}) as verdict,
                   f.year, f.industry_code, f.park_id, f.size, f.above_scale, f.facts
              from enterprises e
              left join enterprise_facts f on f.enterprise_id = e.id and ${factsYearSql(asOf, { alias: 'f', offset })}
             where ${sql.join(where, sql` and `)}) q`);
  const rows = (res as unknown as { rows: RawMatchRow[] }).rows;
  // The formula is parsed once per clause: clauseAmount hands `amount` to evaluateFormula, which takes a parsed
  // node as well as the source text (formula.ts), so the per-row cost is evaluation only.
  const spec = {
    eligibility: clause.eligibility as Rule,
    amount: (clause.amountFormula ? parseFormula(clause.amountFormula) : null) as unknown as string | null,
    cap: clause.capYuan === null ? null : Number(clause.capYuan),
    floor: clause.floorYuan === null ? null : Number(clause.floorYuan),
  };
  const out: ClauseVerdict[] = [];
  for (const r of rows) {
    const facts = factsRowOf(r);
    // a clause demanding official data is judged on the facts it accepts (the SQL verdict reads them all)
    const demanded = clause.minSource ? evaluateClause(clause, facts, asOf) : null;
    const verdict = demanded ? demanded.result : r.verdict;
    const result = verdict === true ? 'eligible' : verdict === false ? 'ineligible' : 'unknown';
    let amountYuan: string | null = null;
    let missing: string[] = [];
    if (result !== 'ineligible') {
      const ctx = contextOf(facts, asOf, clause.minSource);
      if (result === 'eligible') {
        const a = clauseAmount(spec, ctx);
        amountYuan = a.amount;
        missing = clause.minSource ? markNeedsVerification(a.missing, contextOf(facts, asOf).facts) : a.missing;
      } else {
        missing = demanded ? demanded.missing : evaluate(clause.eligibility as Rule, ctx).missing;
      }
    }
    out.push({
      enterpriseId: r.enterprise_id,
      regionCode: r.e_region,
      result,
      amountYuan,
      missing,
      factsYear: facts?.year ?? null,
      facts,
    });
  }
  return out;
}

async function upsertMatches(tx: Tx, policyId: string, clauseId: string, rows: ClauseVerdict[], at: Date) {
  // one jsonb parameter per 2,000 rows (a row per parameter list is several times slower on PGlite)
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000).map((r) => ({
      e: r.enterpriseId,
      g: r.regionCode,
      r: r.result,
      a: r.amountYuan,
      m: r.missing,
      y: r.factsYear,
    }));
    await tx.execute(sql`
      insert into policy_matches (policy_id, clause_id, enterprise_id, region_code, result, amount_yuan, missing, facts_year, matched_at)
      select ${policyId}::uuid, ${clauseId}::uuid, x.e, x.g, x.r, x.a, coalesce(x.m, '[]'::jsonb), x.y, ${at.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(e uuid, g text, r text, a numeric, m jsonb, y smallint)
      on conflict (policy_id, clause_id, enterprise_id) do update set
        region_code = excluded.region_code, result = excluded.result, amount_yuan = excluded.amount_yuan,
        missing = excluded.missing, facts_year = excluded.facts_year, matched_at = excluded.matched_at`);
  }
}

/** What a stored or new result says, as one comparable string (region, verdict, amount, missing, facts year). */
function signature(
  region: string,
  result: string,
  amount: string | null,
  missing: readonly string[],
  year: number | null,
) {
  return `${region}|${result}|${amount ?? ''}|${missing.join(',')}|${year ?? ''}`;
}

/** The stored results of a policy: `clauseId|enterpriseId` → signature. */
async function storedSignatures(ex: Executor, policyId: string) {
  // one text value per row (as loadPopulation: PGlite decodes every column value in JavaScript, decision 0015):
  // clause|enterprise|region|result|amount|year|missing-JSON; only the JSON (last) can hold '|'
  const res = await ex.execute(sql`
    select concat_ws('|', clause_id::text, enterprise_id::text, region_code, result, coalesce(amount_yuan::text, ''),
                     coalesce(facts_year::text, ''), coalesce(missing::text, '[]')) as r
      from policy_matches where policy_id = ${policyId}`);
  const rows = (res as unknown as { rows: { r: string }[] }).rows;
  const out = new Map<string, string>();
  for (const { r } of rows) {
    const b1 = r.indexOf('|');
    const b2 = r.indexOf('|', b1 + 1);
    const b3 = r.indexOf('|', b2 + 1);
    const b4 = r.indexOf('|', b3 + 1);
    const b5 = r.indexOf('|', b4 + 1);
    const b6 = r.indexOf('|', b5 + 1);
    const json = r.slice(b6 + 1);
    const missing = json === '[]' ? [] : (JSON.parse(json) as string[]);
    const year = r.slice(b5 + 1, b6);
    out.set(
      r.slice(0, b2),
      signature(
        r.slice(b2 + 1, b3),
        r.slice(b3 + 1, b4),
        b5 > b4 + 1 ? r.slice(b4 + 1, b5) : null,
        missing,
        year === '' ? null : Number(year),
      ),
    );
  }
  return out;
}

/**
 * Pushes an inbox notice to the users of every enterprise newly eligible for a published policy — once per policy
 * and enterprise (notified_at is set on all its match rows).
 */
export async function pushEligible(
  tx: Tx,
  deps: Pick<AppDeps, 'notifications'>,
  policy: PolicyRow,
  enterpriseId?: string,
) {
  if (policy.status !== 'published') return 0;
  // one pass over the policy's rows grouped by enterprise (a correlated NOT EXISTS per row took seconds at 20k)
  const res = await tx.execute(sql`
    select m.enterprise_id, e.org_id
      from (select enterprise_id from policy_matches
             where policy_id = ${policy.id} ${enterpriseId ? sql`and enterprise_id = ${enterpriseId}` : sql``}
             group by enterprise_id
            having bool_or(result = 'eligible') and not bool_or(notified_at is not null)) m
      join enterprises e on e.id = m.enterprise_id`);
  const rows = (res as unknown as { rows: { enterprise_id: string; org_id: string | null }[] }).rows;
  // in chunks: one recipients query, one notice insert and one notified_at update per 1,000 enterprises
  const notice = {
    kind: 'policy.eligible',
    title: `您可能符合政策「${policy.title}」`,
    body: `${policy.docNo ? `${policy.docNo}。` : ''}${
      policy.channel === 'mianshen'
        ? '本政策免申即享，无需申请，公示后将请您确认意愿。'
        : policy.channel === 'kuaishen'
          ? '本政策快申快享，可在“我的政策”中一键申请。'
          : '请在“我的政策”中查看申报条件。'
    }`,
    link: `/my/policies/${policy.id}`,
    entity: 'policy',
    entityId: policy.id,
  };
  const pushed = rows.length;
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const orgIds = [...new Set(chunk.map((r) => r.org_id).filter((o): o is string => !!o))];
    if (orgIds.length) {
      const users = await recipientsFor(tx, { orgIds, regionAdminsOf: [] });
      await deps.notifications.notify(
        tx,
        users.map((u) => u.id),
        notice,
      );
    }
    await tx
      .update(policyMatches)
      .set({ notifiedAt: new Date() })
      .where(
        and(
          eq(policyMatches.policyId, policy.id),
          inArray(
            policyMatches.enterpriseId,
            chunk.map((r) => r.enterprise_id),
          ),
        ),
      );
  }
  return pushed;
}

export interface MatchSummary {
  policyId: string;
  clauses: number;
  eligible: number;
  ineligible: number;
  unknown: number;
  notified: number;
  /** Rows written or deleted (unchanged results are not rewritten). */
  written: number;
  ms: number;
}

/**
 * Matches one policy over its region subtree (decision 0015): the population's facts are read once (or taken from
 * `shared`, a population read once for a whole nightly run) and every clause is judged in process by its compiled
 * predicate. Only results that differ from the stored ones are written (one transaction per clause), stale rows
 * (enterprises gone, clauses removed) are deleted, and newly eligible firms notified. `onProgress` is called
 * between transactions (never inside one: PGlite would deadlock on the outer handle).
 */
export async function matchPolicy(
  deps: Pick<AppDeps, 'database' | 'notifications'>,
  policyId: string,
  asOf: string,
  onProgress?: (percent: number, message: string) => Promise<void>,
  ex?: Tx,
  shared?: SharedRun,
): Promise<MatchSummary> {
  const started = Date.now();
  const run = <T>(fn: (tx: Tx) => Promise<T>) => (ex ? fn(ex) : deps.database.db.transaction(fn));
  const reader = ex ?? deps.database.db;
  const loaded = await loadPolicy(reader, policyId);
  if (!loaded) return { policyId, clauses: 0, eligible: 0, ineligible: 0, unknown: 0, notified: 0, written: 0, ms: 0 };
  const { policy, clauses } = loaded;
  const at = new Date();
  const counts = { eligible: 0, ineligible: 0, unknown: 0 };
  // the members of the policy's subtree (indices into `members`) and every clause's results over `members`
  let members: readonly Member[] = [];
  let indices: number[] = [];
  let results: ClauseResults[] = [];
  const prepared = clauses.map((c) => shared?.prepared.get(c.id) ?? prepareClause(c));
  if (shared && clauses.every((c) => shared.results.has(c.id))) {
    const res = await reader.execute(sql`select code from regions where code in ${subtreeCodes(policy.regionCode)}`);
    const codes = new Set((res as unknown as { rows: { code: string }[] }).rows.map((r) => r.code));
    members = shared.pop.members;
    for (let i = 0; i < members.length; i++) if (codes.has(members[i]!.regionCode)) indices.push(i);
    results = clauses.map((c) => shared.results.get(c.id)!);
  } else if (clauses.length > 0) {
    const offsets = [...new Set(prepared.map((c) => c.offset))];
    members = (
      await loadPopulation(
        reader,
        asOf,
        { regionCode: policy.regionCode },
        offsets,
        prepared.flatMap((c) => c.reads),
      )
    ).members;
    indices = members.map((_, i) => i);
    results = classifyMany(prepared, members);
  }
  const stored = await storedSignatures(reader, policy.id);
  let written = 0;
  for (const [j, clause] of clauses.entries()) {
    const r = results[j]!;
    const c = prepared[j]!;
    const changed: ClauseVerdict[] = [];
    for (const i of indices) {
      const m = members[i]!;
      const v = r.verdicts[i]!;
      if (v === ELIGIBLE) counts.eligible++;
      else if (isUnknown(v)) counts.unknown++;
      else counts.ineligible++;
      const key = `${clause.id}|${m.enterpriseId}`;
      const sig = signature(
        m.regionCode,
        resultOf(v),
        r.amounts.get(i) ?? null,
        missingAt(r, i),
        m.rows[c.offset]?.year ?? null,
      );
      if (stored.get(key) !== sig) changed.push(verdictAt(r, c, m, i));
      stored.delete(key);
    }
    if (changed.length) await run((tx) => upsertMatches(tx, policy.id, clause.id, changed, at));
    written += changed.length;
    await onProgress?.(((j + 1) / (clauses.length + 1)) * 100, `${j + 1}/${clauses.length}`);
  }
  // what is left of the stored results was not produced now: enterprises gone, clauses removed
  const stale = [...stored.keys()];
  const notified = await run(async (tx) => {
    for (let i = 0; i < stale.length; i += 500) {
      const pairs = stale.slice(i, i + 500).map((k) => {
        const [c, e] = k.split('|');
        return sql`(${c}::uuid, ${e}::uuid)`;
      });
      await tx.execute(
        sql`delete from policy_matches where policy_id = ${policy.id} and (clause_id, enterprise_id) in (${sql.join(pairs, sql`, `)})`,
      );
    }
    return pushEligible(tx, deps, policy);
  });
  return {
    policyId,
    clauses: clauses.length,
    ...counts,
    notified,
    written: written + stale.length,
    ms: Date.now() - started,
  };
}

/**
 * The nightly full rematch: the population of all enterprises is read once and shared by every published policy
 * (each keeps the members of its own region subtree).
 */
export async function matchAll(
  deps: Pick<AppDeps, 'database' | 'notifications'>,
  asOf: string,
  onProgress?: (percent: number, message: string) => Promise<void>,
) {
  const started = Date.now();
  const { db } = deps.database;
  // published policies with clauses, or with stored results (their stale rows go); listings without clauses skip
  const res = await db.execute(sql`
    select p.id from policies p
     where p.status = 'published'
       and (exists (select 1 from policy_clauses c where c.policy_id = p.id)
            or exists (select 1 from policy_matches m where m.policy_id = p.id))
     order by p.id`);
  const list = (res as unknown as { rows: { id: string }[] }).rows;
  const clauseRows = list.length
    ? await db
        .select()
        .from(policyClauses)
        .where(
          inArray(
            policyClauses.policyId,
            list.map((p) => p.id),
          ),
        )
    : [];
  const prepared = new Map(clauseRows.map((c) => [c.id, prepareClause(c)]));
  // the facts any clause reads, for the one read shared by every policy
  const pop = await loadPopulation(
    db,
    asOf,
    {},
    [0, 1],
    [...prepared.values()].flatMap((c) => c.reads),
  );
  // every clause of every policy judged in one pass over the population (policies keep their subtree's members)
  const tJudge = performance.now();
  const all = classifyMany([...prepared.values()], pop.members);
  const results = new Map([...prepared.keys()].map((id, j) => [id, all[j]!]));
  const judgeMs = performance.now() - tJudge;
  let eligible = 0;
  let written = 0;
  for (const [i, p] of list.entries()) {
    const r = await matchPolicy(deps, p.id, asOf, undefined, undefined, { pop, prepared, results });
    eligible += r.eligible;
    written += r.written;
    await onProgress?.(((i + 1) / Math.max(1, list.length)) * 100, `${i + 1}/${list.length}`);
  }
  return {
    policies: list.length,
    enterprises: pop.members.length,
    eligible,
    written,
    clauses: clauseRows.length,
    readMs: Math.round(pop.readMs),
    judgeMs: Math.round(judgeMs),
    ms: Date.now() - started,
  };
}

/** Re-matches one enterprise against every published policy whose region subtree holds it (facts changed). */
export async function rematchEnterprise(
  tx: Tx,
  deps: Pick<AppDeps, 'notifications'>,
  enterpriseId: string,
  asOf: string,
) {
  const [ent] = await tx.select().from(enterprises).where(eq(enterprises.id, enterpriseId));
  if (!ent) return { policies: 0 };
  const res = await tx.execute(sql`
    select p.id from policies p
     where p.status = 'published'
       and (exists (select 1 from policy_clauses c where c.policy_id = p.id)
            or exists (select 1 from policy_matches m where m.policy_id = p.id and m.enterprise_id = ${enterpriseId}))
       and ${ent.regionCode} in ${sql`(select r.code from regions r where r.path like (select r0.path from regions r0 where r0.code = p.region_code) || '%')`}`);
  const ids = (res as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
  const at = new Date();
  for (const id of ids) {
    const loaded = await loadPolicy(tx, id);
    if (!loaded) continue;
    for (const clause of loaded.clauses) {
      const rows = await classifyClause(tx, clause, asOf, { enterpriseId });
      await upsertMatches(tx, id, clause.id, rows, at);
    }
    await pushEligible(tx, deps, loaded.policy, enterpriseId);
  }
  return { policies: ids.length };
}

/** Records a match job for a policy in the publishing transaction; dispatch it after commit. */
export async function recordMatchJob(deps: Pick<AppDeps, 'jobs' | 'regions'>, tx: Tx, actor: Actor, policyId: string) {
  const [p] = await tx.select({ regionCode: policies.regionCode }).from(policies).where(eq(policies.id, policyId));
  return deps.jobs.record(tx, actor, JOB_MATCH, { policyId }, p?.regionCode ?? null);
}

let bound: AppDeps | null = null;
/** Set by the route plugin so `onPolicyPublished(tx, policyId)` can be called by the library service. */
export function bindMatchingDeps(deps: AppDeps) {
  bound = deps;
}

/**
 * Called by the policy library in the transaction that publishes a policy: records the match job (it exists iff
 * the publish commits). Returns the job id: dispatch it after the commit (`deps.jobs.dispatch(id)`), or leave it —
 * `dispatchWhenCommitted` is started here too and sends it as soon as the row is visible.
 */
export async function onPolicyPublished(tx: Tx, policyId: string, actor: Actor = SYSTEM_ACTOR): Promise<string | null> {
  if (!bound) return null;
  const id = await recordMatchJob(bound, tx, actor, policyId);
  dispatchWhenCommitted(bound, id);
  return id;
}

/** Sends a job recorded in a still-open transaction once its row is visible (gives up if it never commits). */
export function dispatchWhenCommitted(deps: Pick<AppDeps, 'jobs' | 'database'>, jobId: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  const tick = async () => {
    try {
      const res = await deps.database.raw('select status from job_runs where id = $1', [jobId]);
      const status = res.rows[0]?.status;
      if (status === 'queued') return void (await deps.jobs.dispatch(jobId));
      if (status) return;
    } catch {
      /* queue not running (tests without jobs) */
      return;
    }
    if (Date.now() < until) setTimeout(() => void tick(), 200).unref();
  };
  setTimeout(() => void tick(), 50).unref();
}

/** Funnel per policy: matched → notified → read → applied → approved → paid (enterprises), in the caller's scope. */
export async function funnel(ex: Executor, scope: Scope, policyId: string) {
  const inScopeM = recordWhere(scope, {
    region: policyMatches.regionCode,
    enterpriseOrg: sql`(select e.org_id from enterprises e where e.id = ${policyMatches.enterpriseId})`,
    policyId: policyMatches.policyId,
  });
  const [m] = await ex
    .select({
      matched: sql<number>`count(distinct ${policyMatches.enterpriseId}) filter (where ${policyMatches.result} = 'eligible')::int`,
      unknownAny: sql<number>`count(distinct ${policyMatches.enterpriseId}) filter (where ${policyMatches.result} = 'unknown')::int`,
      notified: sql<number>`count(distinct ${policyMatches.enterpriseId}) filter (where ${policyMatches.notifiedAt} is not null)::int`,
      read: sql<number>`count(distinct ${policyMatches.enterpriseId}) filter (where ${policyMatches.readAt} is not null)::int`,
    })
    .from(policyMatches)
    .where(and(eq(policyMatches.policyId, policyId), inScopeM));
  // unknown: enterprises with an unknown clause and no eligible one
  const [u] = await ex
    .select({ n: sql<number>`count(distinct ${policyMatches.enterpriseId})::int` })
    .from(policyMatches)
    .where(
      and(
        eq(policyMatches.policyId, policyId),
        eq(policyMatches.result, 'unknown'),
        inScopeM,
        sql`not exists (select 1 from policy_matches x where x.policy_id = ${policyId} and x.enterprise_id = ${policyMatches.enterpriseId} and x.result = 'eligible')`,
      ),
    );
  const [a] = await ex
    .select({
      applied: sql<number>`count(distinct ${policyApplications.enterpriseId})::int`,
      approved: sql<number>`count(distinct ${policyApplications.enterpriseId}) filter (where ${policyApplications.status} = 'approved')::int`,
    })
    .from(policyApplications)
    .where(
      and(
        eq(policyApplications.policyId, policyId),
        recordWhere(scope, {
          region: policyApplications.regionCode,
          enterpriseOrg: policyApplications.orgId,
          policyId: policyApplications.policyId,
        }),
      ),
    );
  const [p] = await ex
    .select({
      approved: sql<number>`count(distinct ${payouts.enterpriseId}) filter (where ${payouts.status} in ('approved', 'paid'))::int`,
      paid: sql<number>`count(distinct ${payouts.enterpriseId}) filter (where ${payouts.status} = 'paid')::int`,
      paidAmount: sql<string>`coalesce(sum(${payouts.amountYuan}) filter (where ${payouts.status} = 'paid'), 0)::text`,
    })
    .from(payouts)
    .where(
      and(
        eq(payouts.policyId, policyId),
        recordWhere(scope, { region: payouts.regionCode, enterpriseOrg: payouts.orgId, policyId: payouts.policyId }),
      ),
    );
  return {
    matched: m?.matched ?? 0,
    unknown: u?.n ?? 0,
    notified: m?.notified ?? 0,
    read: m?.read ?? 0,
    applied: a?.applied ?? 0,
    approved: (a?.approved ?? 0) + (p?.approved ?? 0),
    paid: p?.paid ?? 0,
    paidAmount: Number(p?.paidAmount ?? 0),
  };
}

/** Marks the policy read by an enterprise (detail opened by the enterprise's user). */
export async function markRead(ex: Executor, policyId: string, orgId: string) {
  await ex.execute(sql`update policy_matches m set read_at = now()
     from enterprises e where e.id = m.enterprise_id and e.org_id = ${orgId}
      and m.policy_id = ${policyId} and m.read_at is null`);
}

/** Per-clause results of one enterprise with the trace (computed now from the stored facts year). */
export async function matchDetail(ex: Executor, policyId: string, enterpriseId: string, asOf: string, locale: Locale) {
  const loaded = await loadPolicy(ex, policyId);
  if (!loaded) return null;
  const rows = await ex
    .select()
    .from(policyMatches)
    .where(and(eq(policyMatches.policyId, policyId), eq(policyMatches.enterpriseId, enterpriseId)));
  const out = [];
  for (const clause of loaded.clauses) {
    const m = rows.find((r) => r.clauseId === clause.id);
    const years = await ex
      .select({ year: enterpriseFacts.year })
      .from(enterpriseFacts)
      .where(eq(enterpriseFacts.enterpriseId, enterpriseId));
    const year =
      m?.factsYear ??
      chooseFactsYear(
        years.map((y) => y.year),
        asOf,
        clause.factsYear === 'current' ? 0 : 1,
      );
    const [f] =
      year === null
        ? []
        : await ex
            .select()
            .from(enterpriseFacts)
            .where(and(eq(enterpriseFacts.enterpriseId, enterpriseId), eq(enterpriseFacts.year, year)));
    const ev: Evaluation = evaluateClause(clause, f ?? null, asOf);
    out.push({
      clauseId: clause.id,
      title: clause.title,
      result: m?.result ?? null,
      amount: m?.amountYuan === null || m?.amountYuan === undefined ? null : Number(m.amountYuan),
      factsYear: year,
      minSource: clause.minSource,
      missing: describeMissing((m?.missing as string[] | undefined) ?? ev.missing, locale),
      trace: ev.trace,
      facts: factSourcesOf(
        clauseReads(clause).filter((k) => !k.startsWith('_')),
        f ?? null,
        asOf,
        locale,
      ),
    });
  }
  return { policy: loaded.policy, clauses: out };
}
