/**
 * Cockpit (驾驶舱, issue #21): every tile equals what the owning module's endpoint gives for the same scope and date
 * (one implementation); 郑州 on 2022-06-09 reads 142 parks, 26,000 亩, 35,000,000 m² and 5,100 firms (seed 003);
 * targets show 完成率 and 时序进度; a district admin sees only their district and gets 403 for another region.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type Tile = {
  key: string;
  value: number | null;
  unit: string;
  asOf: string;
  source: string;
  href: string;
  how: string;
  howEn: string;
  endpoint: string;
  target?: number | null;
  completionRate?: number | null;
  timeProgress?: number | null;
  gapPp?: number | null;
};
type Summary = {
  region: string;
  asOf: string;
  tiles: Tile[];
  alerts: { key: string; count: number; href: string }[];
  rankings: { key: string; items: { code: string; n: number; value: number | null; rank: number | null }[] }[];
  districts: { code: string; parks: number; firms: number }[];
};

const ASOF = '2022-06-09';
let city: Summary;
const tile = (s: Summary, key: string) => {
  const x = s.tiles.find((t) => t.key === key);
  expect(x, key).toBeDefined();
  return x!;
};

describe('the cockpit contract', () => {
  beforeAll(async () => {
    const c = await t.login('city.admin');
    const res = await c.get(`/api/v1/dashboard/summary?region=410100&asOf=${ASOF}`);
    expect(res.statusCode, res.body).toBe(200);
    city = res.json();
  });

  it('answers { region, asOf, tiles[{ key, value, unit, asOf, source, href }] } with the required keys', () => {
    expect(city.region).toBe('410100');
    expect(city.asOf).toBe(ASOF);
    for (const key of [
      'parks.monitored',
      'parks.landMu',
      'parks.floorAreaM2',
      'parks.firms',
      'parks.investmentWan',
      'projects.total',
      'assistance.collected',
      'assistance.resolved',
      'policies.count',
      'policies.issuers',
      'policies.paidYuan',
    ]) {
      const x = tile(city, key);
      expect(typeof x.value, key).toBe('number');
      expect(x.unit, key).toMatch(/^(count|mu|m2|wan|yuan|percent)$/);
      expect(x.asOf, key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(x.source, key).toMatch(/^[a-z]+:[a-z-]+$/);
      expect(x.href, key).toMatch(/^\//);
      expect(x.how.length, key).toBeGreaterThan(5);
      expect(x.howEn, key).not.toMatch(/[\u4e00-\u9fff]{3}/);
    }
  });

  it('郑州 on 2022-06-09: 142 parks, 26,000 亩, 35,000,000 m², 5,100 firms (seed 003), from rows', () => {
    expect(tile(city, 'parks.monitored').value).toBe(142);
    expect(Math.round(tile(city, 'parks.landMu').value!)).toBe(26_000);
    expect(Math.round(tile(city, 'parks.floorAreaM2').value!)).toBe(35_000_000);
    expect(tile(city, 'parks.firms').value).toBe(5100);
  });
});

describe('a test per tile: the cockpit value equals the module endpoint’s (same scope, same date)', () => {
  const get = async (user: string, url: string) => {
    const c = await t.login(user);
    const res = await c.get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };

  it('parks.monitored, parks.landMu, parks.floorAreaM2, parks.firms, parks.overdue = GET /api/v1/parks/stats', async () => {
    const s = await get('city.admin', `/api/v1/parks/stats?region=410100&asOf=${ASOF}`);
    expect(tile(city, 'parks.monitored').value).toBe(s.monitoredParks);
    expect(tile(city, 'parks.landMu').value).toBe(s.landAreaMu);
    expect(tile(city, 'parks.floorAreaM2').value).toBe(s.floorAreaM2);
    expect(tile(city, 'parks.firms').value).toBe(s.firms);
    expect(tile(city, 'parks.overdue').value).toBe(s.overdueParks);
    expect(s.firms).toBe(5100);
  });

  it('parks.investmentWan = GET /api/v1/parks/investment (completed this year), target 110亿元 with the time-progress gap', async () => {
    const s = await get('city.admin', `/api/v1/parks/investment?year=2022&asOf=${ASOF}&region=410100`);
    const x = tile(city, 'parks.investmentWan');
    expect(x.value).toBe(s.total.completedWan);
    expect(x.value).toBeGreaterThan(0);
    // ≥110亿元 (seeds 000, 003): a target of the targets module, as the parks module's own table holds it too
    expect(x.target).toBe(1_100_000);
    expect(x.target).toBe(s.total.targetWan);
    expect(x.completionRate).toBeCloseTo(s.total.completionRate, 1);
    // 9 June: 5 months + 9/30 of June of 12
    expect(x.timeProgress).toBeCloseTo(((5 + 9 / 30) / 12) * 100, 2);
    expect(x.gapPp).toBeCloseTo(x.completionRate! - x.timeProgress!, 1);
  });

  it('projects.* = GET /api/v1/projects/kpis of the batch held by that day (4th: 403 projects, seed 003)', async () => {
    const k = await get('city.admin', `/api/v1/projects/kpis?batch=4&region=410100&asOf=${ASOF}`);
    expect(tile(city, 'projects.total').value).toBe(k.total.count);
    expect(tile(city, 'projects.total').value).toBe(403);
    expect(tile(city, 'projects.performanceRate').value).toBe(k.signed.performanceRate);
    expect(tile(city, 'projects.startRate').value).toBe(k.signed.startRate);
    expect(tile(city, 'projects.yearCompletionRate').value).toBe(k.started.yearCompletionRate);
    expect(tile(city, 'projects.effectiveRate').value).toBe(k.producing.effectiveRate);
  });

  it('assistance.* = GET /api/v1/assistance/kpis (from the campaign start to the day)', async () => {
    const k = await get('city.admin', `/api/v1/assistance/kpis?region=410100&from=2021-06-01&to=${ASOF}`);
    expect(tile(city, 'assistance.collected').value).toBe(k.collected);
    expect(tile(city, 'assistance.resolved').value).toBe(k.resolved);
    expect(tile(city, 'assistance.overdue').value).toBe(k.overdue);
    expect(tile(city, 'assistance.resolutionRate').value).toBeCloseTo(k.resolutionRate * 100, 2);
    expect(tile(city, 'assistance.onTimeRate').value).toBeCloseTo(k.onTimeRate * 100, 2);
    expect(k.collected).toBeGreaterThan(0);
  });

  it('policies.* = GET /api/v1/policies/stats (library by that day, issuers, money paid by its end)', async () => {
    const s = await get('city.admin', `/api/v1/policies/stats?region=410100&asOf=${ASOF}`);
    expect(tile(city, 'policies.count').value).toBe(s.policies);
    expect(tile(city, 'policies.issuers').value).toBe(s.issuers);
    expect(tile(city, 'policies.paidYuan').value).toBe(s.paidYuan);
    expect(tile(city, 'policies.matchedFirms').value).toBe(s.matchedFirms);
    expect(s.policies).toBeGreaterThan(500);
    expect(s.issuers).toBeGreaterThan(10);
    // the demo disbursed batch was paid after 2022: nothing by 2022-06-09, something today
    const now = await get('city.admin', '/api/v1/policies/stats?region=410100');
    expect(now.paidYuan).toBeGreaterThanOrEqual(s.paidYuan);
  });

  it('firms.* = GET /api/v1/enterprises totals and GET /api/v1/cultivation/kpis', async () => {
    const total = await get('city.admin', '/api/v1/enterprises?region=410100&status=active&pageSize=1');
    expect(tile(city, 'firms.total').value).toBe(total.total);
    expect(total.total).toBeGreaterThan(5100);
    const above = await get('city.admin', '/api/v1/enterprises?region=410100&aboveScale=true&year=2021&pageSize=1');
    expect(tile(city, 'firms.aboveScale').value).toBe(above.total);
    const tech = await get(
      'city.admin',
      '/api/v1/enterprises?region=410100&qualification=tech_sme&year=2022&pageSize=1',
    );
    expect(tile(city, 'firms.techSme').value).toBe(tech.total);
    const k = await get('city.admin', '/api/v1/cultivation/kpis?region=410100&year=2022');
    expect(tile(city, 'firms.srdi').value).toBe(k.srdi.municipal.total + k.srdi.provincial.total);
    expect(tile(city, 'firms.srdiNew').value).toBe(k.srdi.new);
    expect(tile(city, 'firms.innovativeSme').value).toBe(k.innovativeSme.total);
    expect(tile(city, 'firms.littleGiant').value).toBe(k.littleGiant.total);
    expect(tile(city, 'firms.scaleUpNew').value).toBe(k.scaleUp.new);
  });

  it('every tile names the endpoint that gives its figure', () => {
    for (const x of city.tiles) expect(x.endpoint, x.key).toMatch(/^\/api\/v1\//);
  });
});

describe('scope', () => {
  it('a district admin sees their district by default, its figures only, and 403 for another region', async () => {
    const huiji = await t.login('huiji.admin');
    const res = await huiji.get(`/api/v1/dashboard/summary?asOf=${ASOF}`);
    expect(res.statusCode, res.body).toBe(200);
    const s: Summary = res.json();
    expect(s.region).toBe('410108');
    const stats = (await huiji.get(`/api/v1/parks/stats?region=410108&asOf=${ASOF}`)).json();
    expect(tile(s, 'parks.monitored').value).toBe(stats.monitoredParks);
    expect(tile(s, 'parks.firms').value).toBe(stats.firms);
    expect(tile(s, 'parks.monitored').value).toBeLessThan(142);
    // the city's figure for 惠济区 is the same
    const byCity = city.districts.find((d) => d.code === '410108')!;
    expect(byCity.parks).toBe(stats.monitoredParks);
    expect(byCity.firms).toBe(stats.firms);
    // 8 new 专精特新 in 2022 (seed 001)
    const srdi = tile(s, 'firms.srdiNew');
    expect(srdi.target).toBe(8);
    for (const region of ['410100', '410103', '330111']) {
      const other = await huiji.get(`/api/v1/dashboard/summary?region=${region}`);
      expect(other.statusCode, region).toBe(403);
      expect(other.json().error.code).toBe('REGION_OUT_OF_SCOPE');
      expect(other.json().error.message).toContain(region);
    }
    const en = await huiji.get('/api/v1/dashboard/summary?region=410103', { 'accept-language': 'en' });
    expect(en.statusCode).toBe(403);
    expect(en.json().error.message).toMatch(/outside your scope/);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.get('/api/v1/dashboard/summary?region=410108')).statusCode).toBe(403);
    expect((await erqi.get('/api/v1/dashboard/summary')).json().region).toBe('410103');
  });

  it('bad input is a 400, not a 500; roles without a region scope get 403', async () => {
    const c = await t.login('city.admin');
    for (const q of ['region=abc', 'asOf=2022-13-01', 'asOf=yesterday', 'region=999999'])
      expect((await c.get(`/api/v1/dashboard/summary?${q}`)).statusCode, q).toBe(400);
    const cadre = await t.login('cadre');
    expect((await cadre.get('/api/v1/dashboard/summary')).statusCode).toBe(403);
    const auditor = await t.login('auditor');
    expect((await auditor.get('/api/v1/dashboard/summary')).statusCode).toBe(403);
  });
});

describe('alerts and rankings', () => {
  it('alerts count what their lists show, with an href', async () => {
    const c = await t.login('city.admin');
    const stats = (await c.get(`/api/v1/parks/stats?region=410100&asOf=${ASOF}`)).json();
    const overdue = city.alerts.find((a) => a.key === 'overdueMilestones')!;
    expect(overdue.count).toBe(stats.overdueParks);
    expect(overdue.href).toContain('overdue=true');
    for (const key of ['overdueProblems', 'laggingInvestment', 'expiringQualifications', 'behindTarget'])
      expect(
        city.alerts.find((a) => a.key === key),
        key,
      ).toBeDefined();
  });

  it('district rankings show n and rank only districts with a figure', () => {
    const firms = city.rankings.find((r) => r.key === 'parks.firms')!;
    expect(firms.items.length).toBeGreaterThan(5);
    const sum = firms.items.reduce((a, i) => a + (i.value ?? 0), 0);
    expect(sum).toBe(5100);
    expect(firms.items.reduce((a, i) => a + i.n, 0)).toBe(142);
    expect(firms.items[0]!.rank).toBe(1);
    for (let i = 1; i < firms.items.length; i++)
      expect(firms.items[i - 1]!.value!).toBeGreaterThanOrEqual(firms.items[i]!.value!);
    const help = city.rankings.find((r) => r.key === 'assistance.resolutionRate')!;
    for (const i of help.items) expect(i.n).toBeGreaterThan(0);
  });
});
