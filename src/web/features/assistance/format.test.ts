import { describe, expect, it } from 'vitest';
import { categoryLabel, countdown, pct } from './format';

describe('assistance web helpers', () => {
  it('pct shows a 0..1 ratio with one decimal, or a dash', () => {
    expect(pct(0.9977)).toBe('99.8%');
    expect(pct(1669 / 1693)).toBe('98.6%');
    expect(pct(0.9858, 2)).toBe('98.58%');
    expect(pct(null)).toBe('—');
    expect(pct(undefined)).toBe('—');
  });

  it('countdown counts whole days and hours to the due time, negative when overdue', () => {
    const now = Date.parse('2026-11-23T08:00:00+08:00');
    expect(countdown('2026-11-25T23:59:59.999+08:00', now)).toMatchObject({ days: 2, hours: 15 });
    const late = countdown('2026-11-22T20:00:00+08:00', now)!;
    expect(late.ms).toBeLessThan(0);
    expect(late).toMatchObject({ days: 0, hours: 12 });
    expect(countdown(null, now)).toBeNull();
    expect(countdown('not a date', now)).toBeNull();
  });

  it('categoryLabel reads the server label object, then falls back to our own key', () => {
    const fallback = (code: string) => `fallback:${code}`;
    const c = { code: 'labour', label: { 'zh-CN': '用工', en: 'Labour' } };
    expect(categoryLabel(c, 'zh-CN', fallback)).toBe('用工');
    expect(categoryLabel(c, 'en', fallback)).toBe('Labour');
    expect(categoryLabel({ code: 'x' }, 'en', fallback)).toBe('fallback:x');
    expect(categoryLabel(undefined, 'en', fallback)).toBe('');
  });
});
