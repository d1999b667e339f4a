/**
 * Second factor (security.md IA-04, ASVS 2.8; issue #16): RFC 6238 vectors through the library, enrolment, login
 * with a code, replay and wrong codes refused, the policy switch for staff, step-up before PII reveal and export.
 */
import { and, eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../src/server/db/schema/index.ts';
import { matchStep, totpCode } from '../src/server/modules/identity/totp.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { DEMO_PASSWORD } from './helpers/constants.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

type Client = ReturnType<TestApp['anonymous']>;

/** Moves the fake clock to the next 30 s step so a new code is not a replay of the last. */
function nextStep() {
  t.clock.advanceMinutes(0.5);
}

async function enrol(c: Client) {
  const setup = await c.post('/api/v1/auth/totp/setup');
  expect(setup.statusCode, setup.body).toBe(200);
  const { secret, uri, qrSvg } = setup.json();
  nextStep();
  const ok = await c.post('/api/v1/auth/totp/confirm', { code: totpCode(secret, t.clock.now()) });
  expect(ok.statusCode, ok.body).toBe(200);
  return { secret: secret as string, uri: uri as string, qrSvg: qrSvg as string };
}

async function loginWithCode(username: string, secret: string) {
  nextStep();
  const c = t.anonymous();
  const res = await c.post('/api/v1/auth/login', {
    username,
    password: DEMO_PASSWORD,
    totpCode: totpCode(secret, t.clock.now()),
  });
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

describe('RFC 6238 through otpauth', () => {
  // RFC 6238 Appendix B, SHA-1 seed "12345678901234567890", 8 digits.
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  const seed = Secret.fromLatin1('12345678901234567890');

  it('gives the test vectors', () => {
    for (const [secs, code] of vectors) {
      const totp = new TOTP({ secret: seed, algorithm: 'SHA1', digits: 8, period: 30 });
      expect(totp.generate({ timestamp: secs * 1000 })).toBe(code);
    }
  });

  it('the app’s 6-digit codes are the same HOTP values truncated (RFC 4226 §5.3)', () => {
    for (const [secs, code] of vectors) {
      expect(totpCode(seed.base32, new Date(secs * 1000))).toBe(code.slice(2));
    }
    const at = new Date(1111111111 * 1000);
    expect(matchStep(seed.base32, '050471', at)).toBe(Math.floor(1111111111 / 30));
    expect(matchStep(seed.base32, '000000', at)).toBeNull();
    expect(matchStep(seed.base32, 'abcdef', at)).toBeNull();
  });
});

describe('enrolment and login', () => {
  let secret = '';

  it('enrols with a secret, an otpauth URI and an SVG QR code; the seed is stored encrypted', async () => {
    const c = await t.login('huiji.admin');
    const setup = await c.post('/api/v1/auth/totp/setup');
    expect(setup.statusCode).toBe(200);
    const body = setup.json();
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(body.uri).toContain('huiji.admin');
    expect(body.qrSvg).toMatch(/^<svg/);
    const [row] = await t.deps.database.db.select().from(users).where(eq(users.username, 'huiji.admin'));
    expect(typeof row!.totpSecret).toBe('string');
    expect(row!.totpSecret!.length).toBeGreaterThan(body.secret.length);
    expect(row!.totpSecret).not.toContain(body.secret);
    expect(row!.totpEnabledAt).toBeNull();
    nextStep();
    const wrong = await c.post('/api/v1/auth/totp/confirm', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('TOTP_INVALID');
    const ok = await c.post('/api/v1/auth/totp/confirm', { code: totpCode(body.secret, t.clock.now()) });
    expect(ok.statusCode, ok.body).toBe(200);
    secret = body.secret;
    expect((await c.get('/api/v1/auth/me')).json().totpEnabled).toBe(true);
    const again = await c.post('/api/v1/auth/totp/setup');
    expect(again.statusCode).toBe(409);
  });

  it('login then asks for the code, accepts a current one, and refuses its replay', async () => {
    const anon = t.anonymous();
    const noCode = await anon.post('/api/v1/auth/login', { username: 'huiji.admin', password: DEMO_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error.code).toBe('MFA_REQUIRED');
    expect(noCode.json().error.message).toContain('验证码');
    nextStep();
    const code = totpCode(secret, t.clock.now());
    const ok = await anon.post('/api/v1/auth/login', {
      username: 'huiji.admin',
      password: DEMO_PASSWORD,
      totpCode: code,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const replay = await t
      .anonymous()
      .post('/api/v1/auth/login', { username: 'huiji.admin', password: DEMO_PASSWORD, totpCode: code });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.code).toBe('TOTP_INVALID');
    const wrong = await t
      .anonymous()
      .post('/api/v1/auth/login', { username: 'huiji.admin', password: DEMO_PASSWORD, totpCode: '123456' });
    expect(wrong.statusCode).toBe(400);
    const reasons = (
      await t.deps.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'auth.login'), eq(auditLog.actorUsername, 'huiji.admin')))
    ).map((r) => r.summary.reason);
    expect(reasons).toContain('totp_replayed');
    // a wrong password with a right code is still AUTH_FAILED, and the code is not spent
    nextStep();
    const badPw = await t.anonymous().post('/api/v1/auth/login', {
      username: 'huiji.admin',
      password: 'Wrong#Pass20261',
      totpCode: totpCode(secret, t.clock.now()),
    });
    expect(badPw.statusCode).toBe(401);
    expect(badPw.json().error.code).toBe('AUTH_FAILED');
    await loginWithCode('huiji.admin', secret);
  });

  it('an older code (two steps back) is refused after a newer one was used', async () => {
    const old = totpCode(secret, new Date(t.clock.now().getTime() - 60_000));
    const res = await t
      .anonymous()
      .post('/api/v1/auth/login', { username: 'huiji.admin', password: DEMO_PASSWORD, totpCode: old });
    expect(res.statusCode).toBe(400);
  });

  it('step-up: reveal and export need a fresh code, which then holds for five minutes', async () => {
    const c = await loginWithCode('huiji.admin', secret);
    const list = (await c.get('/api/v1/enterprises?pageSize=1')).json();
    const id = list.items[0].id;
    const add = await c.post(`/api/v1/enterprises/${id}/contacts`, { name: '王联系', mobile: '13912345678' });
    expect(add.statusCode, add.body).toBe(201);
    const contactId = add.json().id;
    const reveal = () => c.post(`/api/v1/enterprises/${id}/contacts/${contactId}/reveal`, { reason: '核实联系方式' });
    const first = await reveal();
    expect(first.statusCode).toBe(403);
    expect(first.json().error.code).toBe('STEP_UP_REQUIRED');
    const exp1 = await c.get('/api/v1/enterprises/export');
    expect(exp1.statusCode).toBe(403);
    expect(exp1.json().error.code).toBe('STEP_UP_REQUIRED');
    const wrong = await c.post('/api/v1/auth/step-up', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    nextStep();
    const step = await c.post('/api/v1/auth/step-up', { code: totpCode(secret, t.clock.now()) });
    expect(step.statusCode, step.body).toBe(200);
    expect((await reveal()).json()).toEqual({ mobile: '13912345678', idNo: null });
    expect((await c.get('/api/v1/enterprises/export')).statusCode).toBe(200);
    t.clock.advanceMinutes(6);
    expect((await reveal()).json().error.code).toBe('STEP_UP_REQUIRED');
    const steps = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'auth.step_up'));
    expect(steps.filter((s) => s.result === 'success')).toHaveLength(1);
    expect(steps.filter((s) => s.result === 'failure').length).toBeGreaterThan(0);
  });

  it('a user without TOTP is not asked for step-up; step-up without TOTP is a clear 409', async () => {
    const city = await t.login('city.admin');
    expect((await city.get('/api/v1/enterprises/export')).statusCode).toBe(200);
    const res = await city.post('/api/v1/auth/step-up', { code: '123456' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('TOTP_STATE_INVALID');
  });

  it('disabling needs a current code; the security admin can reset a lost factor', async () => {
    const c = await loginWithCode('huiji.admin', secret);
    const bad = await c.post('/api/v1/auth/totp/disable', { code: '000000' });
    expect(bad.statusCode).toBe(400);
    const sec = await t.login('security.admin');
    const [u] = await t.deps.database.db.select().from(users).where(eq(users.username, 'huiji.admin'));
    const reset = await sec.post(`/api/v1/users/${u!.id}/totp-reset`, {});
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    const plain = await t.login('huiji.admin');
    expect((await plain.get('/api/v1/auth/me')).json().totpEnabled).toBe(false);
    const sys = await t.login('system.admin');
    expect((await sys.post(`/api/v1/users/${u!.id}/totp-reset`, {})).statusCode).toBe(403);
  });
});

describe('the policy switch', () => {
  it('off by default; when on, staff must enrol before anything else, enterprises are not forced', async () => {
    const sec = await t.login('security.admin');
    const current = (await sec.get('/api/v1/settings/security')).json();
    expect(current.totpRequiredForStaff).toBe(false);
    const on = await sec.request('PUT', '/api/v1/settings/security', { ...current, totpRequiredForStaff: true });
    expect(on.statusCode, on.body).toBe(200);
    t.deps.settings.invalidate();
    try {
      const erqi = await t.login('erqi.admin');
      const me = (await erqi.get('/api/v1/auth/me')).json();
      expect(me).toMatchObject({ totpRequired: true, mfaEnrolmentRequired: true });
      const blocked = await erqi.get('/api/v1/enterprises');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
      const { secret } = await enrol(erqi);
      expect((await erqi.get('/api/v1/enterprises')).statusCode).toBe(200);
      const off = await erqi.post('/api/v1/auth/totp/disable', { code: totpCode(secret, t.clock.now()) });
      expect(off.statusCode).toBe(409);
      const ent = await t.login('enterprise');
      const entMe = (await ent.get('/api/v1/auth/me')).json();
      expect(entMe).toMatchObject({ totpRequired: false, mfaEnrolmentRequired: false });
      expect((await ent.get('/api/v1/enterprises')).statusCode).toBe(200);
      // the security admin is bound too
      const sec2 = await t.login('security.admin');
      expect((await sec2.get('/api/v1/settings/security')).json().error.code).toBe('MFA_ENROLMENT_REQUIRED');
    } finally {
      await t.deps.database.db.execute(
        // restore through SQL: the security admin itself is now held at enrolment
        (await import('drizzle-orm'))
          .sql`update settings set value = value || '{"totpRequiredForStaff": false}'::jsonb where key = 'security'`,
      );
      t.deps.settings.invalidate();
    }
    const sec3 = await t.login('security.admin');
    expect((await sec3.get('/api/v1/settings/security')).statusCode).toBe(200);
  });

  it('refuses a non-boolean switch with a 400', async () => {
    const sec = await t.login('security.admin');
    const current = (await sec.get('/api/v1/settings/security')).json();
    const res = await sec.request('PUT', '/api/v1/settings/security', { ...current, totpRequiredForStaff: 'yes' });
    expect(res.statusCode).toBe(400);
  });
});
