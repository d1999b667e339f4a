/**
 * 三权分立 (security.md AC-04, issue #16): the system admin creates and disables accounts but grants nothing and
 * never knows a password; the security admin grants roles and scopes but creates no account; the auditor reads the
 * audit only. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

type Client = Awaited<ReturnType<TestApp['login']>>;
const NEW_PASSWORD = 'Zijishe#Mima2026';

async function idOf(username: string) {
  const [u] = await t.deps.database.db.select().from(users).where(eq(users.username, username));
  return u!.id;
}

async function orgIdOfUser(username: string) {
  const [u] = await t.deps.database.db.select().from(users).where(eq(users.username, username));
  return u!.orgId;
}

async function create(sys: Client, username: string) {
  const res = await sys.post('/api/v1/users', { username, displayName: '新同事' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as {
    user: { id: string; role: string; activationPending: boolean };
    activationCode: string;
    activationExpiresAt: string;
  };
}

describe('the probe of issue #16 now fails', () => {
  it('system.admin cannot create a city admin, auditor or security admin with a password of its choosing', async () => {
    const sys = await t.login('system.admin');
    for (const role of ['city_admin', 'auditor', 'security_admin']) {
      const res = await sys.post('/api/v1/users', {
        username: `probe.${role}`,
        displayName: '越权账户',
        role,
        orgId: null,
        scopeRegionCode: role === 'city_admin' ? '410100' : null,
        password: 'Strong#Password2026',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const rows = await t.deps.database.db.select().from(users).where(eq(users.username, 'probe.city_admin'));
    expect(rows).toHaveLength(0);
  });

  it('an account it creates has no role, no usable password, and cannot sign in with one', async () => {
    const sys = await t.login('system.admin');
    const created = await create(sys, 'probe.pending');
    expect(created.user.role).toBe('pending');
    expect(created.user.activationPending).toBe(true);
    expect(created.activationCode).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
    const anon = t.anonymous();
    const login = await anon.post('/api/v1/auth/login', {
      username: 'probe.pending',
      password: created.activationCode,
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().error.code).toBe('AUTH_FAILED');
    // grant endpoints and role-changing bodies are out of the system admin's reach
    const grant = await sys.request('PUT', `/api/v1/users/${created.user.id}/grant`, {
      role: 'city_admin',
      scopeRegionCode: '410100',
    });
    expect(grant.statusCode).toBe(403);
    const patch = await sys.request('PATCH', `/api/v1/users/${created.user.id}`, { status: 'active', role: 'auditor' });
    expect(patch.statusCode).toBe(400);
  });

  it('even self-activated, a pending account reads no enterprise and no audit', async () => {
    const sys = await t.login('system.admin');
    const created = await create(sys, 'probe.self');
    const anon = t.anonymous();
    const act = await anon.post('/api/v1/auth/activate', {
      username: 'probe.self',
      activationCode: created.activationCode,
      newPassword: NEW_PASSWORD,
    });
    expect(act.statusCode, act.body).toBe(200);
    const me = await t.login('probe.self', NEW_PASSWORD);
    const meBody = (await me.get('/api/v1/auth/me')).json();
    expect(meBody.role).toBe('pending');
    expect(meBody.permissions).toEqual(['profile:self']);
    expect((await me.get('/api/v1/enterprises')).statusCode).toBe(403);
    expect((await me.get('/api/v1/audit')).statusCode).toBe(403);
    expect((await me.get('/api/v1/users')).statusCode).toBe(403);
  });

  it('system.admin cannot disable the last active auditor or security admin', async () => {
    const sys = await t.login('system.admin');
    const auditor = await t.login('auditor');
    for (const name of ['auditor', 'security.admin']) {
      const res = await sys.request('PATCH', `/api/v1/users/${await idOf(name)}`, { status: 'disabled' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('LAST_ADMIN_ROLE');
      expect(res.json().error.message).toContain('最后一个');
    }
    expect((await auditor.get('/api/v1/audit')).statusCode).toBe(200);
  });

  it('the system admin still does not read the audit or business data', async () => {
    const sys = await t.login('system.admin');
    expect((await sys.get('/api/v1/audit')).statusCode).toBe(403);
    expect((await sys.get('/api/v1/enterprises')).statusCode).toBe(403);
  });
});

describe('activation', () => {
  it('a wrong or used code is refused with a clear message; the password policy applies', async () => {
    const sys = await t.login('system.admin');
    const created = await create(sys, 'act.user');
    const anon = t.anonymous();
    const wrong = await anon.post(
      '/api/v1/auth/activate',
      { username: 'act.user', activationCode: 'AAAAA-BBBBB-CCCCC-DDDDD', newPassword: NEW_PASSWORD },
      { 'accept-language': 'en' },
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('ACTIVATION_INVALID');
    expect(wrong.json().error.message).toContain('activation code');
    const weak = await anon.post('/api/v1/auth/activate', {
      username: 'act.user',
      activationCode: created.activationCode,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('PASSWORD_POLICY');
    // lower case and without dashes is accepted (typed by hand)
    const ok = await anon.post('/api/v1/auth/activate', {
      username: 'act.user',
      activationCode: created.activationCode.toLowerCase().replaceAll('-', ''),
      newPassword: NEW_PASSWORD,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await anon.post('/api/v1/auth/activate', {
      username: 'act.user',
      activationCode: created.activationCode,
      newPassword: 'Another#Mima20261',
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('ACTIVATION_INVALID');
    const me = await t.login('act.user', NEW_PASSWORD);
    expect((await me.get('/api/v1/auth/me')).json().mustChangePassword).toBe(false);
  });

  it('an expired code is refused', async () => {
    const sys = await t.login('system.admin');
    const created = await create(sys, 'act.late');
    t.clock.advanceMinutes(8 * 24 * 60);
    try {
      const res = await t.anonymous().post('/api/v1/auth/activate', {
        username: 'act.late',
        activationCode: created.activationCode,
        newPassword: NEW_PASSWORD,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ACTIVATION_INVALID');
    } finally {
      t.clock.advanceMinutes(-8 * 24 * 60);
    }
  });
});

describe('grants by the security admin', () => {
  it('the security admin creates no account and cannot disable one', async () => {
    const sec = await t.login('security.admin');
    const res = await sec.post('/api/v1/users', { username: 'sec.made', displayName: '安全员建的' });
    expect(res.statusCode).toBe(403);
    const dis = await sec.request('PATCH', `/api/v1/users/${await idOf('cadre')}`, { status: 'disabled' });
    expect(dis.statusCode).toBe(403);
  });

  it('grants a role and scope to an account the system admin created; the user then works in that scope', async () => {
    const sys = await t.login('system.admin');
    const created = await create(sys, 'new.district');
    await t.anonymous().post('/api/v1/auth/activate', {
      username: 'new.district',
      activationCode: created.activationCode,
      newPassword: NEW_PASSWORD,
    });
    const sec = await t.login('security.admin');
    const list = await sec.get('/api/v1/users?role=pending');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.some((u: { username: string }) => u.username === 'new.district')).toBe(true);
    const noScope = await sec.request('PUT', `/api/v1/users/${created.user.id}/grant`, { role: 'district_admin' });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.json().error.code).toBe('ROLE_SCOPE_MISMATCH');
    const granted = await sec.request('PUT', `/api/v1/users/${created.user.id}/grant`, {
      role: 'district_admin',
      orgId: await orgIdOfUser('huiji.admin'),
      scopeRegionCode: '410108',
    });
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json()).toMatchObject({ role: 'district_admin', scopeRegionCode: '410108' });
    const user = await t.login('new.district', NEW_PASSWORD);
    expect((await user.get('/api/v1/enterprises')).statusCode).toBe(200);
    expect((await user.get('/api/v1/auth/me')).json().scope.regionCode).toBe('410108');
  });

  it('nobody changes their own role or scope', async () => {
    const sec = await t.login('security.admin');
    const res = await sec.request('PUT', `/api/v1/users/${await idOf('security.admin')}/grant`, {
      role: 'city_admin',
      scopeRegionCode: '410100',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('GRANT_SELF');
  });

  it('the three admin roles are exclusive and the last auditor keeps its role', async () => {
    const sec = await t.login('security.admin');
    const sysId = await idOf('system.admin');
    const toAuditor = await sec.request('PUT', `/api/v1/users/${sysId}/grant`, { role: 'auditor' });
    expect(toAuditor.statusCode).toBe(409);
    expect(toAuditor.json().error.code).toBe('ADMIN_ROLES_EXCLUSIVE');
    const demote = await sec.request('PUT', `/api/v1/users/${await idOf('auditor')}/grant`, { role: 'pending' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('LAST_ADMIN_ROLE');
    const bogus = await sec.request('PUT', `/api/v1/users/${sysId}/grant`, { role: 'king' });
    expect(bogus.statusCode).toBe(400);
  });

  it('a second auditor granted, the first may then be disabled, and not the second', async () => {
    const sys = await t.login('system.admin');
    const created = await create(sys, 'audit.two');
    const sec = await t.login('security.admin');
    const g = await sec.request('PUT', `/api/v1/users/${created.user.id}/grant`, { role: 'auditor' });
    expect(g.statusCode, g.body).toBe(200);
    const first = await sys.request('PATCH', `/api/v1/users/${await idOf('auditor')}`, { status: 'disabled' });
    expect(first.statusCode).toBe(200);
    const second = await sys.request('PATCH', `/api/v1/users/${created.user.id}`, { status: 'disabled' });
    expect(second.statusCode).toBe(409);
    expect(
      (await sys.request('PATCH', `/api/v1/users/${await idOf('auditor')}`, { status: 'active' })).statusCode,
    ).toBe(200);
  });
});

describe('password reset by the system admin', () => {
  it('issues an activation code, not a chosen password; the role is suspended without a second factor', async () => {
    const cadre = await t.login('cadre');
    const sys = await t.login('system.admin');
    const cadreId = await idOf('cadre');
    const chosen = await sys.post(`/api/v1/users/${cadreId}/reset-password`, { password: 'Temporary#Pass2026' });
    expect(chosen.statusCode).toBe(400);
    const res = await sys.post(`/api/v1/users/${cadreId}/reset-password`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().roleSuspended).toBe(true);
    expect((await cadre.get('/api/v1/auth/me')).statusCode).toBe(401);
    const anon = t.anonymous();
    const old = await anon.post('/api/v1/auth/login', { username: 'cadre', password: 'Miaopu#2026demo' });
    expect(old.statusCode).toBe(401);
    const act = await anon.post('/api/v1/auth/activate', {
      username: 'cadre',
      activationCode: res.json().activationCode,
      newPassword: NEW_PASSWORD,
    });
    expect(act.statusCode, act.body).toBe(200);
    const again = await t.login('cadre', NEW_PASSWORD);
    expect((await again.get('/api/v1/auth/me')).json().role).toBe('pending');
    expect((await again.get('/api/v1/policies')).statusCode).toBe(403);
    // the security admin restores the grant
    const sec = await t.login('security.admin');
    const g = await sec.request('PUT', `/api/v1/users/${cadreId}/grant`, {
      role: 'cadre',
      orgId: await orgIdOfUser('cadre'),
    });
    expect(g.statusCode, g.body).toBe(200);
    expect((await again.get('/api/v1/policies')).statusCode).toBe(401);
    const back = await t.login('cadre', NEW_PASSWORD);
    expect((await back.get('/api/v1/policies')).statusCode).toBe(200);
  });

  it('nobody resets their own password this way', async () => {
    const sys = await t.login('system.admin');
    const res = await sys.post(`/api/v1/users/${await idOf('system.admin')}/reset-password`, {});
    expect(res.statusCode).toBe(403);
  });
});

describe('the auditor sees every grant, disable and reset', () => {
  it('lists user.create, user.grant, user.disable, user.password_reset and user.activate', async () => {
    const auditor = await t.login('auditor');
    for (const action of [
      'user.create',
      'user.grant',
      'user.disable',
      'user.enable',
      'user.password_reset',
      'user.activate',
    ]) {
      const res = await auditor.get(`/api/v1/audit?action=${action}`);
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { action: string }[];
      expect(items.length, action).toBeGreaterThan(0);
      expect(items.every((i) => i.action.startsWith(action))).toBe(true);
    }
    const grants = (await auditor.get('/api/v1/audit?action=user.grant')).json().items as {
      actorUsername: string;
      summary: { after: { role: string } };
    }[];
    expect(grants.every((g) => g.actorUsername === 'security.admin')).toBe(true);
    expect(grants.some((g) => g.summary.after.role === 'district_admin')).toBe(true);
    // the auditor changes nothing
    const sec = await auditor.request('PUT', `/api/v1/users/${await idOf('cadre')}/grant`, { role: 'city_admin' });
    expect(sec.statusCode).toBe(403);
    const dis = await auditor.request('PATCH', `/api/v1/users/${await idOf('cadre')}`, { status: 'disabled' });
    expect(dis.statusCode).toBe(403);
  });
});
