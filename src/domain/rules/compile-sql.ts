/**
 * The SQL back end of the rule language (issue #5): a rule compiles to a boolean SQL expression over one row of
 * `enterprise_facts` that is TRUE, FALSE or NULL (unknown) exactly when the TypeScript evaluator (evaluate.ts)
 * says true, false or null. SQL's AND / OR / NOT are already Kleene's three-valued logic.
 *
 * Safety: every value — constants, fact keys used as jsonb keys, the evaluation date — is a bound parameter; the
 * only raw SQL text is this file's own fragments and the table alias, which must be a plain identifier.
 * Fact keys are checked against the catalogue before use.
 *
 * Agreement details (checked by test/rules.property.test.ts on PGlite and PostgreSQL 15):
 * - a jsonb value of the wrong type, JSON null and a missing key are all NULL (jsonb_typeof guards);
 * - numbers compare as float8, so comparisons and ratios are the same IEEE doubles JavaScript uses;
 * - dates and other strings compare in the "C" collation (byte order, as JavaScript's < on ISO dates);
 * - `yearsSince` is date_part('year', age(asOf, date)), mirrored by `wholeYears` in TypeScript;
 * - a ratio with a zero denominator is NULL;
 * - qualifications are read from facts->'qualifications' ([{type, level, issuedOn, validUntil}]) with one jsonpath
 *   filter (elements that are themselves arrays are not expected there: lax mode would look inside them).
 */
import { type SQL, sql } from 'drizzle-orm';
import { type FactDef, factDef } from './catalogue.ts';
import { ISO_DATE_RE } from './schema.ts';
import type { ComparisonOp, Rule, Scalar } from './types.ts';

const IDENT_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export interface CompileOptions {
  /** ISO date the rule is judged on (yearsSince, qualifications without `on`). */
  asOf: string;
  /** Alias of the enterprise_facts row in the surrounding query (default "ef"). */
  alias?: string;
  /**
   * Override how a fact is read, e.g. a column of a subquery that extracted every fact once (bench, bulk
   * matching). Must return the same typed value `factSql` would (float8 / text / boolean / ISO text, or NULL).
   */
  factExpr?: (def: FactDef) => SQL;
  /** Override how the qualifications jsonb array is read (default `<alias>.facts -> 'qualifications'`). */
  qualificationsExpr?: SQL;
}

function aliasSql(alias: string | undefined): SQL {
  const a = alias ?? 'ef';
  if (!IDENT_RE.test(a)) throw new Error(`invalid SQL alias "${a}"`);
  return sql.raw(a);
}

function mustDef(key: string): FactDef {
  const d = factDef(key);
  if (!d) throw new Error(`unknown fact "${key}" (未知的事实项)`);
  return d;
}

const enumList = (def: FactDef) =>
  sql.join(
    (def.enumValues ?? []).map((e) => sql`${e.value}::text`),
    sql`, `,
  );

/** The typed value of one fact in row `alias` (NULL when missing or of the wrong type). */
export function factSql(def: FactDef, alias?: string): SQL {
  const a = aliasSql(alias);
  if ('column' in def.storage) {
    switch (def.storage.column) {
      case 'above_scale':
        return sql`${a}.above_scale`;
      case 'park_id':
        return sql`${a}.park_id::text`;
      case 'size':
        return sql`(case when ${a}.size in (${enumList(def)}) then ${a}.size end)`;
      case 'region_code':
        return sql`${a}.region_code`;
      case 'industry_code':
        return sql`${a}.industry_code`;
    }
  }
  const key = def.storage.json;
  const v = sql`(${a}.facts -> ${key}::text)`;
  const t = sql`(${a}.facts ->> ${key}::text)`;
  switch (def.type) {
    case 'number':
      return sql`(case when jsonb_typeof(${v}) = 'number' then ${v}::float8 end)`;
    case 'string':
      return sql`(case when jsonb_typeof(${v}) = 'string' then ${t} end)`;
    case 'boolean':
      return sql`(case when jsonb_typeof(${v}) = 'boolean' then ${t}::boolean end)`;
    case 'date':
      return sql`(case when jsonb_typeof(${v}) = 'string' and ${t} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then ${t} end)`;
    case 'enum':
      return sql`(case when jsonb_typeof(${v}) = 'string' and ${t} in (${enumList(def)}) then ${t} end)`;
  }
}

const QUAL_FILTER = '@.issuedOn <= $on && (!exists(@.validUntil) || @.validUntil == null || @.validUntil >= $on)';
const QUAL_PATH = `'lax $[*] ? (@.type == $t && ${QUAL_FILTER})'::jsonpath`;
const QUAL_PATH_LEVEL = `'lax $[*] ? (@.type == $t && @.level == $l && ${QUAL_FILTER})'::jsonpath`;

const OPS: Record<ComparisonOp, SQL> = {
  eq: sql.raw('='),
  ne: sql.raw('<>'),
  lt: sql.raw('<'),
  lte: sql.raw('<='),
  gt: sql.raw('>'),
  gte: sql.raw('>='),
};

function constSql(def: FactDef, v: Scalar): SQL {
  switch (def.type) {
    case 'number':
      return sql`${String(v)}::float8`;
    case 'boolean':
      return sql`${String(v)}::boolean`;
    default:
      return sql`${String(v)}::text`;
  }
}

/** Compile a (valid) rule to a boolean SQL expression: TRUE, FALSE or NULL (unknown). */
export function compileRule(rule: Rule, opts: CompileOptions): SQL {
  if (!ISO_DATE_RE.test(opts.asOf)) throw new Error(`invalid asOf date "${opts.asOf}"`);
  const a = aliasSql(opts.alias);
  const read = opts.factExpr ?? ((d: FactDef) => factSql(d, opts.alias));
  const quals = opts.qualificationsExpr ?? sql`(${a}.facts -> 'qualifications')`;
  const asOf = sql`${opts.asOf}::text`;

  const walk = (r: Rule): SQL => {
    if ('all' in r)
      return sql`(${sql.join(
        r.all.map((c) => walk(c)),
        sql` and `,
      )})`;
    if ('any' in r)
      return sql`(${sql.join(
        r.any.map((c) => walk(c)),
        sql` or `,
      )})`;
    if ('not' in r) return sql`(not ${walk(r.not)})`;
    if ('qualification' in r) {
      // one jsonpath filter over the array (no subquery per row): type (and level) match, issued on or before
      // the date, and no validUntil, a JSON null one, or one on or after the date; strings compare by code point
      const vars = { t: r.qualification, on: r.on ?? opts.asOf, ...(r.level !== undefined ? { l: r.level } : {}) };
      const path = r.level !== undefined ? QUAL_PATH_LEVEL : QUAL_PATH;
      return sql`(case when jsonb_typeof(${quals}) = 'array' then coalesce(jsonb_path_exists(${quals}, ${sql.raw(path)}, ${JSON.stringify(vars)}::jsonb), false) else false end)`;
    }
    if ('yearsSince' in r) {
      const d = mustDef(r.yearsSince);
      return sql`(date_part('year', age(${asOf}::date::timestamp, ${read(d)}::date::timestamp)) ${OPS[r.op]} ${String(r.value)}::float8)`;
    }
    if ('ratio' in r) {
      const x = read(mustDef(r.ratio[0]));
      const y = read(mustDef(r.ratio[1]));
      return sql`((case when ${y} <> 0 then ${x} / ${y} end) ${OPS[r.op]} ${String(r.value)}::float8)`;
    }
    const d = mustDef(r.fact);
    const x = read(d);
    const coll = d.type === 'date' ? sql` collate "C"` : sql``;
    switch (r.op) {
      case 'in':
        return sql`(${x} in (${sql.join(
          r.value.map((v) => constSql(d, v)),
          sql`, `,
        )}))`;
      case 'between':
        return sql`(${x} between ${String(r.value[0])}::float8 and ${String(r.value[1])}::float8)`;
      case 'prefix':
        return sql`starts_with(${x}, ${r.value}::text)`;
      default:
        return sql`(${x}${coll} ${OPS[r.op]} ${constSql(d, r.value)})`;
    }
  };
  return walk(rule);
}

/**
 * Which facts year a rule is judged on (docs/decisions/0011-rule-language.md): the year `offset` years before the
 * evaluation date (default 1: "上年度", the previous calendar year), falling back to the latest earlier year that
 * has data. Null when no year qualifies (then every fact is missing and rules over facts are unknown).
 */
export function chooseFactsYear(years: readonly number[], asOf: string, offset = 1): number | null {
  const target = Number(asOf.slice(0, 4)) - offset;
  let best: number | null = null;
  for (const y of years) if (y <= target && (best === null || y > best)) best = y;
  return best;
}

/**
 * SQL condition choosing, for facts row `alias`, the same year as `chooseFactsYear` over the enterprise's rows.
 */
export function factsYearSql(asOf: string, opts: { alias?: string; offset?: number } = {}): SQL {
  if (!ISO_DATE_RE.test(asOf)) throw new Error(`invalid asOf date "${asOf}"`);
  const a = aliasSql(opts.alias);
  const target = Number(asOf.slice(0, 4)) - (opts.offset ?? 1);
  return sql`${a}.year = (select max(f2.year) from enterprise_facts f2 where f2.enterprise_id = ${a}.enterprise_id and f2.year <= ${target}::int)`;
}
