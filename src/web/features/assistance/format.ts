/** Pure helpers of the assistance pages (no browser or network dependencies, unit-tested in format.test.ts). */

export interface Category {
  code: string;
  label?: string | { zh?: string; en?: string; 'zh-CN'?: string };
  labelZh?: string;
  labelEn?: string;
  zh?: string;
  en?: string;
  defaultOrgId?: string | null;
  defaultOrgName?: string | null;
}

/** The display label of a category in the current language (server label first, then our own i18n key). */
export function categoryLabel(c: Category | undefined, lang: string, fallback: (code: string) => string): string {
  if (!c) return '';
  const en = lang === 'en';
  if (typeof c.label === 'string') return en ? (c.labelEn ?? fallback(c.code)) : c.label;
  if (c.label && typeof c.label === 'object') {
    const v = en ? c.label.en : (c.label.zh ?? c.label['zh-CN']);
    if (v) return v;
  }
  const v = en ? (c.labelEn ?? c.en) : (c.labelZh ?? c.zh);
  return v ?? fallback(c.code);
}

/** Ratio 0..1 as a percentage with one decimal ("99.8%"), or "—". */
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** Whole days (and hours under a day) from now to a due date; negative when overdue. */
export function countdown(
  dueAt: string | null | undefined,
  now = Date.now(),
): { ms: number; days: number; hours: number } | null {
  if (!dueAt) return null;
  const due = new Date(dueAt).getTime();
  if (Number.isNaN(due)) return null;
  const ms = due - now;
  const abs = Math.abs(ms);
  return { ms, days: Math.floor(abs / 86_400_000), hours: Math.floor((abs % 86_400_000) / 3_600_000) };
}
