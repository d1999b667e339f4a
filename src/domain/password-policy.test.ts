import { describe, expect, it } from 'vitest';
import { characterClasses, checkPassword, DEFAULT_PASSWORD_POLICY, passwordExpired } from './password-policy.ts';

const codes = (pw: string, username?: string) =>
  checkPassword(pw, { username }, DEFAULT_PASSWORD_POLICY).map((v) => v.code);

describe('password policy (security.md IA-01)', () => {
  it('accepts a 12+ character password with 3 classes', () => {
    expect(codes('Miaopu#2026demo')).toEqual([]);
    expect(codes('zhengzhou2026PARK')).toEqual([]);
  });
  it('rejects short, single-class and two-class passwords', () => {
    expect(codes('Ab#1')).toContain('too_short');
    expect(codes('abcdefghijklmnop')).toContain('too_few_classes');
    expect(codes('abcdefghijklmn12')).toContain('too_few_classes');
  });
  it('rejects passwords that contain the username, case-insensitively', () => {
    expect(codes('City.Admin#2026x', 'city.admin')).toContain('contains_username');
  });
  it('rejects common weak passwords with decorations', () => {
    expect(codes('P@ssw0rd2026!')).toContain('weak');
    expect(codes('Qwertyuiop12#')).toContain('weak');
  });
  it('counts character classes', () => {
    expect(characterClasses('aA1#')).toBe(4);
    expect(characterClasses('汉字abc')).toBe(2);
  });
  it('expires after 90 days, never with 0', () => {
    const changed = new Date('2026-01-01T00:00:00Z');
    expect(passwordExpired(changed, new Date('2026-03-31T00:00:00Z'), DEFAULT_PASSWORD_POLICY)).toBe(false);
    expect(passwordExpired(changed, new Date('2026-04-02T00:00:00Z'), DEFAULT_PASSWORD_POLICY)).toBe(true);
    expect(passwordExpired(changed, new Date('2030-01-01'), { ...DEFAULT_PASSWORD_POLICY, maxAgeDays: 0 })).toBe(false);
  });
});
