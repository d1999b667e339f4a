/**
 * 统一社会信用代码 (USCC), GB 32100-2015, with the embedded 组织机构代码 check of GB 11714-1997.
 * Source: ../shared/domain/rules.md §1 (charset §1.2, authority × category §1.3, check character §1.4,
 * organisation-code check §1.5, validation levels §1.6). Hard errors block; warnings do not (§1.6 step 3).
 */

/** §1.2: 31 characters, I O S V Z excluded; the index is the value. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** §1.4: W_i = 3^(i−1) mod 31. */
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** §1.5: GB 11714 weights. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** §1.3: known 登记管理部门码 → 机构类别码. Unknown pairs are a warning, never an error. */
export const AUTHORITY_CATEGORIES: Record<string, string> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

/** §1.6 step 1: trim, full-width → half-width, upper case. */
export function normalizeUscc(raw: string): string {
  return raw
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, '')
    .toUpperCase();
}

/** §1.4: the check character for the first 17 characters, or null if one is outside the charset. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** §1.5: the GB 11714 check character of an 8-character organisation-code body (A=10 … Z=35). */
export function orgCodeCheckChar(body8: string): string | null {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i] ?? '';
    const v = /[0-9]/.test(ch) ? Number(ch) : /[A-Z]/.test(ch) ? ch.charCodeAt(0) - 55 : -1;
    if (v < 0) return null;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export type UsccError = 'length' | 'charset' | 'division_digits' | 'check_char';
export type UsccWarning =
  | 'org_code_check'
  | 'unknown_authority_category'
  | 'unknown_division'
  /** §1.6 step 4: the input is a valid old 15-digit 工商注册号, a different identifier (never valid as a USCC). */
  | 'registration_number';

export interface UsccResult {
  normalized: string;
  valid: boolean;
  errors: UsccError[];
  warnings: UsccWarning[];
  /** Expected check character when only the check failed. */
  expectedCheckChar?: string;
}

/**
 * §1.6 step 4: the ISO 7064 MOD 11,10 check (GB/T 17710) of an old 15-digit 工商注册号 (pre-2015 business licence
 * number), e.g. 440301103448669. Such a number is a different identifier from the USCC.
 */
export function registrationNumberValid(code: string): boolean {
  if (!/^\d{15}$/.test(code)) return false;
  let p = 10;
  for (let i = 0; i < 14; i++) {
    let t = ((p % 11) + Number(code[i])) % 10;
    if (t === 0) t = 10;
    p = 2 * t;
  }
  return ((p % 11) + Number(code[14])) % 10 === 1;
}

/**
 * Validates per §1.6. `knownDivision` (optional) tells whether positions 3–8 are a division code we know;
 * an unknown one is a warning (codes get retired).
 */
export function validateUscc(raw: string, knownDivision?: (code: string) => boolean): UsccResult {
  const code = normalizeUscc(raw);
  const errors: UsccError[] = [];
  const warnings: UsccWarning[] = [];
  if (code.length !== 18) errors.push('length');
  if ([...code].some((c) => !USCC_CHARSET.includes(c))) errors.push('charset');
  if (code.length >= 8 && !/^\d{6}$/.test(code.slice(2, 8))) errors.push('division_digits');
  let expectedCheckChar: string | undefined;
  if (!errors.includes('length') && !errors.includes('charset')) {
    const expected = usccCheckChar(code.slice(0, 17));
    if (expected !== code[17]) {
      errors.push('check_char');
      expectedCheckChar = expected ?? undefined;
    }
  }
  if (registrationNumberValid(code)) warnings.push('registration_number');
  if (code.length === 18 && !errors.includes('charset')) {
    if (orgCodeCheckChar(code.slice(8, 16)) !== code[16]) warnings.push('org_code_check');
    const cats = AUTHORITY_CATEGORIES[code[0]!];
    if (!cats?.includes(code[1]!)) warnings.push('unknown_authority_category');
    const division = code.slice(2, 8);
    if (knownDivision && /^\d{6}$/.test(division) && division !== '100000' && !knownDivision(division))
      warnings.push('unknown_division');
  }
  return {
    normalized: code,
    valid: errors.length === 0,
    errors,
    warnings,
    ...(expectedCheckChar ? { expectedCheckChar } : {}),
  };
}
