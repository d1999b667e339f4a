/**
 * Password policy (pure). Source: ../shared/domain/security.md IA-01 (GB/T 22239-2019 §8.1.4.1 a;
 * GB/T 28448-2019 L3-CES1-01): length 12–128, at least 3 of 4 character classes, must not contain the
 * username, not a common weak password; expiry 90 days and a history of 5 are enforced by the service.
 * The 等保 complexity rule deviates from OWASP ASVS 2.1.9 on purpose (docs/decisions/0003-password-policy.md).
 */

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  minClasses: number;
  maxAgeDays: number;
  history: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 12,
  maxLength: 128,
  minClasses: 3,
  maxAgeDays: 90,
  history: 5,
};

/** A short list of the most common weak passwords and patterns (lower-cased). */
const WEAK = [
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'admin',
  'administrator',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '123456',
  '12345678',
  '123456789',
  '1234567890',
  '111111',
  '000000',
  '888888',
  '666666',
  'abc123',
  'iloveyou',
  'welcome',
  'letmein',
  'root',
  'woaini',
  'changeme',
];

export type PasswordViolation =
  | { code: 'too_short'; min: number }
  | { code: 'too_long'; max: number }
  | { code: 'too_few_classes'; min: number }
  | { code: 'contains_username' }
  | { code: 'weak' };

export function characterClasses(pw: string): number {
  let n = 0;
  if (/[a-z]/.test(pw)) n++;
  if (/[A-Z]/.test(pw)) n++;
  if (/[0-9]/.test(pw)) n++;
  if (/[^A-Za-z0-9]/.test(pw)) n++;
  return n;
}

export function checkPassword(pw: string, ctx: { username?: string }, policy: PasswordPolicy): PasswordViolation[] {
  const out: PasswordViolation[] = [];
  const len = [...pw].length;
  if (len < policy.minLength) out.push({ code: 'too_short', min: policy.minLength });
  if (len > policy.maxLength) out.push({ code: 'too_long', max: policy.maxLength });
  if (characterClasses(pw) < policy.minClasses) out.push({ code: 'too_few_classes', min: policy.minClasses });
  const lower = pw.toLowerCase();
  const user = ctx.username?.toLowerCase().trim();
  if (user && user.length >= 3 && lower.includes(user)) out.push({ code: 'contains_username' });
  const stripped = lower.replace(/[^a-z0-9@]/g, '');
  if (WEAK.some((w) => stripped === w || (w.length >= 6 && stripped.startsWith(w) && stripped.length - w.length <= 4)))
    out.push({ code: 'weak' });
  return out;
}

export function describeViolation(v: PasswordViolation, locale: 'zh-CN' | 'en'): string {
  const zh = locale === 'zh-CN';
  switch (v.code) {
    case 'too_short':
      return zh ? `长度至少 ${v.min} 位` : `at least ${v.min} characters`;
    case 'too_long':
      return zh ? `长度不超过 ${v.max} 位` : `at most ${v.max} characters`;
    case 'too_few_classes':
      return zh
        ? `至少包含大写字母、小写字母、数字、符号中的 ${v.min} 类`
        : `use at least ${v.min} of: upper case, lower case, digits, symbols`;
    case 'contains_username':
      return zh ? '不能包含用户名' : 'must not contain the username';
    case 'weak':
      return zh ? '过于常见，容易被猜中' : 'too common, easy to guess';
  }
}

/** True when a password set at `changedAt` has expired under the policy (0 = never). */
export function passwordExpired(changedAt: Date, now: Date, policy: PasswordPolicy): boolean {
  if (policy.maxAgeDays <= 0) return false;
  return now.getTime() - changedAt.getTime() > policy.maxAgeDays * 86_400_000;
}
