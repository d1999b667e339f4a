/**
 * The public calculators (issue #15): POST /api/v1/tools/uscc and /api/v1/tools/enterprise-size, without a login,
 * on the worked examples of rules.md §1 and §2; localized sentences; 422s; the per-IP rate limit (429 + Retry-After).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgCodeCheckChar, usccCheckChar } from '../src/domain/uscc.ts';
import { TOOLS_RATE_LIMIT_PER_MINUTE } from '../src/server/modules/tools/routes.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let csrf = '';
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/csrf' });
  csrf = res.cookies.find((c) => c.name === 'miaopu_csrf')!.value;
});
afterAll(async () => t.close());

/** An anonymous call (no session cookie), with the CSRF cookie and header. */
function call(
  path: 'uscc' | 'enterprise-size',
  body: unknown,
  opts: { lang?: string; ip?: string; raw?: string } = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/tools/${path}`,
    cookies: { miaopu_csrf: csrf },
    headers: {
      'x-csrf-token': csrf,
      'content-type': 'application/json',
      ...(opts.lang ? { 'accept-language': opts.lang } : {}),
    },
    payload: opts.raw ?? JSON.stringify(body),
    ...(opts.ip ? { remoteAddress: opts.ip } : {}),
  });
}

const uscc = async (code: string, lang?: string) => {
  const res = await call('uscc', { code }, { lang });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    valid: boolean;
    normalized: string;
    errors: string[];
    warnings: string[];
    errorCodes: string[];
    warningCodes: string[];
    expectedCheckChar: string | null;
  };
};

/** A code with both check characters right, for a given division. */
function codeFor(division: string, body = 'MA9XK7Q2'): string {
  const first17 = `91${division}${body}${orgCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

const CJK = /[\u4e00-\u9fff]/;
const INTERNAL = /check_char|division_digits|org_code_check|unknown_|registration_number|charset\b/;

describe('POST /api/v1/tools/uscc (rules.md §1)', () => {
  it('needs no login: an anonymous caller gets an answer', async () => {
    const res = await call('uscc', { code: '91350100M000100Y43' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie'] ?? '').not.toContain('miaopu_sid');
    expect(res.headers['x-ratelimit-limit']).toBe(String(TOOLS_RATE_LIMIT_PER_MINUTE));
  });

  it.each([
    ['91350100M000100Y43', 'the GB 32100 worked example'],
    ['914403001922038216', 'Huawei (S = 831 → 6)'],
    ['9144030071526726XG', 'Tencent, X at position 17'],
    ['91440300708461136T', '§1.7'],
    ['91440300192317458F', '§1.7'],
    ['91100000100003962T', '§1.7, national registration 100000'],
    ['91110000710926094P', '§1.7'],
    ['91110108551385082Q', '§1.7'],
    ['91330100799655058B', '§1.7'],
  ])('%s (%s) is valid with no warning', async (code) => {
    const r = await uscc(code);
    expect(r).toMatchObject({ valid: true, normalized: code, errors: [], warnings: [], expectedCheckChar: null });
  });

  it('normalises full-width characters, spaces and lower case', async () => {
    const r = await uscc(' ９１４４０３００７０８４６１１３６ｔ ');
    expect(r).toMatchObject({ valid: true, normalized: '91440300708461136T', errors: [] });
    expect((await uscc('9144030071526726xg')).normalized).toBe('9144030071526726XG');
    expect((await uscc('9144030071526726xg')).valid).toBe(true);
  });

  it('explains a wrong check character and names the right one (rules.md §1.8)', async () => {
    const r = await uscc('914403001922038217');
    expect(r.valid).toBe(false);
    expect(r.errorCodes).toEqual(['check_char']);
    expect(r.expectedCheckChar).toBe('6');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain('应为「6」');
    expect(r.errors[0]).toContain('「7」');
    const swapped = await uscc('914403001922083216');
    expect(swapped.expectedCheckChar).toBe('X');
    expect(swapped.errors[0]).toContain('「X」');
  });

  it.each([
    ['9144O30071526726XG', ['charset'], '「O」'],
    ['91440300708461136', ['length'], '实际为 17 位'],
    ['91350100M000100Y4Z', ['charset'], '「Z」'],
    ['91AB0300708461136T', ['division_digits'], '「AB0300」'],
    ['', ['length'], '实际为 0 位'],
  ])('%s is invalid: %j', async (code, codes, fragment) => {
    const r = await uscc(code);
    expect(r.valid).toBe(false);
    for (const c of codes) expect(r.errorCodes).toContain(c);
    expect(r.errors.join(' ')).toContain(fragment);
  });

  it('a failing organisation-code check (position 17) is a warning, not an error', async () => {
    const r = await uscc('914403001922038229');
    expect(r.valid).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.warningCodes).toEqual(['org_code_check']);
    expect(r.warnings[0]).toContain('应为「1」');
    expect(r.warnings[0]).toContain('不影响');
  });

  it('warns about divisions the region table or GB/T 2260 does not know', async () => {
    expect((await uscc(codeFor('410108'))).warnings).toEqual([]); // 惠济区, in the table
    expect((await uscc(codeFor('440305'))).warnings).toEqual([]); // 深圳 南山区: outside the table, cannot tell
    const zz = await uscc(codeFor('410199')); // under 郑州市, whose whole list the table holds
    expect(zz.valid).toBe(true);
    expect(zz.warningCodes).toEqual(['unknown_division']);
    expect(zz.warnings[0]).toContain('410199');
    expect((await uscc(codeFor('990100'))).warningCodes).toEqual(['unknown_division']);
  });

  it('recognises an old 15-digit registration number as what it is', async () => {
    const r = await uscc('440301103448669');
    expect(r.valid).toBe(false);
    expect(r.errorCodes).toEqual(['length']);
    expect(r.warnings[0]).toContain('15 位旧工商注册号');
  });

  it('answers in English with Accept-Language: en, and never shows internal codes', async () => {
    const r = await uscc('914403001922038217', 'en');
    expect(r.errors[0]).toContain('check character');
    expect(r.errors[0]).not.toMatch(CJK);
    const w = await uscc('914403001922038229', 'en');
    expect(w.warnings[0]).toMatch(/Position 17/);
    for (const res of [r, w, await uscc('9144O30071526726XG'), await uscc('440301103448669', 'en')]) {
      for (const s of [...res.errors, ...res.warnings]) expect(s).not.toMatch(INTERNAL);
    }
  });

  it('still needs the CSRF header (public does not mean exempt)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/tools/uscc', payload: { code: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_FAILED');
  });
});

type SizeAnswer = {
  size: string;
  sizeName: string;
  rule: {
    group: string;
    groupName: string;
    industryCode: string | null;
    tiers: { tier: string; outcome: string; text: string }[];
    text: string;
    thresholds: { indicator: string; large: number; medium: number; small: number }[];
  };
  missing: string[];
  aboveScale?: boolean | null;
  aboveScaleRule?: { id: string | null; text: string };
};

const size = async (body: Record<string, unknown>, lang?: string) => {
  const res = await call('enterprise-size', body, { lang });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SizeAnswer;
};

describe('POST /api/v1/tools/enterprise-size (rules.md §2)', () => {
  it('工业 X = 1500, Y = 1000 万元 → small: both conditions are needed for the upper tiers (§2.3)', async () => {
    const r = await size({ industry: 'industry', employees: 1500, revenue: 1000 });
    expect(r.size).toBe('small');
    expect(r.sizeName).toBe('小型');
    expect(r.missing).toEqual([]);
    expect(r.rule.group).toBe('industry');
    expect(r.rule.groupName).toBe('工业');
    expect(r.rule.tiers.map((x) => [x.tier, x.outcome])).toEqual([
      ['large', 'failed'],
      ['medium', 'failed'],
      ['small', 'met'],
    ]);
    expect(r.rule.tiers[0]!.text).toContain('从业人员 1,500 ≥ 1,000');
    expect(r.rule.tiers[0]!.text).toContain('营业收入 1,000 < 40,000');
    expect(r.rule.text).toContain('结果：小型');
    expect(r.rule.thresholds).toContainEqual({
      indicator: 'revenue',
      name: '营业收入',
      unit: '万元',
      large: 40000,
      medium: 2000,
      small: 300,
    });
  });

  it('takes GB/T 4754 codes: class, division and section', async () => {
    const byClass = await size({ industry: 'C3311', employees: 1500, revenue: 1000 });
    expect(byClass).toMatchObject({ size: 'small', rule: { group: 'industry', industryCode: 'C3311' } });
    expect(byClass.rule.text).toContain('C3311 金属制品业');
    expect((await size({ industry: '33', employees: 1000, revenue: 40000 })).size).toBe('large');
    expect((await size({ industry: 'c', employees: 999, revenue: 40000 })).size).toBe('medium');
    expect((await size({ industry: 'F5211', employees: 9, revenue: 5000 })).size).toBe('micro');
    expect((await size({ industry: '软件和信息技术服务业', employees: 50, revenue: 60 })).size).toBe('small');
  });

  it('micro when one indicator is below the small bound', async () => {
    const r = await size({ industry: 'industry', employees: 19, revenue: 50000 });
    expect(r.size).toBe('micro');
    expect(r.rule.tiers.at(-1)!.text).toContain('从业人员 19 < 20');
  });

  it('unknown when a missing indicator could decide, and names it', async () => {
    const r = await size({ industry: 'C', employees: 500 });
    expect(r.size).toBe('unknown');
    expect(r.missing).toEqual(['revenue']);
    expect(r.rule.text).toContain('请补充营业收入');
    expect(r.aboveScale).toBeUndefined();
  });

  it('规上 when mainBusinessRevenue is given (§2.4)', async () => {
    const at = async (industry: string, mainBusinessRevenue: number) =>
      size({ industry, employees: 50, revenue: 3000, mainBusinessRevenue });
    const yes = await at('C3311', 2000);
    expect(yes.aboveScale).toBe(true);
    expect(yes.aboveScaleRule).toMatchObject({ id: 'industry' });
    expect(yes.aboveScaleRule!.text).toContain('2,000 ≥ 2,000');
    expect((await at('C3311', 1999.99)).aboveScale).toBe(false);
    expect((await at('retail', 500)).aboveScale).toBe(true);
    expect((await at('M7320', 1500)).aboveScale).toBe(true);
    const construction = await size({ industry: 'E47', revenue: 100, assets: 100, mainBusinessRevenue: 9000 });
    expect(construction.aboveScale).toBeNull();
    expect(construction.aboveScaleRule!.text).toContain('资质');
    expect((await at('other', 5000)).aboveScale).toBeNull();
  });

  it('answers in English', async () => {
    const r = await size({ industry: 'industry', employees: 1500, revenue: 1000, mainBusinessRevenue: 1000 }, 'en');
    expect(r.sizeName).toBe('small');
    expect(r.rule.text).toContain('Result: small.');
    expect(r.rule.text).not.toMatch(CJK);
    expect(r.aboveScaleRule!.text).toContain('below scale');
  });

  it('422 with a clear message for an unknown or too coarse industry', async () => {
    const unknown = await call('enterprise-size', { industry: 'X99', employees: 1 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'UNKNOWN_INDUSTRY' });
    expect(unknown.json().error.message).toContain('无法识别行业「X99」');
    const en = await call('enterprise-size', { industry: 'banking' }, { lang: 'en' });
    expect(en.statusCode).toBe(422);
    expect(en.json().error.message).toMatch(/^Unknown industry "banking"/);
    const coarse = await call('enterprise-size', { industry: 'F', employees: 1 });
    expect(coarse.statusCode).toBe(422);
    expect(coarse.json().error.code).toBe('INDUSTRY_AMBIGUOUS');
    expect(coarse.json().error.message).toContain('F51 批发业');
    expect(coarse.json().error.details.options).toEqual(['F51', 'F52']);
  });

  it('422 for negative, non-finite or non-numeric numbers, never 500', async () => {
    const negative = await call('enterprise-size', { industry: 'C', employees: -1, revenue: 10 });
    expect(negative.statusCode).toBe(422);
    expect(negative.json().error.code).toBe('INVALID_NUMBER');
    expect(negative.json().error.message).toContain('从业人员（人）');
    expect(negative.json().error.details.fields[0].field).toBe('body.employees');
    const infinite = await call('enterprise-size', null, { raw: '{"industry":"C","revenue":1e999}' });
    expect(infinite.statusCode, infinite.body).toBe(422);
    expect(infinite.json().error.message).toContain('营业收入（万元）');
    const text = await call('enterprise-size', { industry: 'C', assets: 'many' }, { lang: 'en' });
    expect(text.statusCode).toBe(422);
    expect(text.json().error.message).toContain('total assets');
    // other shape errors keep the app's usual 400
    expect((await call('enterprise-size', { employees: 1 })).statusCode).toBe(400);
    expect((await call('enterprise-size', { industry: 'C', employes: 1 })).statusCode).toBe(400);
  });
});

describe('rate limit', () => {
  it(`answers 429 with Retry-After after ${TOOLS_RATE_LIMIT_PER_MINUTE} requests a minute from one IP`, async () => {
    const ip = '10.20.30.40';
    for (let i = 0; i < TOOLS_RATE_LIMIT_PER_MINUTE; i++) {
      const res = await call('uscc', { code: '914403001922038216' }, { ip });
      expect(res.statusCode).toBe(200);
    }
    const limited = await call('uscc', { code: '914403001922038216' }, { ip });
    expect(limited.statusCode).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const error = limited.json().error;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toBe('请求过于频繁，请稍后再试。');
    expect(error.details.retryAfterSeconds).toBe(retryAfter);
    const en = await call('uscc', { code: '914403001922038216' }, { ip, lang: 'en' });
    expect(en.statusCode).toBe(429);
    expect(en.json().error.message).toBe('Too many requests; try again later.');
    // another IP, and the other calculator, keep their own budget
    expect((await call('uscc', { code: '914403001922038216' }, { ip: '10.20.30.41' })).statusCode).toBe(200);
    expect((await call('enterprise-size', { industry: 'C', employees: 5 }, { ip })).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents both calculators as public (no session security)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/tools/uscc', '/api/v1/tools/enterprise-size']) {
      const op = doc.paths[p].post;
      expect(op.security).toEqual([]);
      expect(op.description).toContain('x-csrf-token');
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '422', '429']));
    }
  });
});
