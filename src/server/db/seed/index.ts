/**
 * Seeding: the division tree (every profile) and, in the demo profile, the demo orgs and logins of issue #2.
 * Runs once, on the first start against an empty database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq, sql } from 'drizzle-orm';
import type { OrgKind, Role } from '../../../domain/access.ts';
import type { AuditService } from '../../platform/audit.ts';
import { SYSTEM_ACTOR } from '../../platform/audit.ts';
import { hashPassword } from '../../platform/auth.ts';
import type { FieldCipher } from '../../platform/field-cipher.ts';
import { RegionIndex } from '../../platform/region-index.ts';
import type { Database, Executor } from '../client.ts';
import { notifications, orgs, regions, users } from '../schema/index.ts';
import { seedDemoAssistance } from './assistance.ts';
import { seedDemoCultivation } from './cultivation.ts';
import { seedDemoEnterprises } from './enterprises.ts';
import { seedDemoParks } from './parks.ts';
import { seedDemoPolicies } from './policies.ts';
import { seedDemoMatching } from './policy-matching.ts';
import { seedDemoProjects } from './projects.ts';
import { seedDemoTargets } from './targets.ts';
import { seedDemoTenancies } from './tenancies.ts';

export const DEMO_PASSWORD = 'Miaopu#2026demo';

interface RegionSeed {
  code: string;
  name: string;
  level: 'province' | 'city' | 'district' | 'town';
  kind: 'admin' | 'dev_zone';
  parentCode: string | null;
  path: string;
  source: string;
}

export function regionSeed(): RegionSeed[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'regions.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RegionSeed[];
}

export async function seedRegions(ex: Executor) {
  const rows = regionSeed();
  for (let i = 0; i < rows.length; i += 200) {
    await ex
      .insert(regions)
      .values(rows.slice(i, i + 200))
      .onConflictDoNothing();
  }
  return rows.length;
}

interface OrgSeed {
  key: string;
  name: string;
  kind: OrgKind;
  regionCode: string;
  parent?: string;
}

/** Demo orgs: the city bureaus the issue names, every district government, operators, enterprises. */
export function demoOrgs(): OrgSeed[] {
  const all = regionSeed();
  const districts = all.filter((r) => r.level === 'district');
  const out: OrgSeed[] = [
    { key: 'gxj', name: '郑州市工业和信息化局', kind: 'bureau', regionCode: '410100' },
    { key: 'zgj', name: '郑州市自然资源和规划局', kind: 'department', regionCode: '410100' },
    { key: 'rsj', name: '郑州市人力资源和社会保障局', kind: 'department', regionCode: '410100' },
    { key: 'swj', name: '国家税务总局郑州市税务局', kind: 'department', regionCode: '410100' },
    { key: 'jrzx', name: '郑州市金融服务中心', kind: 'department', regionCode: '410100' },
  ];
  for (const d of districts) {
    out.push({
      key: `gov-${d.code}`,
      name: d.kind === 'dev_zone' ? `${d.name}管理委员会` : `${d.name}人民政府`,
      kind: 'district_government',
      regionCode: d.code,
    });
  }
  const huijiTown = all.find((r) => r.parentCode === '410108' && r.level === 'town');
  if (huijiTown) {
    out.push({
      key: 'town-huiji',
      name: `${huijiTown.name}办事处`,
      kind: 'town',
      regionCode: huijiTown.code,
      parent: 'gov-410108',
    });
  }
  out.push(
    {
      key: 'wg-huiji-1',
      name: '惠济区万人助万企第一工作组',
      kind: 'department',
      regionCode: '410108',
      parent: 'gov-410108',
    },
    { key: 'op-yuepu', name: '粤浦科技智造谷运营管理有限公司（演示）', kind: 'park_operator', regionCode: '410108' },
    {
      key: 'op-dengfeng',
      name: '登封市新材料小微企业园运营有限公司（演示）',
      kind: 'park_operator',
      regionCode: '410185',
    },
    { key: 'ent-1', name: '郑州惠科精密制造有限公司（演示）', kind: 'enterprise', regionCode: '410108' },
    { key: 'ent-2', name: '郑州智联电子信息有限公司（演示）', kind: 'enterprise', regionCode: '410108' },
    { key: 'ent-3', name: '杭州富春新材料科技有限公司（演示）', kind: 'enterprise', regionCode: '330111' },
    { key: 'sp-1', name: '郑州中小企业公共服务中心（演示）', kind: 'service_provider', regionCode: '410100' },
  );
  return out;
}

interface UserSeed {
  username: string;
  displayName: string;
  role: Role;
  org: string;
  scopeRegionCode: string | null;
}

/** The demo logins of issue #2 (README and tests rely on them). */
export const DEMO_USERS: UserSeed[] = [
  { username: 'city.admin', displayName: '市工信局管理员', role: 'city_admin', org: 'gxj', scopeRegionCode: '410100' },
  {
    username: 'huiji.admin',
    displayName: '惠济区管理员',
    role: 'district_admin',
    org: 'gov-410108',
    scopeRegionCode: '410108',
  },
  {
    username: 'huiji.reviewer',
    displayName: '惠济区审核员',
    role: 'district_admin',
    org: 'gov-410108',
    scopeRegionCode: '410108',
  },
  {
    username: 'city.reviewer',
    displayName: '市工信局审核员',
    role: 'city_admin',
    org: 'gxj',
    scopeRegionCode: '410100',
  },
  {
    username: 'erqi.admin',
    displayName: '二七区管理员',
    role: 'district_admin',
    org: 'gov-410103',
    scopeRegionCode: '410103',
  },
  {
    username: 'fuyang.admin',
    displayName: '富阳区管理员',
    role: 'district_admin',
    org: 'gov-330111',
    scopeRegionCode: '330111',
  },
  {
    username: 'dept.handler',
    displayName: '市人社局办理人',
    role: 'department_handler',
    org: 'rsj',
    scopeRegionCode: '410100',
  },
  { username: 'cadre', displayName: '惠济区助企干部', role: 'cadre', org: 'wg-huiji-1', scopeRegionCode: '410108' },
  {
    username: 'park.operator',
    displayName: '粤浦科技智造谷运营专员',
    role: 'park_operator',
    org: 'op-yuepu',
    scopeRegionCode: '410108',
  },
  {
    username: 'enterprise',
    displayName: '惠科精密企业联系人',
    role: 'enterprise',
    org: 'ent-1',
    scopeRegionCode: '410108',
  },
  { username: 'auditor', displayName: '审计管理员', role: 'auditor', org: 'gxj', scopeRegionCode: null },
  { username: 'security.admin', displayName: '安全管理员', role: 'security_admin', org: 'gxj', scopeRegionCode: null },
  { username: 'system.admin', displayName: '系统管理员', role: 'system_admin', org: 'gxj', scopeRegionCode: null },
];

export async function isSeeded(database: Database) {
  const [row] = await database.db.select({ n: count() }).from(regions);
  return (row?.n ?? 0) > 0;
}

/** Seeds an empty database. Returns what it did. */
export async function seed(
  database: Database,
  audit: AuditService,
  profile: 'demo' | 'production' | 'test',
  cipher: FieldCipher,
  today: string = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
) {
  if (await isSeeded(database)) return { seeded: false as const };
  const hashes = new Map<string, string>();
  if (profile !== 'production') {
    for (const u of DEMO_USERS) hashes.set(u.username, await hashPassword(DEMO_PASSWORD));
  }
  return database.db.transaction(async (tx) => {
    const regionCount = await seedRegions(tx);
    await audit.write(tx, SYSTEM_ACTOR, { action: 'seed.regions', summary: { count: regionCount } });
    if (profile === 'production') return { seeded: true as const, regions: regionCount, orgs: 0, users: 0 };

    const orgIds = new Map<string, string>();
    for (const o of demoOrgs()) {
      const [row] = await tx
        .insert(orgs)
        .values({
          name: o.name,
          kind: o.kind,
          regionCode: o.regionCode,
          parentId: o.parent ? (orgIds.get(o.parent) ?? null) : null,
        })
        .returning({ id: orgs.id });
      orgIds.set(o.key, row!.id);
    }
    for (const u of DEMO_USERS) {
      const orgId = orgIds.get(u.org)!;
      const [created] = await tx
        .insert(users)
        .values({
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          orgId,
          scopeRegionCode: u.scopeRegionCode,
          passwordHash: hashes.get(u.username)!,
        })
        .returning({ id: users.id });
      await tx.insert(notifications).values({
        userId: created!.id,
        kind: 'welcome',
        title: '欢迎使用苗圃小微企业园服务平台（演示环境）',
        body: '这是演示环境：数据为演示数据，所有演示账户的密码相同。',
      });
    }
    const regionNames = new Map(regionSeed().map((r) => [r.code, r.name]));
    const govByRegion = new Map(
      demoOrgs()
        .filter((o) => o.kind === 'district_government')
        .map((o) => [o.regionCode, orgIds.get(o.key)!]),
    );
    const demoProjects = await seedDemoProjects(tx, regionNames, govByRegion, today);
    const index = new RegionIndex();
    await index.load(tx);
    const demoParks = await seedDemoParks(tx, index, orgIds, today);
    const demoEnterprises = await seedDemoEnterprises(tx, cipher, orgIds, today);
    const demoAssistance = await seedDemoAssistance(tx, cipher, orgIds, today);
    await seedDemoCultivation(tx, today);
    // 5,100 firms in Zhengzhou's parks on 2022-06-09 (seed 003), counted from tenancy rows (issue #21)
    const demoTenancies = await seedDemoTenancies(tx);
    await seedDemoTargets(tx);
    const demoPolicies = await seedDemoPolicies(tx, orgIds);
    // maker–checker (decision 0020): demo policies were drafted and submitted by the region's admin and approved
    // and published by a second official of the same scope
    const ids = new Map<string, string>();
    for (const u of ['city.admin', 'city.reviewer', 'huiji.admin', 'huiji.reviewer', 'erqi.admin'])
      ids.set(u, (await userIdByName(tx, u))!);
    for (const [region, author, checker] of [
      [null, 'city.admin', 'city.reviewer'],
      ['410108', 'huiji.admin', 'huiji.reviewer'],
      ['410103', 'erqi.admin', 'city.reviewer'],
    ] as const) {
      const a = ids.get(author)!;
      const c = ids.get(checker)!;
      await tx.execute(sql`update policies set created_by = ${a}, updated_by = ${a},
        submitted_by = case when status <> 'draft' then ${a}::uuid end,
        submitted_at = case when status <> 'draft' then created_at end,
        approved_by = case when status in ('approved', 'published', 'expired') then ${c}::uuid end,
        approved_at = case when status in ('approved', 'published', 'expired') then created_at end,
        reviewed_by = case when status in ('approved', 'published', 'expired') then ${c}::uuid end,
        published_by = case when status in ('published', 'expired') then ${c}::uuid end
        where ${region}::text is null or region_code = ${region}`);
    }
    await seedDemoMatching(tx, audit, today, {
      maker: { id: ids.get('city.admin')!, username: 'city.admin' },
      checker: { id: ids.get('city.reviewer')!, username: 'city.reviewer' },
    });
    await audit.write(tx, SYSTEM_ACTOR, {
      action: 'seed.demo',
      summary: {
        orgs: orgIds.size,
        users: DEMO_USERS.length,
        projects: demoProjects.projects,
        parks: demoParks.parks,
        enterprises: demoEnterprises.enterprises,
        parkFirms: demoTenancies.enterprises,
        assistanceProblems: demoAssistance.problems,
        policies: demoPolicies.policies,
      },
    });
    return {
      seeded: true as const,
      regions: regionCount,
      orgs: orgIds.size,
      users: DEMO_USERS.length,
      projects: demoProjects.projects,
      parks: demoParks.parks,
      enterprises: demoEnterprises.enterprises,
      policies: demoPolicies.policies,
    };
  });
}

export async function userIdByName(ex: Executor, username: string) {
  const [row] = await ex.select({ id: users.id }).from(users).where(eq(users.username, username));
  return row?.id;
}
