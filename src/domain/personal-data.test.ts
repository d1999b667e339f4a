import { describe, expect, it } from 'vitest';
import { idCardCheckChar, maskIdCard, maskMobile, maskName, validIdCard, validMobile } from './personal-data.ts';

describe('GB 11643 check digit', () => {
  it('computes the standard example 11010519491231002X', () => {
    expect(idCardCheckChar('11010519491231002')).toBe('X');
    expect(validIdCard('11010519491231002X')).toBe(true);
    expect(validIdCard('11010519491231002x')).toBe(true);
  });
  it('rejects a wrong check digit, an impossible date and bad formats', () => {
    expect(validIdCard('110105194912310021')).toBe(false);
    expect(validIdCard('11010519490231002X')).toBe(false);
    expect(validIdCard('1101051949123100')).toBe(false);
  });
});

describe('masks (security.md PIPL-01)', () => {
  it('masks phones, ID numbers and names', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskIdCard('11010519491231002X')).toBe('110105********002X');
    expect(maskName('张三丰')).toBe('张**');
    expect(validMobile('13812345678')).toBe(true);
    expect(validMobile('12812345678')).toBe(false);
  });
});
