/**
 * Chinese full-text search for the policy library (decision 0012). PostgreSQL has no Chinese parser and
 * pg_trgm ignores CJK characters in its default build, so the app tokenises: CJK runs become unigrams and
 * bigrams, Latin/digit runs lower-cased words. The document vector is built here as a `tsvector` literal with
 * positions and weights (A title, B issuer and 文号, C summary and tags, D body) and cast by PostgreSQL — no
 * text-search parser involved, so PostgreSQL 15 and PGlite 18 give the same vectors. A query becomes the AND
 * of its bigrams (a phrase-like match), ranked by tier: exact 文号 first, then hits in the title, issuer/文号,
 * summary, body; within a tier the newest first, then ts_rank with the weights.
 */
import { type SQL, sql } from 'drizzle-orm';
import { escapeHtml } from './sanitize.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
/** Runs of CJK characters, or of letters/digits. Everything else separates tokens. */
const RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[\p{L}\p{N}]+/gu;

/** Document tokens of a text, in order: per CJK run its unigrams and bigrams; per Latin/digit run the word. */
export function documentTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(RUNS)) {
    const run = m[0];
    if (CJK.test(run[0]!)) {
      const chars = [...run];
      for (let i = 0; i < chars.length; i++) {
        out.push(chars[i]!);
        if (i + 1 < chars.length) out.push(chars[i]! + chars[i + 1]!);
      }
    } else if (run.length <= MAX_TOKEN_LENGTH) out.push(run.toLowerCase());
  }
  return out;
}

/**
 * Longer Latin/digit runs are dropped before indexing and querying (issue #16): nobody searches for them, and
 * PostgreSQL refuses a lexeme over 2,046 bytes (a 3,000-letter word in a policy body was a 500).
 */
export const MAX_TOKEN_LENGTH = 64;

/** Query terms: bigrams of CJK runs (a single character stays a unigram), Latin/digit words. Deduplicated. */
export function queryTokens(q: string): string[] {
  const out = new Set<string>();
  for (const m of q.matchAll(RUNS)) {
    const run = m[0];
    if (CJK.test(run[0]!)) {
      const chars = [...run];
      if (chars.length === 1) out.add(chars[0]!);
      for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
    } else if (run.length <= MAX_TOKEN_LENGTH) out.add(run.toLowerCase());
  }
  return [...out].slice(0, 32);
}

export interface SearchFields {
  title: string;
  issuer: string;
  docNo: string;
  summary: string;
  tags: string[];
  body: string;
}

const MAX_POS = 16_383;
const MAX_POSITIONS_PER_LEXEME = 64;

/** The tsvector literal (`'稳岗':1A,9C …`) of a policy. Tokens hold only letters and digits, so need no escaping. */
export function tsvectorLiteral(f: SearchFields): string {
  const lexemes = new Map<string, string[]>();
  let pos = 0;
  const add = (text: string, weight: 'A' | 'B' | 'C' | 'D') => {
    for (const tok of documentTokens(text)) {
      pos = Math.min(pos + 1, MAX_POS);
      const list = lexemes.get(tok) ?? [];
      if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(`${pos}${weight === 'D' ? '' : weight}`);
      lexemes.set(tok, list);
    }
    pos = Math.min(pos + 5, MAX_POS);
  };
  add(f.title, 'A');
  add(`${f.issuer} ${f.docNo}`, 'B');
  add(`${f.summary} ${f.tags.join(' ')}`, 'C');
  add(f.body, 'D');
  return [...lexemes.entries()].map(([lex, ps]) => `'${lex}':${ps.join(',')}`).join(' ');
}

/** SQL for the search_vector column value. */
export function searchVectorSql(f: SearchFields): SQL {
  return sql`${tsvectorLiteral(f)}::tsvector`;
}

export interface TextQuery {
  /** All terms, any weight. */
  any: string;
  /** All terms in the title (weight A). */
  title: string;
  /** All terms in the issuer/文号 (weight B) or title. */
  issuer: string;
  /** All terms in the title, issuer/文号 or summary. */
  summary: string;
  /** The normalised text, for the exact 文号 match. */
  raw: string;
}

/** A tsquery per tier, or null when the text has no searchable characters. */
export function textQuery(q: string): TextQuery | null {
  const toks = queryTokens(q);
  if (toks.length === 0) return null;
  const join = (w: string) => toks.map((t) => `'${t}'${w}`).join(' & ');
  return { any: join(''), title: join(':A'), issuer: join(':AB'), summary: join(':ABC'), raw: q.trim() };
}

/**
 * Relevance tier (higher first): exact 文号 1000, then the best field all terms hit (title 30, issuer/文号 20,
 * summary/tags 10, body 0). Within a tier the list orders by recency, then by `textRankSql`.
 */
export function rankSql(vector: SQL | unknown, docNo: unknown, tq: TextQuery): SQL {
  return sql`(case when ${docNo} = ${tq.raw} then 1000 else 0 end
    + case when ${vector} @@ ${tq.title}::tsquery then 30
           when ${vector} @@ ${tq.issuer}::tsquery then 20
           when ${vector} @@ ${tq.summary}::tsquery then 10 else 0 end)`;
}

/** ts_rank with weights D 0.1, C 0.2, B 0.4, A 1.0: the last tie-break. */
export function textRankSql(vector: unknown, tq: TextQuery): SQL {
  return sql`ts_rank('{0.1, 0.2, 0.4, 1.0}'::float4[], ${vector}, ${tq.any}::tsquery)`;
}

/** WHERE: the vector matches all terms, or the 文号 equals the text. */
export function matchSql(vector: unknown, docNo: unknown, tq: TextQuery): SQL {
  return sql`(${vector} @@ ${tq.any}::tsquery or ${docNo} = ${tq.raw})`;
}

/**
 * A short snippet around the first hit of the query in the title, summary or body: HTML-escaped text with
 * the hits wrapped in <mark>…</mark> (safe to render as HTML). Null when no term occurs literally.
 */
export function highlight(q: string, fields: { title: string; summary: string; body: string }): string | null {
  const terms = [...q.matchAll(RUNS)].map((m) => m[0]).filter(Boolean);
  if (terms.length === 0) return null;
  terms.sort((a, b) => b.length - a.length);
  for (const text of [fields.title, fields.summary, fields.body]) {
    const lower = text.toLowerCase();
    const hit = terms.map((t) => ({ t, at: lower.indexOf(t.toLowerCase()) })).find((h) => h.at >= 0);
    if (!hit) continue;
    const from = Math.max(0, hit.at - 30);
    const to = Math.min(text.length, hit.at + hit.t.length + 60);
    const slice = text.slice(from, to).replace(/\s+/g, ' ');
    const re = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
    let out = '';
    let last = 0;
    for (const m of slice.matchAll(re)) {
      out += `${escapeHtml(slice.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
      last = m.index! + m[0].length;
    }
    out += escapeHtml(slice.slice(last));
    return `${from > 0 ? '…' : ''}${out}${to < text.length ? '…' : ''}`;
  }
  return null;
}
