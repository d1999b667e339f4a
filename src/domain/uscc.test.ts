import { describe, expect, it } from 'vitest';
import { normalizeUscc, orgCodeCheckChar, registrationNumberValid, usccCheckChar, validateUscc } from './uscc.ts';

describe('USCC check character (rules.md §1.4)', () => {
  it("the standard's worked example 91350100M000100Y4 → 3", () => {
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(validateUscc('91350100M000100Y43').valid).toBe(true);
  });
  it('Huawei 914403001922038216 (S = 831 → 6)', () => {
    expect(usccCheckChar('91440300192203821')).toBe('6');
    expect(validateUscc('914403001922038216')).toMatchObject({ valid: true, warnings: [] });
  });
  it('Tencent with X at position 17', () => {
    expect(validateUscc('9144030071526726XG')).toMatchObject({ valid: true, warnings: [] });
    expect(orgCodeCheckChar('71526726')).toBe('X');
  });
  it('S mod 31 = 0 gives check character 0, not an index past the end', () => {
    expect(usccCheckChar('91410100MA000020X')).toBe('0');
  });
  it.each([
    '91440300708461136T',
    '91440300192317458F',
    '91100000100003962T',
    '91110000710926094P',
    '91110108551385082Q',
    '91330100799655058B',
  ])('public valid code %s', (c) => {
    expect(validateUscc(c).valid).toBe(true);
  });
});

describe('USCC validation levels (rules.md §1.6, §1.8)', () => {
  it('normalises trim, full-width and case', () => {
    expect(normalizeUscc(' ９１４４０３００７０８４６１１３６ｔ ')).toBe('91440300708461136T');
    expect(validateUscc('91440300708461136t').valid).toBe(true);
  });
  it.each([
    ['914403001922038217', 'check_char'],
    ['914403001922083216', 'check_char'],
    ['9144O30071526726XG', 'charset'],
    ['91440300708461136', 'length'],
    ['91350100M000100Y4Z', 'charset'],
    ['91AB0300708461136T', 'division_digits'],
  ])('%s is invalid (%s)', (code, error) => {
    const r = validateUscc(code);
    expect(r.valid).toBe(false);
    expect(r.errors).toContain(error);
  });
  it('names the expected check character', () => {
    expect(validateUscc('914403001922083216').expectedCheckChar).toBe('X');
  });
  it('a failing organisation-code check is a warning, not an error', () => {
    const r = validateUscc('914403001922038229');
    expect(r.valid).toBe(true);
    expect(r.warnings).toContain('org_code_check');
  });
  it('unknown authority/category pairs and divisions warn', () => {
    expect(validateUscc('914403001922038216', (d) => d !== '440300').warnings).toContain('unknown_division');
    const code = `B1440300192203821`;
    const check = usccCheckChar(code)!;
    expect(validateUscc(code + check).warnings).toContain('unknown_authority_category');
  });
});

describe('old 15-digit 工商注册号 (rules.md §1.6 step 4)', () => {
  it('checks ISO 7064 MOD 11,10 on the two verified examples', () => {
    expect(registrationNumberValid('440301103448669')).toBe(true);
    expect(registrationNumberValid('110108012660422')).toBe(true);
    expect(registrationNumberValid('440301103448668')).toBe(false);
    expect(registrationNumberValid('44030110344866')).toBe(false);
  });
  it('is never a valid USCC, but is named as what it is', () => {
    const r = validateUscc('440301103448669');
    expect(r.valid).toBe(false);
    expect(r.errors).toContain('length');
    expect(r.warnings).toEqual(['registration_number']);
    expect(validateUscc('440301103448668').warnings).toEqual([]);
  });
});
