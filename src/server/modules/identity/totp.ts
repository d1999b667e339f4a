/**
 * Second factor (security.md IA-04, issue #16, decision 0019): TOTP per RFC 6238 through `otpauth` (HMAC-SHA1,
 * 6 digits, 30 s, 160-bit seed), a window of ±1 step for clock drift, and single use: the last accepted time step is
 * stored per user and a code of that step or an earlier one is refused (ASVS 2.8.4/2.8.5).
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import type { FieldCipher } from '../../platform/field-cipher.ts';

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = '苗圃 Miaopu';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(base32: string, label = 'user') {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(base32),
  });
}

export function totpUri(base32: string, username: string): string {
  return totpOf(base32, username).toString();
}

/** An SVG QR code of the otpauth URI, drawn on the server (no network). */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The code for a time (tests and the demo use it; the server never shows codes). */
export function totpCode(base32: string, at: Date): string {
  return totpOf(base32).generate({ timestamp: at.getTime() });
}

/** The time step a code matches (±1 step), or null. */
export function matchStep(base32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const t = totpOf(base32);
  const delta = t.validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return t.counter({ timestamp: at.getTime() }) + delta;
}

export type TotpCheck = 'ok' | 'wrong' | 'replayed';

/**
 * Checks a code against the user's stored (encrypted) seed and, when it matches, records its step in one atomic
 * update that only succeeds if the step is newer than the last one used: two requests with one code cannot both pass.
 */
export async function consumeTotp(
  ex: Executor,
  cipher: FieldCipher,
  user: { id: string; totpSecret: string | null },
  code: string,
  at: Date,
): Promise<TotpCheck> {
  if (!user.totpSecret) return 'wrong';
  const step = matchStep(cipher.decrypt(user.totpSecret), code.trim(), at);
  if (step === null) return 'wrong';
  const updated = await ex
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return updated.length ? 'ok' : 'replayed';
}
