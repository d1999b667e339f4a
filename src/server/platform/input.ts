/**
 * Input hygiene at the edge (security.md IP-04, issue #16, decision 0022): the shared string, date and number
 * types of request schemas, and the validator compiler that applies the same rules to every string and number
 * of every request (body, querystring, params, headers) before the route's own zod schema runs.
 *
 * Refused everywhere: NUL and the other C0/C1 control characters (tab, line feed and carriage return excepted),
 * lone UTF-16 surrogates, bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069, the
 * "Trojan source" characters), values made only of zero-width characters, ISO dates outside 1900–2100, and
 * non-finite numbers (JSON `1e309` parses to Infinity). The shared types add: single-line text refuses line
 * breaks and tabs; required text refuses blank values.
 */

import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** C0 controls except \t \n \r, DEL and C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Line breaks and tabs: allowed in multi-line text only. */
const LINE_BREAK = /[\t\n\r\u2028\u2029]/;
/** Bidirectional embedding, override and isolate controls (CVE-2021-42574). */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
/** A lone (unpaired) surrogate: not valid UTF-8, PostgreSQL would refuse it. */
const LONE_SURROGATE = /\p{Surrogate}/u;
/** Characters that show nothing (zero-width, soft hyphen, word joiner, BOM) and whitespace. */
const INVISIBLE_ONLY = /^[\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]*$/;
const HAS_INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/;
/** An ISO 8601 date or date-time; its year must lie in [MIN_YEAR, MAX_YEAR]. */
const ISO_DATE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

export type HygieneProblem = 'control' | 'bidi' | 'invisible' | 'year' | 'number';

/** The first hygiene problem of one string, or null. */
export function stringProblem(s: string): HygieneProblem | null {
  if (CONTROL.test(s) || LONE_SURROGATE.test(s)) return 'control';
  if (BIDI.test(s)) return 'bidi';
  if (s.length > 0 && HAS_INVISIBLE.test(s) && INVISIBLE_ONLY.test(s)) return 'invisible';
  const m = s.length <= 40 ? ISO_DATE.exec(s) : null;
  if (m) {
    const year = Number(m[1]);
    if (year < MIN_YEAR || year > MAX_YEAR) return 'year';
  }
  return null;
}

export const HYGIENE_MESSAGES: Record<HygieneProblem, { 'zh-CN': string; en: string }> = {
  control: { 'zh-CN': '包含不允许的控制字符', en: 'Contains control characters that are not allowed' },
  bidi: { 'zh-CN': '包含不允许的文字方向控制字符', en: 'Contains text-direction control characters' },
  invisible: { 'zh-CN': '不能只包含不可见字符', en: 'Must not consist of invisible characters only' },
  year: {
    'zh-CN': `日期须在 ${MIN_YEAR}–${MAX_YEAR} 年之间`,
    en: `Dates must lie between ${MIN_YEAR} and ${MAX_YEAR}`,
  },
  number: { 'zh-CN': '数值必须是有限数', en: 'Numbers must be finite' },
};

interface Found {
  path: (string | number)[];
  problem: HygieneProblem;
}

/** Walks a parsed request part (JSON body, querystring, params, headers) for the first hygiene problem. */
export function findHygieneProblem(value: unknown, path: (string | number)[] = [], depth = 0): Found | null {
  if (depth > 64) return null;
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    return problem ? { path, problem } : null;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path, problem: 'number' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const f = findHygieneProblem(value[i], [...path, i], depth + 1);
      if (f) return f;
    }
    return null;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const keyProblem = stringProblem(k);
      if (keyProblem) return { path: [...path, k], problem: keyProblem };
      const f = findHygieneProblem(v, [...path, k], depth + 1);
      if (f) return f;
    }
  }
  return null;
}

/**
 * The zod validator compiler of fastify-type-provider-zod, preceded by the hygiene walk. A problem answers
 * 400 VALIDATION_FAILED naming the field, like any schema failure (the issue code `custom` carries `hygiene`).
 */
export const hygienicValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
  // Headers carry browser values (user agents, cookies) that are not ours to judge; only the declared schema.
  const skipWalk = route.httpPart === 'headers';
  return (data: unknown) => {
    if (!skipWalk) {
      const found = findHygieneProblem(data);
      if (found) {
        const path = found.path.join('/');
        return {
          error: [
            {
              [Symbol.for('ZodFastifySchemaValidationError')]: true,
              keyword: 'custom',
              instancePath: `/${path}`,
              schemaPath: `#/${path}/custom`,
              message: HYGIENE_MESSAGES[found.problem].en,
              params: { hygiene: found.problem },
            },
          ],
        } as never;
      }
    }
    return validate(data) as never;
  };
};

// ——— shared types for request schemas ———

function refineText(s: string, ctx: z.RefinementCtx, multiline: boolean) {
  const problem = stringProblem(s) ?? (!multiline && LINE_BREAK.test(s) ? 'control' : null);
  if (problem) ctx.addIssue({ code: 'custom', message: HYGIENE_MESSAGES[problem].en, params: { hygiene: problem } });
}

/** Required single-line text: trimmed, not blank, no control, line-break or direction characters. */
export function text(max = 200) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((s, ctx) => refineText(s, ctx, false));
}

/** Optional single-line text (may be empty). */
export function optionalText(max = 200) {
  return z
    .string()
    .trim()
    .max(max)
    .superRefine((s, ctx) => refineText(s, ctx, false));
}

/** Multi-line text (notes, descriptions): \n \r \t allowed. */
export function multilineText(max = 5000) {
  return z
    .string()
    .max(max)
    .superRefine((s, ctx) => refineText(s, ctx, true));
}

/** A calendar date `YYYY-MM-DD` within 1900–2100. */
export const dateOnly = z.iso.date().superRefine((s, ctx) => {
  const year = Number(s.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) {
    ctx.addIssue({ code: 'custom', message: HYGIENE_MESSAGES.year.en, params: { hygiene: 'year' } });
  }
});

/** An ISO date-time with offset, or a date, within 1900–2100. */
export const dateTimeOrDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).superRefine((s, ctx) => {
  const year = Number(s.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) {
    ctx.addIssue({ code: 'custom', message: HYGIENE_MESSAGES.year.en, params: { hygiene: 'year' } });
  }
});

/** A finite number (zod 4 numbers are finite already; named for the schemas that say so). */
export const finiteNumber = z.number().refine(Number.isFinite);
