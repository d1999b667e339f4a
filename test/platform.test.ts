import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function upload(c: Awaited<ReturnType<TestApp['login']>>, bytes: Buffer, filename: string) {
  const boundary = '----b';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    payload,
    cookies: c.cookies,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'x-csrf-token': c.cookies.miaopu_csrf ?? '',
    },
  });
}

describe('files', () => {
  it('stores an allowed type content-addressed and serves it as an attachment', async () => {
    const c = await t.login('park.operator');
    await c.get('/api/v1/auth/csrf');
    const res = await upload(c, PNG, '../../etc/passwd.png');
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    expect(file.mime).toBe('image/png');
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.originalName).not.toContain('/');
    const again = await upload(c, PNG, 'same.png');
    expect(again.json().sha256).toBe(file.sha256);
    const dl = await c.get(`/api/v1/files/${file.id}/content`);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment/);
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    // another org's user cannot read it
    expect((await (await t.login('enterprise')).get(`/api/v1/files/${file.id}`)).statusCode).toBe(404);
  });

  it('rejects a program renamed to .xlsx with 415 by its magic bytes', async () => {
    const c = await t.login('park.operator');
    await c.get('/api/v1/auth/csrf');
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const res = await upload(c, exe, 'report.xlsx');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_FILE_TYPE');
    const html = await upload(c, Buffer.from('<html><script>alert(1)</script></html>'), 'x.png');
    expect(html.statusCode).toBe(415);
  });
});

describe('idempotency', () => {
  // No role and no password (三权分立, issue #16): the answer carries a one-time activation code.
  const body = (username: string) => ({ username, displayName: '测试用户' });

  it('replays the first response for a repeated key and refuses the key with another body', async () => {
    const admin = await t.login('system.admin');
    const first = await admin.post('/api/v1/users', body('idem.user'), { 'idempotency-key': 'key-0001-abcdef' });
    expect(first.statusCode, first.body).toBe(201);
    const second = await admin.post('/api/v1/users', body('idem.user'), { 'idempotency-key': 'key-0001-abcdef' });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    const rows = await t.deps.database.db.select().from(users).where(eq(users.username, 'idem.user'));
    expect(rows).toHaveLength(1);
    const other = await admin.post('/api/v1/users', body('idem.other'), { 'idempotency-key': 'key-0001-abcdef' });
    expect(other.statusCode).toBe(422);
    // without a key, a duplicate username is a clear 409
    const dupe = await admin.post('/api/v1/users', body('idem.user'));
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().error.code).toBe('DUPLICATE');
  });

  it('parallel requests with one key create exactly one row', async () => {
    const admin = await t.login('system.admin');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        admin.post('/api/v1/users', body('idem.parallel'), { 'idempotency-key': 'key-parallel-0001' }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().user.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.json().activationCode)).size).toBe(1);
    const [n] = await t.deps.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.username, 'idem.parallel'));
    expect(n!.n).toBe(1);
  });
});

describe('users administration', () => {
  it('validates input with field errors; a role or password in the body is refused (issue #16)', async () => {
    const admin = await t.login('system.admin');
    const bad = await admin.post('/api/v1/users', { username: 'x', role: 'king' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(bad.json().error.details.fields.length).toBeGreaterThan(0);
    const withPassword = await admin.post('/api/v1/users', {
      username: 'weak.user',
      displayName: '自定密码',
      role: 'auditor',
      orgId: null,
      password: 'password123',
    });
    expect(withPassword.statusCode).toBe(400);
    expect(withPassword.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('disabling a user ends their live session', async () => {
    const cadre = await t.login('cadre');
    expect((await cadre.get('/api/v1/auth/me')).statusCode).toBe(200);
    const admin = await t.login('system.admin');
    const list = (await admin.get('/api/v1/users?q=cadre')).json();
    const target = list.items.find((u: { username: string }) => u.username === 'cadre');
    const res = await admin.request('PATCH', `/api/v1/users/${target.id}`, { status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect((await cadre.get('/api/v1/auth/me')).statusCode).toBe(401);
    await admin.request('PATCH', `/api/v1/users/${target.id}`, { status: 'active' });
  });

  it('an admin reset ends live sessions and issues an activation code the user turns into a new password', async () => {
    const cadre = await t.login('cadre');
    const admin = await t.login('system.admin');
    const target = (await admin.get('/api/v1/users?q=cadre'))
      .json()
      .items.find((u: { username: string }) => u.username === 'cadre');
    const chosen = await admin.post(`/api/v1/users/${target.id}/reset-password`, { password: 'Temporary#Pass2026' });
    expect(chosen.statusCode).toBe(400);
    const res = await admin.post(`/api/v1/users/${target.id}/reset-password`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect((await cadre.get('/api/v1/auth/me')).statusCode).toBe(401);
    const anon = t.anonymous();
    const weak = await anon.post('/api/v1/auth/activate', {
      username: 'cadre',
      activationCode: res.json().activationCode,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('PASSWORD_POLICY');
    const changed = await anon.post('/api/v1/auth/activate', {
      username: 'cadre',
      activationCode: res.json().activationCode,
      newPassword: 'Zhuqi#NewPass2026',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const again = await t.login('cadre', 'Zhuqi#NewPass2026');
    expect((await again.get('/api/v1/auth/me')).json().mustChangePassword).toBe(false);
  });

  it('keeps the three admin duties apart', async () => {
    const sys = await t.login('system.admin');
    expect((await sys.get('/api/v1/audit')).statusCode).toBe(403);
    expect((await sys.get('/api/v1/settings/security')).statusCode).toBe(403);
    const sec = await t.login('security.admin');
    // the security admin lists accounts to grant roles (issue #16) but creates none and reads no audit
    expect((await sec.get('/api/v1/users')).statusCode).toBe(200);
    expect((await sec.post('/api/v1/users', { username: 'sec.made', displayName: '安全员' })).statusCode).toBe(403);
    expect((await sec.get('/api/v1/audit')).statusCode).toBe(403);
    const auditor = await t.login('auditor');
    expect((await auditor.get('/api/v1/users')).statusCode).toBe(403);
    expect((await auditor.get('/api/v1/orgs')).statusCode).toBe(403);
    const cityAdmin = await t.login('city.admin');
    expect((await cityAdmin.get('/api/v1/users')).statusCode).toBe(403);
  });
});

describe('notifications', () => {
  it('counts unread, marks read, and keeps inboxes private', async () => {
    const c = await t.login('huiji.admin');
    const before = (await c.get('/api/v1/notifications/unread-count')).json().count;
    const uid = (await c.get('/api/v1/auth/me')).json().id;
    await t.deps.database.db.transaction((tx) =>
      t.deps.notifications.notify(tx, [uid, uid], { kind: 'test', title: '测试通知', link: '/notifications' }),
    );
    expect((await c.get('/api/v1/notifications/unread-count')).json().count).toBe(before + 1);
    const list = (await c.get('/api/v1/notifications?unread=true')).json();
    const item = list.items.find((n: { title: string }) => n.title === '测试通知');
    expect(item.readAt).toBeNull();
    const other = await t.login('erqi.admin');
    expect((await other.post(`/api/v1/notifications/${item.id}/read`)).statusCode).toBe(404);
    expect((await c.post(`/api/v1/notifications/${item.id}/read`)).json().readAt).not.toBeNull();
    await c.post('/api/v1/notifications/read-all');
    expect((await c.get('/api/v1/notifications/unread-count')).json().count).toBe(0);
  });
});

describe('audit chain under concurrency', () => {
  it('stays intact when many requests write audit rows at once', async () => {
    const auditor = await t.login('auditor');
    const anon = t.anonymous();
    await Promise.all([
      ...Array.from({ length: 8 }, () => auditor.get('/api/v1/audit?pageSize=1')),
      ...Array.from({ length: 6 }, () => anon.post('/api/v1/auth/login', { username: 'nobody', password: 'x' })),
    ]);
    const { db } = t.deps.database;
    const r = await t.deps.audit.verify(db);
    expect(r).toMatchObject({ ok: true });
    const [n] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.action, 'audit.query'));
    expect(n!.n).toBeGreaterThanOrEqual(8);
  });
});
