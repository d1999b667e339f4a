/**
 * Personal-data checks and masks. 身份证号 check digit per GB 11643-1999 (ISO 7064 MOD 11-2: weights
 * 2^(17−i) mod 11, check = (12 − Σ mod 11) mod 11, 10 → X); mobile numbers ^1[3-9]\d{9}$ (security.md IP-04);
 * masks per security.md PIPL-01: phone 138****5678, ID 110101********1234, name 张*.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function idCardCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** 18-digit resident ID: format, a real calendar date of birth, and the check digit. */
export function validIdCard(raw: string): boolean {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  return idCardCheckChar(id.slice(0, 17)) === id[17];
}

export function validMobile(raw: string): boolean {
  return /^1[3-9]\d{9}$/.test(raw.trim());
}

export function maskMobile(v: string): string {
  return v.length === 11 ? `${v.slice(0, 3)}****${v.slice(7)}` : '****';
}

export function maskIdCard(v: string): string {
  return v.length === 18 ? `${v.slice(0, 6)}********${v.slice(14)}` : '****';
}

export function maskName(v: string): string {
  const chars = [...v];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
