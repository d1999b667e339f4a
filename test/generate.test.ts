/**
 * The data generator (issue #19) at the tiny scale (the province layout: two added cities with synthetic districts,
 * 300 firms) on the test database: counts per table, determinism, valid USCCs, firms inside their parks' regions,
 * foreign keys, and the app's endpoints serving the generated rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateUscc } from '../src/domain/uscc.ts';
import { GeneratorError, generate, generatedUscc, SCALES } from '../src/server/db/generate/index.ts';
import { copyCell, sqlCell } from '../src/server/db/generate/sink.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

const AS_OF = '2026-06-30';
const tiny = SCALES.tiny;

let t: TestApp;
let before: Record<string, number>;
const TABLES = [
  'enterprises',
  'parks',
  'assistance_problems',
  'projects',
  'policies',
  'enterprise_monthly_indicators',
  'enterprise_indicators',
  'enterprise_indicator_values',
  'enterprise_facts',
  'tenancies',
] as const;

async function rows<T = Record<string, unknown>>(text: string, values?: unknown[]) {
  return (await t.deps.database.raw(text, values)).rows as T[];
}
async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES)
    out[table] = Number((await rows<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n);
  return out;
}

type Run = Awaited<ReturnType<typeof generate>>;
let dry1: Run;
let dry1again: Run;
let dry8: Run;
let real: Run;

beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  before = await counts();
  // reproducibility holds for the same starting database: the dry runs come before the real run changes it
  dry1 = await generate(t.deps.database, { scale: tiny, seed: 7, asOf: AS_OF, dryRun: true });
  dry1again = await generate(t.deps.database, { scale: tiny, seed: 7, asOf: AS_OF, dryRun: true });
  dry8 = await generate(t.deps.database, { scale: tiny, seed: 8, asOf: AS_OF, dryRun: true });
  real = await generate(t.deps.database, { scale: tiny, seed: 7, asOf: AS_OF });
  // the app loaded the division tree at start; the generator added cities and districts
  await t.deps.regions.load(t.deps.database.db);
}, 240_000);

afterAll(async () => {
  await t?.close();
});

describe('generator at the tiny scale', () => {
  it('adds exactly the rows the scale names', async () => {
    const after = await counts();
    expect(after.enterprises - before.enterprises).toBe(tiny.firms);
    expect(after.parks - before.parks).toBe(tiny.parks);
    expect(after.assistance_problems - before.assistance_problems).toBe(tiny.problems);
    expect(after.projects - before.projects).toBe(tiny.projects);
    expect(after.policies - before.policies).toBe(tiny.policies);
    expect(after.enterprise_monthly_indicators - before.enterprise_monthly_indicators).toBe(tiny.monthlyRows);
    // 7 yearly indicators × 3 years per firm, each with its source version; facts for 3 years + the current one
    expect(after.enterprise_indicators - before.enterprise_indicators).toBe(tiny.firms * 7 * 3);
    expect(after.enterprise_indicator_values - before.enterprise_indicator_values).toBe(tiny.firms * 7 * 3);
    expect(after.enterprise_facts - before.enterprise_facts).toBe(tiny.firms * 4);
    expect(after.tenancies - before.tenancies).toBe(real.counts.tenancies);
    expect(real.counts.tenancies).toBeGreaterThan(0);
    expect(real.counts.enterprises).toBe(tiny.firms);
    // the synthetic districts of two added cities (GB/T 2260 city codes, our own district codes)
    const added = await rows<{ code: string; level: string }>(
      `select code, level from regions where source like 'Miaopu generator%' order by code`,
    );
    expect(added.filter((r) => r.level === 'city').map((r) => r.code)).toEqual(['410200', '410300']);
    expect(added.filter((r) => r.level === 'district').map((r) => r.code)).toEqual([
      '4102G01',
      '4102G02',
      '4103G01',
      '4103G02',
    ]);
  });

  it('is reproducible: the same seed gives the same rows, another seed other rows', async () => {
    // the dry run (nothing written) and the real run of seed 7 produced the same rows, digest for digest
    expect(real.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(real.digest).toBe(dry1.digest);
    expect(real.firstUsccs).toEqual(dry1.firstUsccs);
    expect(real.samples.enterprises).toEqual(dry1.samples.enterprises);
    expect(dry1again.digest).toBe(dry1.digest);
    expect(dry1again.samples).toEqual(dry1.samples);
    const other = dry8;
    expect(other.digest).not.toBe(dry1.digest);
    expect(other.firstUsccs[0]).not.toBe(dry1.firstUsccs[0]);
    expect(other.samples.enterprises![0]).not.toBe(dry1.samples.enterprises![0]);
    // the stored firms are the generated ones, in order
    const stored = await rows<{ uscc: string }>(`select uscc from enterprises where uscc = any($1::text[])`, [
      real.firstUsccs,
    ]);
    expect(stored.map((r) => r.uscc).sort()).toEqual([...real.firstUsccs].sort());
  });

  it('refuses a second run on the same database', async () => {
    await expect(generate(t.deps.database, { scale: tiny, seed: 9, asOf: AS_OF })).rejects.toBeInstanceOf(
      GeneratorError,
    );
  });

  it('writes valid USCCs only, unique, whose division digits are the firm region’s', async () => {
    const firms = await rows<{ uscc: string; region_code: string }>(
      `select uscc, region_code from enterprises where id in (select enterprise_id from enterprise_facts) and uscc like '91%MA%'`,
    );
    const generated = firms.filter((f) => real.firstUsccs.includes(f.uscc) || f.uscc.slice(10, 11) !== '0');
    expect(generated.length).toBeGreaterThanOrEqual(tiny.firms);
    for (const f of generated) {
      const v = validateUscc(f.uscc);
      expect(v.errors, f.uscc).toEqual([]);
      expect(v.warnings, f.uscc).toEqual([]);
    }
    const all = await rows<{ n: number; d: number }>(
      `select count(*)::int as n, count(distinct uscc)::int as d from enterprises`,
    );
    expect(all[0]!.d).toBe(all[0]!.n);
    // the bijection: 5,000 serials give 5,000 different codes
    const codes = new Set(Array.from({ length: 5000 }, (_, i) => generatedUscc('410102', i, 7)));
    expect(codes.size).toBe(5000);
  });

  it('files every firm under a real region, and every tenant inside its park’s region', async () => {
    const orphans = await rows(
      `select e.id from enterprises e left join regions r on r.code = e.region_code where r.code is null`,
    );
    expect(orphans).toEqual([]);
    const outside = await rows(
      `select t.id from tenancies t join enterprises e on e.id = t.enterprise_id join parks p on p.id = t.park_id
         join regions pr on pr.code = p.region_code join regions er on er.code = e.region_code
       where p.code like 'GEN-%' and er.path not like pr.path || '%'`,
    );
    expect(outside).toEqual([]);
    const tenants = await rows<{ n: number }>(
      `select count(*)::int as n from tenancies t join parks p on p.id = t.park_id where p.code like 'GEN-%'`,
    );
    expect(tenants[0]!.n).toBe(real.counts.tenancies);
    // generated firms lie in the scale's root (河南省), spread over more than one city
    const cities = await rows<{ city: string }>(
      `select distinct split_part(r.path, '/', 2) as city from enterprises e join regions r on r.code = e.region_code
       where e.uscc = any($1::text[]) or e.name like '开封%' or e.name like '洛阳%'`,
      [real.firstUsccs],
    );
    expect(cities.length).toBeGreaterThan(1);
  });

  it('leaves no foreign key unmatched', async () => {
    // every foreign key of the schema, checked by an anti-join
    const fks = await rows<{ child: string; cols: string[]; parent: string; pcols: string[] }>(
      `select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
              array(select attname::text from pg_attribute where attrelid = c.conrelid and attnum = any(c.conkey) order by attnum) as cols,
              array(select attname::text from pg_attribute where attrelid = c.confrelid and attnum = any(c.confkey) order by attnum) as pcols
       from pg_constraint c where c.contype = 'f'`,
    );
    expect(fks.length).toBeGreaterThan(20);
    for (const fk of fks) {
      const cols = fk.cols.map((c, i) => `x.${c} = y.${fk.pcols[i]}`).join(' and ');
      const notNull = fk.cols.map((c) => `x.${c} is not null`).join(' and ');
      const bad = await rows<{ n: number }>(
        `select count(*)::int as n from ${fk.child} x where ${notNull} and not exists (select 1 from ${fk.parent} y where ${cols})`,
      );
      expect(bad[0]!.n, `${fk.child}(${fk.cols}) → ${fk.parent}`).toBe(0);
    }
  });

  it('keeps indicators consistent with the size class the app computes', async () => {
    const sizes = await rows<{ size: string; n: number; emp: number }>(
      `select f.size, count(*)::int as n, avg((f.facts->>'employees_year_end')::numeric)::float as emp
       from enterprise_facts f join enterprises e on e.id = f.enterprise_id
       where f.year = 2025 and e.address like '%（生成地址）' group by f.size`,
    );
    const by = Object.fromEntries(sizes.map((s) => [s.size, s]));
    // long tail: micro firms are the most numerous, and larger classes have more staff on average
    expect(by.micro!.n).toBeGreaterThan((by.small?.n ?? 0) + (by.medium?.n ?? 0));
    expect(by.small!.emp).toBeGreaterThan(by.micro!.emp);
    const total = sizes.reduce((a, s) => a + s.n, 0);
    expect(total).toBe(tiny.firms);
  });

  it('serves the generated rows through the app', async () => {
    const city = await t.login('city.admin');
    const list = await city.get('/api/v1/enterprises?pageSize=20');
    expect(list.statusCode).toBe(200);
    const body = list.json() as { total: number; items: { uscc: string }[] };
    expect(body.items.length).toBe(20);
    const zz = await rows<{ n: number }>(
      `select count(*)::int as n from enterprises e join regions r on r.code = e.region_code
       where r.path like '410000/410100/%' and e.import_job_id is null`,
    );
    expect(body.total).toBe(zz[0]!.n);
    // a generated firm of Zhengzhou found by its code
    const [mine] = await rows<{ uscc: string }>(
      `select e.uscc from enterprises e join regions r on r.code = e.region_code
       where r.path like '410000/410100/%' and e.address like '%（生成地址）' order by e.uscc limit 1`,
    );
    const one = await city.get(`/api/v1/enterprises?q=${mine!.uscc}&pageSize=5`);
    expect(one.statusCode).toBe(200);
    expect((one.json() as { items: { uscc: string }[] }).items.map((i) => i.uscc)).toContain(mine!.uscc);
    const problems = await city.get('/api/v1/assistance/problems?page=1&pageSize=20');
    expect(problems.statusCode).toBe(200);
    expect((problems.json() as { items: unknown[] }).items.length).toBe(20);
    // the province login sees the added cities' parks and firms
    const [added] = await rows<{ city: string; n: number }>(
      `select r.parent_code as city, count(*)::int as n from parks p join regions r on r.code = p.region_code
       where r.source like 'Miaopu generator%' group by 1 order by 2 desc limit 1`,
    );
    expect(added!.n).toBeGreaterThan(0);
    const province = await t.login('province.admin');
    const parks = await province.get(`/api/v1/parks?region=${added!.city}&pageSize=50`);
    expect(parks.statusCode).toBe(200);
    expect((parks.json() as { total: number }).total).toBe(added!.n);
    const firms = await province.get(`/api/v1/enterprises?region=${added!.city}&pageSize=20`);
    expect(firms.statusCode).toBe(200);
    expect((firms.json() as { total: number }).total).toBeGreaterThan(0);
    // a Zhengzhou admin does not see them
    const denied = await city.get(`/api/v1/parks?region=${added!.city}&pageSize=5`);
    expect(denied.statusCode === 200 ? (denied.json() as { total: number }).total : 0).toBe(0);
  });

  it('escapes values for COPY and SQL', () => {
    expect(copyCell('a\tb\\c\nd')).toBe('a\\tb\\\\c\\nd');
    expect(copyCell(null)).toBe('\\N');
    expect(copyCell(true)).toBe('t');
    expect(sqlCell("O'Brien")).toBe("'O''Brien'");
    expect(sqlCell(null)).toBe('NULL');
    expect(() => copyCell(Number.NaN)).toThrow();
  });
});
