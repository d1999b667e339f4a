import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/server/db/schema/index.ts';
import { DEMO_USERS } from '../src/server/db/seed/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { DEMO_PASSWORD } from './helpers/constants.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

async function auditCount(action: string, username: string, result: 'success' | 'failure') {
  const rows = await t.deps.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actorUsername, username), eq(auditLog.result, result)));
  return rows[0]!.n;
}

describe('login', () => {
  it.each(DEMO_USERS.map((u) => [u.username, u.role]))(
    'demo login %s works and reports role %s',
    async (username, role) => {
      const c = await t.login(username);
      const me = await c.get('/api/v1/auth/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ username, role });
    },
  );

  it('sets an httpOnly SameSite=Lax session cookie and a fresh token per login', async () => {
    const a = t.anonymous();
    const res = await a.post('/api/v1/auth/login', { username: 'city.admin', password: DEMO_PASSWORD });
    const sid = res.cookies.find((c) => c.name === 'miaopu_sid')!;
    expect(sid.httpOnly).toBe(true);
    expect(sid.sameSite).toBe('Lax');
    expect(sid.path).toBe('/');
    const b = await t.login('city.admin');
    expect(b.cookies.miaopu_sid).not.toBe(a.cookies.miaopu_sid);
  });

  it('gives the same message for an unknown user and a wrong password', async () => {
    const c = t.anonymous();
    const unknown = await c.post('/api/v1/auth/login', { username: 'nobody.here', password: 'x' });
    const wrong = await c.post('/api/v1/auth/login', { username: 'erqi.admin', password: 'wrong-password' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('AUTH_FAILED');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(await auditCount('auth.login', 'erqi.admin', 'failure')).toBe(1);
  });

  it('locks the account after 5 consecutive failures; the 6th try with the right password is refused', async () => {
    const c = t.anonymous();
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/api/v1/auth/login', { username: 'fuyang.admin', password: `wrong-${i}` });
      expect(r.statusCode).toBe(401);
    }
    const sixth = await c.post('/api/v1/auth/login', { username: 'fuyang.admin', password: DEMO_PASSWORD });
    expect(sixth.statusCode).toBe(401);
    expect(sixth.json().error.code).toBe('AUTH_FAILED');
    // one audit row per failure (5 wrong passwords + the refused 6th) and one for the lockout
    expect(await auditCount('auth.login', 'fuyang.admin', 'failure')).toBe(6);
    expect(await auditCount('auth.lockout', 'fuyang.admin', 'success')).toBe(1);
    // 30 minutes later the right password works again
    t.clock.advanceMinutes(31);
    const later = await c.post('/api/v1/auth/login', { username: 'fuyang.admin', password: DEMO_PASSWORD });
    expect(later.statusCode).toBe(200);
  });

  it('answers in English with Accept-Language: en', async () => {
    const r = await t.anonymous().get('/api/v1/auth/me', { 'accept-language': 'en-US,en;q=0.9' });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.message).toBe('Please sign in.');
    const zh = await t.anonymous().get('/api/v1/auth/me');
    expect(zh.json().error.message).toBe('请先登录。');
  });
});

describe('sessions', () => {
  it('expires after 30 minutes idle', async () => {
    const c = await t.login('cadre');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advanceMinutes(29);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advanceMinutes(31);
    const r = await c.get('/api/v1/auth/me');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('background polls (x-miaopu-poll: 1) do not keep an idle session alive', async () => {
    const c = await t.login('erqi.admin');
    t.clock.advanceMinutes(20);
    expect((await c.get('/api/v1/notifications/unread-count', { 'x-miaopu-poll': '1' })).statusCode).toBe(200);
    t.clock.advanceMinutes(15);
    const r = await c.get('/api/v1/auth/me');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('logout ends the session on the server', async () => {
    const c = await t.login('enterprise');
    const sid = c.cookies.miaopu_sid!;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(200);
    const replay = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { miaopu_sid: sid } });
    expect(replay.statusCode).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses unsafe requests without the token, with a wrong token, or from a foreign origin', async () => {
    const c = await t.login('city.admin');
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read-all',
      cookies: c.cookies,
    });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('CSRF_FAILED');
    const wrong = await c.post('/api/v1/notifications/read-all', {}, { 'x-csrf-token': 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    const foreign = await c.post('/api/v1/notifications/read-all', {}, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    const ok = await c.post('/api/v1/notifications/read-all', {});
    expect(ok.statusCode).toBe(200);
  });
});

describe('password change', () => {
  it('enforces the policy with localized reasons, then accepts a good password', async () => {
    const c = await t.login('dept.handler');
    const weak = await c.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('PASSWORD_POLICY');
    expect(weak.json().error.details.violations.join()).toContain('至少 12 位');
    const reused = await c.post('/api/v1/auth/change-password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: DEMO_PASSWORD,
    });
    expect(reused.statusCode).toBe(400);
    const good = await c.post('/api/v1/auth/change-password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'Zhengzhou#Park2026',
    });
    expect(good.statusCode).toBe(200);
    expect(
      (await t.anonymous().post('/api/v1/auth/login', { username: 'dept.handler', password: DEMO_PASSWORD }))
        .statusCode,
    ).toBe(401);
    await t.login('dept.handler', 'Zhengzhou#Park2026');
  });

  it('forces a change after the password has expired (90 days)', async () => {
    await t.deps.database.db.execute(
      sql`update users set password_changed_at = now() - interval '91 days' where username = 'park.operator'`,
    );
    const c = await t.login('park.operator');
    const me = await c.get('/api/v1/auth/me');
    expect(me.json().mustChangePassword).toBe(true);
    const blocked = await c.get('/api/v1/notifications');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});
