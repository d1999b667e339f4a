/**
 * Bulk matching over a population (issue #5 "Matching", "Simulator"; decision 0015): the facts of every enterprise
 * are read ONCE (one query, at most one row per facts year a clause can ask for), turned into rule contexts once,
 * and every clause is then judged in process by its compiled predicate (`compileToPredicate`, the TypeScript back
 * end, which the property test holds equal to the SQL back end). A rematch of 200 clauses therefore reads the
 * population once instead of 200 times, and moves no facts out of the database per clause.
 *
 * Amounts (eligible rows) and missing facts (unknown rows) come from the same evaluator as before.
 */
import { type SQL, sql } from 'drizzle-orm';
import { markNeedsVerification, maskFacts, minTrustOf } from '../../../domain/provenance.ts';
import {
  compileKernel,
  compileMissingWhenUnknown,
  compileToPredicate,
  denseFromValues,
  eligibleAmount,
  FACTS_CATALOGUE,
  type FormulaNode,
  factsOf,
  formulaFacts,
  KERNEL_FALSE,
  KERNEL_TRUE,
  type Kernel,
  parseFormula,
} from '../../../domain/rules/index.ts';
import type { FactContext, Rule } from '../../../domain/rules/types.ts';
import type { Executor } from '../../db/client.ts';
import type { ClauseRow, ClauseVerdict, FactsRowLike } from './matching.ts';

/** Which facts year a clause reads: 0 = the year of `asOf` ("current"), 1 = the year before ("previous"). */
export type YearOffset = 0 | 1;
export const offsetOf = (factsYear: string | null | undefined): YearOffset => (factsYear === 'current' ? 0 : 1);

export interface Member {
  enterpriseId: string;
  regionCode: string;
  /**
   * The facts row chosen for each offset (latest year ≤ target; null when the enterprise has none). Its `facts`
   * are the context's: the facts the read brought (see `loadPopulation`), not the whole stored document.
   */
  rows: [FactsRowLike | null, FactsRowLike | null];
  /**
   * Rule contexts, built once and shared by all clauses: slot `offset + 2 × trust` (`slotOf`). Slots 0 and 1 hold
   * every fact; slots 2–5 exist only when the read brought the facts' trust (`TRUST_READ`): the facts a clause
   * demanding official (trust 1) or verified (trust 2) data may see, the others left out (decision 0018).
   */
  ctx: FactContext[];
}

/** Read token: bring each facts row's trust levels (`_trust`) and build the masked contexts. */
export const TRUST_READ = '_trust';
/** The context slot of a clause: its facts year offset and the trust it demands. */
export const slotOf = (offset: YearOffset, minTrust: number) => offset + 2 * minTrust;

export interface Population {
  asOf: string;
  members: Member[];
  /** Wall time of the read, ms (reported by the bench and the job). */
  readMs: number;
}

export interface PopulationFilter {
  /** The region subtree rooted at this code. */
  regionCode?: string | null;
  /** Exactly these region codes (the caller's scope). */
  regionCodes?: readonly string[];
  enterpriseId?: string;
}

/** Rows of an unfinished bulk import are invisible (as in the enterprises module). */
const visibleEnterprise = sql`(e.import_job_id is null or e.import_job_id in (select j.id from job_runs j where j.status = 'succeeded'))`;

/**
 * Reads the population of active, visible enterprises (optionally a region subtree, a list of region codes or one
 * enterprise) with the facts rows the given offsets need: per enterprise the latest year ≤ asOf's year − offset,
 * the same choice as `chooseFactsYear` / `factsYearSql`.
 *
 * `reads`: the facts the caller's clauses read (`factsOf` of each rule, `formulaFacts` of each amount formula;
 * `clauseReads` gives both). Only these travel from the database: each facts row comes as the list of their
 * values, not as the whole JSON document (decision 0015). Without `reads`, every catalogue fact and the
 * qualifications are read. The rows' `facts` are then the contexts' facts (catalogue keys, the unread ones
 * undefined); the qualifications are in the contexts.
 */
export async function loadPopulation(
  ex: Executor,
  asOf: string,
  filter: PopulationFilter = {},
  offsets: readonly YearOffset[] = [0, 1],
  reads?: Iterable<string>,
): Promise<Population> {
  const started = performance.now();
  const y = Number(asOf.slice(0, 4));
  const wanted = offsets.length ? [...new Set(offsets)] : [1];
  const ymax = y - Math.min(...wanted);
  const want = reads ? new Set(reads) : null;
  // the JSON-stored catalogue facts to read, in catalogue order (column-backed facts come from their columns)
  const keys = JSON_KEYS.filter((k) => !want || want.has(k));
  const withQualifications = !want || want.has('qualifications');
  const withTrust = !want || want.has(TRUST_READ);
  const values = [...keys.map((k) => sql`ff.facts -> ${k}::text`)];
  if (withQualifications) values.push(sql`ff.facts -> 'qualifications'`);
  const trustAt = values.length;
  if (withTrust) values.push(sql`ff.facts -> '_trust'`);
  const where: SQL[] = [visibleEnterprise, sql`e.status = 'active'`];
  if (filter.regionCode)
    where.push(
      sql`e.region_code in (select r.code from regions r where r.path like (select r0.path from regions r0 where r0.code = ${filter.regionCode}) || '%')`,
    );
  if (filter.regionCodes)
    where.push(
      filter.regionCodes.length
        ? sql`e.region_code in (${sql.join(
            filter.regionCodes.map((c) => sql`${c}`),
            sql`, `,
          )})`
        : sql`false`,
    );
  const factsWhere: SQL[] = [sql`f.year <= ${ymax}::int`];
  if (filter.enterpriseId) {
    where.push(sql`e.id = ${filter.enterpriseId}`);
    factsWhere.push(sql`f.enterprise_id = ${filter.enterpriseId}`);
  }
  // Per enterprise the latest facts year at or below each offset's target year, in one grouped pass over the
  // narrow (enterprise_id, year) rows; the facts rows of the chosen years are joined after it.
  // Each row comes back as ONE text value (fields joined by '|', the facts values last as one JSON array): PGlite
  // decodes every column value in JavaScript, and one column per row reads 100k rows 2.4× faster than nine. No
  // field but the last can hold '|' (uuids, region / industry codes, enum values, numbers, booleans). No ORDER BY:
  // sorting the wide rows took PGlite 3 s at 100k; rows are grouped per enterprise here and the members sorted.
  const latest = wanted.map((o, i) => sql`max(f.year) filter (where f.year <= ${y - o}::int) as ${sql.raw(`y${i}`)}`);
  const chosen = wanted.map((_, i) => sql`ff.year = fy.${sql.raw(`y${i}`)}`);
  const res = await ex.execute(sql`
    select concat_ws('|', e.id::text, e.region_code, coalesce(ff.year::text, ''), coalesce(ff.region_code, ''),
                     coalesce(ff.industry_code, ''), coalesce(ff.park_id::text, ''), coalesce(ff.size, ''),
                     coalesce(ff.above_scale::text, ''),
                     ${values.length ? sql`json_build_array(${sql.join(values, sql`, `)})::text` : sql`'[]'`}) as r
      from enterprises e
      left join (select f.enterprise_id, ${sql.join(latest, sql`, `)}
                   from enterprise_facts f
                  where ${sql.join(factsWhere, sql` and `)}
                  group by f.enterprise_id) fy on fy.enterprise_id = e.id
      left join enterprise_facts ff on ff.enterprise_id = e.id and (${sql.join(chosen, sql` or `)})
     where ${sql.join(where, sql` and `)}`);
  const raw = (res as unknown as { rows: { r: string }[] }).rows;
  const dense = denseFromValues(keys);
  const q = keys.length;
  const members: Member[] = [];
  const empty: FactContext = { facts: {}, asOf, qualifications: [] };
  const byId = new Map<string, Member>();
  const fields = new Array<string>(8);
  for (const { r: line } of raw) {
    let at = 0;
    for (let f = 0; f < 8; f++) {
      const bar = line.indexOf('|', at);
      fields[f] = line.slice(at, bar);
      at = bar + 1;
    }
    const [id, regionCode, year, fRegion, industry, park, size, above] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    let cur = byId.get(id);
    if (!cur) {
      cur = {
        enterpriseId: id,
        regionCode,
        rows: [null, null],
        ctx: withTrust ? [empty, empty, empty, empty, empty, empty] : [empty, empty],
      };
      byId.set(id, cur);
      members.push(cur);
    }
    if (year === '') continue;
    const list = JSON.parse(line.slice(at)) as unknown[];
    // the context's facts: one fixed shape (toDenseFacts), column-backed facts from the columns as in
    // factContextOf (park, size and above-scale only when known)
    const facts = dense(list);
    const rowRegion = fRegion || regionCode;
    facts.region_code = rowRegion;
    facts.industry_code = industry;
    facts.park_id = park || undefined;
    facts.size = size && size !== 'unknown' ? size : undefined;
    facts.above_scale = above === '' ? undefined : above === 'true';
    const quals = withQualifications ? list[q] : undefined;
    const row: FactsRowLike = {
      enterpriseId: id,
      year: Number(year),
      regionCode: rowRegion,
      industryCode: industry,
      parkId: park || null,
      size: (size || 'unknown') as FactsRowLike['size'],
      aboveScale: above === '' ? null : above === 'true',
      facts,
      updatedAt: EPOCH,
    };
    const ctx: FactContext = {
      facts,
      asOf,
      qualifications: Array.isArray(quals) ? (quals as FactContext['qualifications']) : [],
    };
    // the facts a clause demanding official (1) or verified (2) data may see
    const trust = withTrust ? (list[trustAt] as Record<string, number> | null) : null;
    const masked = withTrust
      ? [1, 2].map((t) => ({ ...ctx, facts: trust ? maskFacts(facts, trust, t) : facts }))
      : null;
    // each offset's row: the latest year at or below its target (rows arrive in no particular order)
    for (const o of [0, 1] as const) {
      const had = cur.rows[o];
      if (row.year <= y - o && (had === null || had.year < row.year)) {
        cur.rows[o] = row;
        cur.ctx[o] = ctx;
        if (masked) {
          cur.ctx[slotOf(o, 1)] = masked[0]!;
          cur.ctx[slotOf(o, 2)] = masked[1]!;
        }
      }
    }
  }
  // the order of enterprise ids (as PostgreSQL sorts uuids: their lower-case hex text)
  members.sort((a, b) => (a.enterpriseId < b.enterpriseId ? -1 : a.enterpriseId > b.enterpriseId ? 1 : 0));
  return { asOf, members, readMs: performance.now() - started };
}

/** Catalogue facts stored as keys of the facts JSON (the others are columns of enterprise_facts). */
const JSON_KEYS = FACTS_CATALOGUE.filter((f) => 'json' in f.storage).map((f) => f.key);

/** The facts a clause reads: its rule's and its amount formula's (and their trust when it demands a source). */
export function clauseReads(
  clause: Pick<ClauseSpec, 'eligibility' | 'amountFormula'> & { minSource?: string | null },
): string[] {
  const out = factsOf(clause.eligibility as Rule);
  if (clause.amountFormula) out.push(...formulaFacts(clause.amountFormula));
  if (clause.minSource) out.push(TRUST_READ);
  return out;
}

/** The bulk read does not carry `updated_at`: one shared placeholder instead of a Date per row. */
const EPOCH = new Date(0);

export type ClauseSpec = Pick<ClauseRow, 'eligibility' | 'amountFormula' | 'capYuan' | 'floorYuan' | 'factsYear'> & {
  minSource?: ClauseRow['minSource'];
};

/** A clause made ready for bulk use: the kernel (or predicate), the parsed formula, caps. */
export interface PreparedClause {
  rule: Rule;
  offset: YearOffset;
  /** The trust the clause demands of its facts (0 any, 1 official, 2 verified; decision 0018). */
  minTrust: number;
  /** The member context slot it is judged on (`slotOf`). */
  slot: number;
  /** The generated kernel (verdict and missing facts in one integer), null when the rule needs the closures. */
  kernel: Kernel | null;
  predicate: ReturnType<typeof compileToPredicate>;
  /** Missing facts of a context the predicate judged unknown. */
  missingOf: ReturnType<typeof compileMissingWhenUnknown>;
  spec: { eligibility: Rule; amount: string | null; cap: number | null; floor: number | null };
  /** The facts the clause reads (`clauseReads`): what `loadPopulation` must bring for it. */
  reads: string[];
}

export function prepareClause(clause: ClauseSpec): PreparedClause {
  const rule = clause.eligibility as Rule;
  const offset = offsetOf(clause.factsYear);
  const minTrust = minTrustOf(clause.minSource);
  return {
    rule,
    offset,
    minTrust,
    slot: slotOf(offset, minTrust),
    reads: clauseReads(clause),
    // a clause that demands a source names the facts that need verification per member: the closures do that
    kernel: minTrust > 0 ? null : compileKernel(rule),
    predicate: compileToPredicate(rule),
    missingOf: compileMissingWhenUnknown(rule),
    // clauseAmount hands `amount` to evaluateFormula, which takes a parsed node as well as source text
    spec: {
      eligibility: rule,
      amount: (clause.amountFormula ? parseFormula(clause.amountFormula) : null) as FormulaNode | null as never,
      cap: clause.capYuan === null || clause.capYuan === undefined ? null : Number(clause.capYuan),
      floor: clause.floorYuan === null || clause.floorYuan === undefined ? null : Number(clause.floorYuan),
    },
  };
}

/** Verdict codes of `ClauseResults.verdicts`: 0, 1, and every code from 2 up is unknown. */
export const INELIGIBLE = 0;
export const ELIGIBLE = 1;
export const UNKNOWN = 2;
/** Unknown with missing facts in `ClauseResults.missing` (the clause's palette is full). */
const UNKNOWN_OVERFLOW = 255;

/**
 * The results of one clause over a member list, compact: a verdict byte per member; for unknown members the byte
 * also says WHICH facts are missing: code 2 + k means `missingSets[k]` (a clause has few distinct missing-facts
 * sets, so a whole city × 200 clauses stays a few MB and judging allocates nothing per row). Amounts of eligible
 * members, and missing facts of eligible members whose amount is unknown, are sparse maps.
 */
export interface ClauseResults {
  verdicts: Uint8Array;
  amounts: Map<number, string>;
  /** Missing facts: eligible members with an unknown amount, and unknown members beyond the palette (code 255). */
  missing: Map<number, string[]>;
  missingSets: string[][];
}

export const isUnknown = (code: number) => code >= UNKNOWN;
export const resultOf = (code: number) => RESULT_OF[Math.min(code, UNKNOWN)]!;

/** Member `i`'s missing facts. */
export function missingAt(r: ClauseResults, i: number): string[] {
  const v = r.verdicts[i]!;
  if (v >= UNKNOWN && v < UNKNOWN_OVERFLOW) return r.missingSets[v - UNKNOWN]!;
  return r.missing.get(i) ?? NONE;
}

/**
 * Judges every member for every clause in one pass, enterprise by enterprise (one context stays hot in the cache
 * while all clauses read it: about twice as fast as clause by clause at 100k × 200).
 */
export function classifyMany(clauses: readonly PreparedClause[], members: readonly Member[]): ClauseResults[] {
  const n = members.length;
  const out: ClauseResults[] = clauses.map(() => ({
    verdicts: new Uint8Array(n),
    amounts: new Map<number, string>(),
    missing: new Map<number, string[]>(),
    missingSets: [],
  }));
  // per clause: mask → verdict code (kernels), and missing-facts list → code (closures)
  const codes = clauses.map(() => new Map<number | string, number>());
  const k = clauses.length;
  /** The code of a missing-facts set not seen before for clause j (or the overflow code, member i noted). */
  const newUnknownCode = (j: number, i: number, key: number | string, missing: string[]) => {
    const r = out[j]!;
    if (r.missingSets.length < UNKNOWN_OVERFLOW - UNKNOWN) {
      const code = UNKNOWN + r.missingSets.push(missing) - 1;
      codes[j]!.set(key, code);
      return code;
    }
    r.missing.set(i, missing);
    return UNKNOWN_OVERFLOW;
  };
  // the hot loop reads plain arrays (one kernel call per clause and member; nothing allocated but for amounts)
  const runs = clauses.map((c) => c.kernel?.run ?? null);
  const slots = Uint8Array.from(clauses, (c) => c.slot);
  const verdicts = out.map((r) => r.verdicts);
  for (let i = 0; i < n; i++) {
    const ctxs = members[i]!.ctx;
    for (let j = 0; j < k; j++) {
      const ctx = ctxs[slots[j]!];
      if (ctx === undefined) throw new Error('population read without the facts’ trust (clauseReads)');
      const run = runs[j]!;
      if (run !== null) {
        const mask = run(ctx);
        if (mask === KERNEL_FALSE) continue;
        if (mask !== KERNEL_TRUE) {
          const code = codes[j]!.get(mask);
          verdicts[j]![i] = code !== undefined ? code : newUnknownCode(j, i, mask, clauses[j]!.kernel!.missingOf(mask));
          continue;
        }
      } else {
        const v = clauses[j]!.predicate(ctx);
        if (v === false) continue;
        if (v === null) {
          const c = clauses[j]!;
          let missing = c.missingOf(ctx);
          // facts the firm has, but from a source below the clause's demand: "needs verification"
          if (c.minTrust > 0) missing = markNeedsVerification(missing, ctxs[c.offset]!.facts);
          const key = missing.join(',');
          const code = codes[j]!.get(key);
          verdicts[j]![i] = code !== undefined ? code : newUnknownCode(j, i, key, missing);
          continue;
        }
      }
      // eligible
      verdicts[j]![i] = ELIGIBLE;
      const c = clauses[j]!;
      if (c.spec.amount) {
        const r = out[j]!;
        const a = eligibleAmount(c.spec, ctx);
        if (a.amount !== null) r.amounts.set(i, a.amount);
        if (a.missing.length)
          r.missing.set(i, c.minTrust > 0 ? markNeedsVerification(a.missing, ctxs[c.offset]!.facts) : a.missing);
      }
    }
  }
  return out;
}

const NONE: string[] = [];
const RESULT_OF = ['ineligible', 'eligible', 'unknown'] as const;

/** Member `i`'s verdict from compact results, in the shape the rest of the module uses. */
export function verdictAt(r: ClauseResults, c: Pick<PreparedClause, 'offset'>, m: Member, i: number): ClauseVerdict {
  const facts = m.rows[c.offset];
  return {
    enterpriseId: m.enterpriseId,
    regionCode: m.regionCode,
    result: resultOf(r.verdicts[i]!),
    amountYuan: r.amounts.get(i) ?? null,
    missing: missingAt(r, i),
    factsYear: facts?.year ?? null,
    facts,
  };
}

/** Every member of the population for one clause. */
export function classifyPopulation(clause: ClauseSpec | PreparedClause, pop: Population | Member[]): ClauseVerdict[] {
  const c = 'predicate' in clause ? clause : prepareClause(clause);
  const members = Array.isArray(pop) ? pop : pop.members;
  const [r] = classifyMany([c], members);
  const out = new Array<ClauseVerdict>(members.length);
  for (let i = 0; i < members.length; i++) out[i] = verdictAt(r!, c, members[i]!, i);
  return out;
}
