/**
 * Notification channels (issue #21, decision 0026) against real receivers on loopback: an SMTP sink
 * (smtp-server) gets the 督办 e-mail and the digest (Chinese decoded by mailparser); a node:http receiver gets
 * DingTalk (signed: timestamp + HMAC-SHA256 verified here) and WeCom payloads; a user with nothing new gets no
 * digest; hosts off the allow-list, names resolving to loopback and redirects are refused; a failing receiver
 * (HTTP 500) is retried with backoff and logged, then succeeds.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  notificationDeliveries,
  notificationPreferences,
  notificationRobots,
  orgs,
  settings,
  users,
} from '../src/server/db/schema/index.ts';
import { escalateOverdue } from '../src/server/modules/assistance/problems.ts';
import { channelServiceOf } from '../src/server/modules/notifications/channels.ts';
import { scanOverdue } from '../src/server/modules/parks/service.ts';
import { type Client, createTestApp, type TestApp } from './helpers/app.ts';

interface Mail {
  to: string[];
  parsed: ParsedMail;
  raw: string;
}
interface Hit {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

let t: TestApp;
let smtp: SMTPServer;
let smtpPort = 0;
let receiver: http.Server;
let hookPort = 0;
const mails: Mail[] = [];
const hits: Hit[] = [];
const flakyFailures = { left: 1 };
let sysadmin: Client;
let huiji: Client;
let erqi: Client;

const DT_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
const hook = (path: string) => `http://127.0.0.1:${hookPort}${path}`;
const channels = () => channelServiceOf(t.deps);

async function drain() {
  let n = 0;
  for (let i = 0; i < 50; i++) {
    const k = await channels().processDue();
    n += k;
    if (k === 0) break;
  }
  return n;
}

async function deliveriesOf(where: ReturnType<typeof and>) {
  return t.deps.database.db.select().from(notificationDeliveries).where(where);
}

beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  smtp = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'miaopu' && auth.password === 'sink-pass-秘') cb(null, { user: 'miaopu' });
      else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed, raw: raw.toString('latin1') });
            cb();
          })
          .catch(cb);
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      hits.push({ path: u.pathname, query: u.searchParams, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      if (u.pathname === '/redirect') {
        res.writeHead(302, { location: hook('/ok') }).end();
        return;
      }
      if (u.pathname === '/always500' || (u.pathname === '/flaky' && flakyFailures.left-- > 0)) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookPort = (receiver.address() as AddressInfo).port;

  sysadmin = await t.login('system.admin');
  huiji = await t.login('huiji.admin');
  erqi = await t.login('erqi.admin');
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await t?.close();
});

async function orgId(name: string) {
  return (await t.deps.database.db.select().from(orgs).where(eq(orgs.name, name)))[0]!.id;
}

describe('channel settings and preferences', () => {
  it('the system admin sets the mail server and the allow-list; the password is stored encrypted and never returned', async () => {
    const res = await sysadmin.request('PUT', '/api/v1/notifications/channel-settings', {
      smtp: {
        host: '127.0.0.1',
        port: smtpPort,
        security: 'none',
        username: 'miaopu',
        password: 'sink-pass-秘',
        from: '苗圃平台 <noreply@miaopu.test>',
      },
      allowList: ['oapi.dingtalk.com', `http://127.0.0.1:${hookPort}`, `http://localhost:${hookPort}`],
      publicBaseUrl: 'https://miaopu.example.gov.cn/',
      backoffBaseSeconds: 30,
      maxAttempts: 3,
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.smtp).toMatchObject({ host: '127.0.0.1', hasPassword: true, username: 'miaopu' });
    expect(out.allowList).toEqual([
      'https://oapi.dingtalk.com',
      `http://127.0.0.1:${hookPort}`,
      `http://localhost:${hookPort}`,
    ]);
    expect(res.body).not.toContain('sink-pass');
    const [row] = await t.deps.database.db.select().from(settings).where(eq(settings.key, 'notification-channels'));
    expect(JSON.stringify(row!.value)).not.toContain('sink-pass');
    expect((row!.value as { smtp: { passwordEnc: string } }).smtp.passwordEnc).toMatch(/^v1:/);

    // a bad allow-list entry is a field error, not a 500; a district admin may not touch these settings
    const bad = await sysadmin.request('PUT', '/api/v1/notifications/channel-settings', {
      smtp: null,
      allowList: ['https://x.example/path?q=1'],
      publicBaseUrl: null,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('allowList.0');
    expect((await huiji.get('/api/v1/notifications/channel-settings')).statusCode).toBe(403);
  });

  it('a user sets an e-mail address (stored encrypted, shown masked), channels per category and the digest', async () => {
    const put = await huiji.request('PUT', '/api/v1/notifications/preferences', {
      email: 'huiji.admin@huiji.example.gov.cn',
      categories: { supervision: 'immediate', deadline: 'immediate', workflow: 'digest', system: 'off' },
      digest: 'daily',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      emailMasked: 'h***@huiji.example.gov.cn',
      hasEmail: true,
      digest: 'daily',
      smtpConfigured: true,
    });
    expect(put.body).not.toContain('huiji.admin@');
    const uid = (await t.deps.database.db.select().from(users).where(eq(users.username, 'huiji.admin')))[0]!.id;
    const [p] = await t.deps.database.db
      .select()
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, uid));
    expect(p!.emailEnc).not.toContain('huiji');
    expect(t.deps.cipher.decrypt(p!.emailEnc!)).toBe('huiji.admin@huiji.example.gov.cn');
    // erqi.admin wants a digest too, but will have nothing new
    const e = await erqi.request('PUT', '/api/v1/notifications/preferences', {
      email: 'erqi.admin@erqi.example.gov.cn',
      categories: { supervision: 'digest', deadline: 'digest', workflow: 'digest', system: 'digest' },
      digest: 'daily',
    });
    expect(e.statusCode).toBe(200);
    // invalid input is a 400 with a field, never a 500
    const bad = await huiji.request('PUT', '/api/v1/notifications/preferences', {
      email: 'not-an-address',
      categories: { supervision: 'sometimes' },
      digest: 'hourly',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('org robots', () => {
  it('a district admin adds a DingTalk and a WeCom robot to an org of the district; secrets never come back', async () => {
    const gov = await orgId('惠济区人民政府');
    const dt = await huiji.post('/api/v1/notifications/robots', {
      orgId: gov,
      name: '惠济区督办群',
      platform: 'dingtalk',
      url: hook('/robot/send?access_token=dt-token-0123456789'),
      secret: DT_SECRET,
      format: 'markdown',
      categories: ['supervision'],
    });
    expect(dt.statusCode, dt.body).toBe(201);
    expect(dt.json()).toMatchObject({ hasSecret: true, urlMasked: `${hook('/robot/send')}?access_token=dt-t****` });
    expect(dt.body).not.toContain('0123456789');
    expect(dt.body).not.toContain(DT_SECRET);
    const wc = await huiji.post('/api/v1/notifications/robots', {
      orgId: gov,
      name: '惠济区园区群',
      platform: 'wecom',
      url: hook('/cgi-bin/webhook/send?key=wc-key-abcdef-123456'),
      format: 'text',
      categories: ['deadline'],
    });
    expect(wc.statusCode, wc.body).toBe(201);
    const [stored] = await t.deps.database.db
      .select()
      .from(notificationRobots)
      .where(eq(notificationRobots.id, wc.json().id));
    expect(stored!.urlEnc).not.toContain('wc-key');
    const list = (await huiji.get('/api/v1/notifications/robots')).json();
    expect(list.items.map((r: { name: string }) => r.name).sort()).toEqual(['惠济区园区群', '惠济区督办群']);
    expect(JSON.stringify(list)).not.toContain('abcdef-123456');
    // another district sees none of them and cannot touch them
    expect((await erqi.get('/api/v1/notifications/robots')).json().total).toBe(0);
    expect((await erqi.request('DELETE', `/api/v1/notifications/robots/${dt.json().id}`)).statusCode).toBe(404);
    // nor add one to an org outside its district
    const foreign = await erqi.post('/api/v1/notifications/robots', {
      orgId: gov,
      name: 'x',
      platform: 'wecom',
      url: hook('/x'),
    });
    expect(foreign.statusCode).toBe(422);
  });

  it('a host not on the allow-list is refused with a localized message', async () => {
    const body = {
      orgId: await orgId('惠济区人民政府'),
      name: '外部群',
      platform: 'wecom',
      url: 'https://hooks.evil.example/cgi-bin/webhook/send?key=abc',
    };
    const zh = await huiji.post('/api/v1/notifications/robots', body);
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error.code).toBe('WEBHOOK_HOST_NOT_ALLOWED');
    expect(zh.json().error.message).toContain('不在通知白名单内');
    expect(zh.json().error.message).toContain('https://hooks.evil.example');
    const en = await huiji.post('/api/v1/notifications/robots', body, { 'accept-language': 'en' });
    expect(en.json().error.message).toContain('not on the notification allow-list');
    // another port of an allowed host is another origin
    const port = await huiji.post('/api/v1/notifications/robots', {
      ...body,
      url: `http://127.0.0.1:${hookPort + 1}/x`,
    });
    expect(port.statusCode).toBe(400);
  });
});

describe('督办 and deadline reminders go out on the channels', () => {
  it('an escalated overdue problem reaches the e-mail sink and the signed DingTalk robot; overdue park nodes reach WeCom', async () => {
    const { db } = t.deps.database;
    // one open 惠济区 problem due on Monday 2026-11-02, judged on Thursday 2026-11-05: the district rung (督办)
    const [p] = (
      await t.deps.database.raw(
        `select id from assistance_problems where region_code = '410108' and status in ('assigned','in_progress','collected') order by code limit 1`,
      )
    ).rows as { id: string }[];
    expect(p?.id).toMatch(/^[0-9a-f-]{36}$/);
    await t.deps.database.raw(
      `update assistance_problems set due_on = '2026-11-02', escalation_level = 0, stopped_at = null where id = $1`,
      [p!.id],
    );
    await t.deps.database.raw(
      `update assistance_problems set escalation_level = 9 where region_code = '410108' and id <> $1`,
      [p!.id],
    );
    const out = await escalateOverdue(t.deps, '2026-11-05');
    expect(out.escalated).toBeGreaterThan(0);
    const queued = await deliveriesOf(
      and(eq(notificationDeliveries.kind, 'assistance.problem.overdue'), eq(notificationDeliveries.status, 'pending')),
    );
    expect(queued.map((d) => d.channel).sort()).toEqual(['dingtalk', 'email']);

    // overdue milestones of 惠济区 parks (deadline) → e-mail at once and the WeCom robot (its category)
    await scanOverdue(t.deps, '2030-01-01');
    const deadline = await deliveriesOf(eq(notificationDeliveries.kind, 'park.milestone.overdue'));
    expect(deadline.some((d) => d.channel === 'wecom')).toBe(true);
    expect(deadline.some((d) => d.channel === 'email')).toBe(true);
    expect(deadline.some((d) => d.channel === 'dingtalk')).toBe(false);

    const before = { mails: mails.length, hits: hits.length };
    const sent = await drain();
    expect(sent).toBe(queued.length + deadline.length);
    const all = await db.select().from(notificationDeliveries);
    expect(all.filter((d) => d.status !== 'sent')).toEqual([]);

    // DingTalk: markdown, signed as DingTalk documents (timestamp ms, HMAC-SHA256 of "timestamp\nsecret", Base64)
    const dt = hits.slice(before.hits).filter((h) => h.path === '/robot/send');
    expect(dt.length).toBe(1);
    const ts = dt[0]!.query.get('timestamp')!;
    expect(Math.abs(Number(ts) - Date.now())).toBeLessThan(60 * 60_000);
    const expected = crypto.createHmac('sha256', DT_SECRET).update(`${ts}\n${DT_SECRET}`).digest('base64');
    expect(dt[0]!.query.get('sign')).toBe(expected);
    expect(dt[0]!.query.get('access_token')).toBe('dt-token-0123456789');
    expect(dt[0]!.body.msgtype).toBe('markdown');
    const md = dt[0]!.body.markdown as { title: string; text: string };
    expect(md.title).toContain('【督办】');
    expect(md.text).toContain('### 【督办】');
    expect(md.text).toContain(`(https://miaopu.example.gov.cn/assistance/problems/${p!.id})`);

    // WeCom: text to the key URL, no signature
    const wc = hits.slice(before.hits).filter((h) => h.path === '/cgi-bin/webhook/send');
    expect(wc.length).toBe(deadline.filter((d) => d.channel === 'wecom').length);
    expect(wc[0]!.query.get('key')).toBe('wc-key-abcdef-123456');
    expect(wc[0]!.query.get('sign')).toBeNull();
    expect(wc[0]!.body.msgtype).toBe('text');
    expect((wc[0]!.body.text as { content: string }).content).toContain('【节点逾期】');

    // e-mail: the 督办 notice, authenticated with the decrypted password, Chinese subject decoded
    const got = mails.slice(before.mails);
    const duban = got.find((m) => m.parsed.subject?.startsWith('【苗圃】【督办】'));
    expect(duban?.parsed.subject, got.map((m) => m.parsed.subject).join(' | ')).toMatch(/^【苗圃】【督办】/);
    expect(duban!.to).toEqual(['huiji.admin@huiji.example.gov.cn']);
    expect(duban!.parsed.text).toContain('自动督办升级至第 1 级');
    expect(duban!.raw).toMatch(/charset=utf-8/i);
    expect(got.some((m) => m.parsed.subject?.includes('【节点逾期】'))).toBe(true);
  });
});

describe('digest', () => {
  it('groups repeats, decodes as Chinese in the sink, and is never sent empty', async () => {
    const { db } = t.deps.database;
    const uid = async (u: string) => (await db.select().from(users).where(eq(users.username, u)))[0]!.id;
    const huijiId = await uid('huiji.admin');
    const erqiId = await uid('erqi.admin');
    const notice = (title: string, entityId: string) => ({
      kind: 'assistance.problem.assign',
      title,
      body: '请及时处理。',
      link: `/assistance/problems/${entityId}`,
      entity: 'assistance_problem',
      entityId,
    });
    await db.transaction(async (tx) => {
      await t.deps.notifications.notify(tx, [huijiId], notice('【交办】HJ-001 用工难问题', 'p-1'));
      await t.deps.notifications.notify(tx, [huijiId], notice('【交办】HJ-001 用工难问题（再次交办）', 'p-1'));
      await t.deps.notifications.notify(tx, [huijiId], notice('【交办】HJ-002 融资需求', 'p-2'));
    });
    // workflow notices are digest-only for huiji: nothing queued at once
    expect(
      await deliveriesOf(
        and(eq(notificationDeliveries.kind, 'assistance.problem.assign'), eq(notificationDeliveries.userId, huijiId)),
      ),
    ).toEqual([]);
    // erqi.admin: everything went to the digest, but read it in the app, so nothing is new
    await db.execute(sql`update notifications set read_at = now() where user_id = ${erqiId} and read_at is null`);

    const r = await channels().runDigest('2026-12-08'); // a Tuesday: daily digests only
    expect(r.queued).toBe(1);
    const digests = await deliveriesOf(eq(notificationDeliveries.purpose, 'digest'));
    expect(digests.map((d) => d.userId)).toEqual([huijiId]);
    const before = mails.length;
    await drain();
    const mail = mails.slice(before);
    expect(mail.length).toBe(1);
    expect(mail[0]!.to).toEqual(['huiji.admin@huiji.example.gov.cn']);
    expect(mail[0]!.parsed.subject).toBe('【苗圃】每日通知摘要（2026-12-08）：3 条');
    const text = mail[0]!.parsed.text ?? '';
    expect(text).toContain('您有 3 条未读通知（合并为 2 项）');
    expect(text).toContain('【待办与流程】');
    // the repeat is one line, under its newest title, with the count
    expect(text).toContain('· 【交办】HJ-001 用工难问题（再次交办）（共 2 次');
    expect(text).toContain('· 【交办】HJ-002 融资需求（');
    expect(text).not.toContain('【督办】'); // immediate categories stay out of the digest
    expect(text).toContain('Miaopu daily digest: 3 unread notices in 2 groups.');

    // nothing new since: no second digest, for anyone
    const again = await channels().runDigest('2026-12-09');
    expect(again.queued).toBe(0);
    expect((await deliveriesOf(eq(notificationDeliveries.purpose, 'digest'))).length).toBe(1);
    expect(mails.some((m) => m.to.includes('erqi.admin@erqi.example.gov.cn'))).toBe(false);
  });

  it('a weekly digest goes out on Mondays only', async () => {
    const { db } = t.deps.database;
    const erqiId = (await db.select().from(users).where(eq(users.username, 'erqi.admin')))[0]!.id;
    const put = await erqi.request('PUT', '/api/v1/notifications/preferences', {
      categories: { supervision: 'digest', deadline: 'digest', workflow: 'digest', system: 'digest' },
      digest: 'weekly',
    });
    expect(put.json()).toMatchObject({ digest: 'weekly', hasEmail: true }); // an omitted address is kept
    await t.deps.notifications.notify(db, [erqiId], {
      kind: 'park.plan-change',
      title: '【计划调整】二七区某园区申请调整节点',
      entity: 'park',
      entityId: 'x',
    });
    t.clock.advanceMinutes(1);
    expect((await channels().runDigest('2026-12-10')).queued).toBe(0); // Thursday
    t.clock.advanceMinutes(1);
    expect((await channels().runDigest('2026-12-14')).queued).toBe(1); // Monday
    const [d] = await deliveriesOf(
      and(eq(notificationDeliveries.purpose, 'digest'), eq(notificationDeliveries.userId, erqiId)),
    );
    expect(d!.subject).toBe('【苗圃】每周通知摘要（2026-12-14）：1 条');
    await drain();
    expect(mails.filter((m) => m.to.includes('erqi.admin@erqi.example.gov.cn')).length).toBe(1);
  });
});

describe('retries and the delivery log', () => {
  async function robot(name: string, path: string) {
    const res = await huiji.post('/api/v1/notifications/robots', {
      orgId: await orgId('惠济区人民政府'),
      name,
      platform: 'wecom',
      url: hook(path),
      format: 'markdown',
      categories: [],
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }
  const testMessage = async (robotId: string) => {
    const res = await huiji.post(`/api/v1/notifications/robots/${robotId}/test`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().deliveryId as string;
  };
  const delivery = async (id: string) =>
    (await t.deps.database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id)))[0]!;

  it('a receiver answering 500 is retried after the backoff, logged with a localized error, then succeeds', async () => {
    const id = await testMessage(await robot('不稳定群', '/flaky'));
    flakyFailures.left = 1;
    expect(await channels().processDue()).toBe(1);
    let d = await delivery(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastErrorCode: 'HTTP_STATUS' });
    const wait = d.nextAttemptAt.getTime() - d.lastAttemptAt!.getTime();
    expect(wait).toBe(30_000); // first retry after the base backoff

    const log = (await huiji.get('/api/v1/notifications/deliveries?status=pending&channel=wecom')).json();
    const row = log.items.find((x: { id: string }) => x.id === id);
    expect(row).toMatchObject({ attempts: 1, maxAttempts: 3, lastError: '接收方返回 HTTP 500', status: 'pending' });
    expect(row.targetMasked).toBe(hook('/flaky'));
    const en = (await huiji.get('/api/v1/notifications/deliveries?status=pending', { 'accept-language': 'en' })).json();
    expect(en.items.find((x: { id: string }) => x.id === id).lastError).toBe('The receiver answered HTTP 500');

    // not due yet
    expect(await channels().processDue()).toBe(0);
    t.clock.advanceMinutes(1);
    expect(await channels().processDue()).toBe(1);
    d = await delivery(id);
    expect(d).toMatchObject({ status: 'sent', attempts: 2, lastErrorCode: null });
    expect(hits.filter((h) => h.path === '/flaky').length).toBe(2);
  });

  it('a receiver that keeps failing is given up after the maximum attempts, with doubling waits', async () => {
    const id = await testMessage(await robot('总是失败群', '/always500'));
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await channels().processDue()).toBe(1);
      const d = await delivery(id);
      if (d.status === 'pending') waits.push(d.nextAttemptAt.getTime() - d.lastAttemptAt!.getTime());
      t.clock.advanceMinutes(5);
    }
    const d = await delivery(id);
    expect(d).toMatchObject({ status: 'failed', attempts: 3, lastErrorCode: 'HTTP_STATUS' });
    expect(waits).toEqual([30_000, 60_000]);
    expect(await channels().processDue()).toBe(0);
  });

  it('redirects are not followed; a host taken off the allow-list and a name resolving to loopback are refused when sending', async () => {
    const redirect = await testMessage(await robot('重定向群', '/redirect'));
    await channels().processDue();
    expect(await delivery(redirect)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastErrorCode: 'REDIRECT_REFUSED',
    });
    expect(hits.some((h) => h.path === '/ok')).toBe(false);

    // localhost is on the allow-list, but a DNS name must resolve to a public address
    const res = await huiji.post('/api/v1/notifications/robots', {
      orgId: await orgId('惠济区人民政府'),
      name: '本机名群',
      platform: 'dingtalk',
      url: `http://localhost:${hookPort}/named`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const named = await testMessage(res.json().id);
    await channels().processDue();
    expect(await delivery(named)).toMatchObject({ status: 'failed', lastErrorCode: 'ADDRESS_NOT_ALLOWED' });
    expect(hits.some((h) => h.path === '/named')).toBe(false);

    // the system admin removes loopback from the allow-list: queued messages to it are refused, not sent
    const okRobot = await robot('稍后移出白名单', '/later');
    const later = await testMessage(okRobot);
    const put = await sysadmin.request('PUT', '/api/v1/notifications/channel-settings', {
      smtp: { host: '127.0.0.1', port: smtpPort, security: 'none', username: 'miaopu', from: 'noreply@miaopu.test' },
      allowList: ['oapi.dingtalk.com'],
      publicBaseUrl: null,
      backoffBaseSeconds: 30,
      maxAttempts: 3,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().smtp.hasPassword).toBe(true); // an omitted password is kept
    await channels().processDue();
    const refused = await delivery(later);
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, lastErrorCode: 'HOST_NOT_ALLOWED' });
    expect(hits.some((h) => h.path === '/later')).toBe(false);
    const log = (await huiji.get('/api/v1/notifications/deliveries?status=failed')).json();
    expect(log.items.find((x: { id: string }) => x.id === later).lastError).toBe('目标主机不在允许列表中，已拒绝发送');
  });

  it('the log pages and filters, keeps to the region, and shows the system admin no message contents', async () => {
    const page = (await huiji.get('/api/v1/notifications/deliveries?pageSize=2')).json();
    expect(page.items.length).toBe(2);
    expect(page.total).toBeGreaterThan(2);
    const emails = (await huiji.get('/api/v1/notifications/deliveries?channel=email&pageSize=200')).json();
    expect(emails.total).toBeGreaterThan(0);
    expect(emails.items.every((d: { channel: string }) => d.channel === 'email')).toBe(true);
    expect(emails.items.every((d: { targetMasked: string }) => d.targetMasked === 'h***@huiji.example.gov.cn')).toBe(
      true,
    );
    expect(emails.items.some((d: { subject: string | null }) => d.subject?.includes('督办'))).toBe(true);
    const digest = (await huiji.get('/api/v1/notifications/deliveries?purpose=digest')).json();
    expect(digest.total).toBe(1);
    const none = (await huiji.get('/api/v1/notifications/deliveries?from=2020-01-01&to=2020-01-31')).json();
    expect(none.total).toBe(0);
    // 二七区 sees only its own admin's weekly digest
    const other = (await erqi.get('/api/v1/notifications/deliveries')).json();
    expect(other.items.map((d: { purpose: string; targetMasked: string }) => [d.purpose, d.targetMasked])).toEqual([
      ['digest', 'e***@erqi.example.gov.cn'],
    ]);
    const sys = (await sysadmin.get('/api/v1/notifications/deliveries?pageSize=200')).json();
    expect(sys.total).toBe(page.total + 1);
    expect(sys.items.every((d: { subject: string | null }) => d.subject === null)).toBe(true);
    expect((await huiji.get('/api/v1/notifications/deliveries?status=lost')).statusCode).toBe(400);
    expect((await (await t.login('enterprise')).get('/api/v1/notifications/deliveries')).statusCode).toBe(403);
  });
});
