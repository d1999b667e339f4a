/** Cockpit figures as officials read them: 万亩 / 万m² / 亿元 for large values, percents with one decimal. */
import i18n from '../../app/i18n';
import type { Tile } from './api';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'zh-CN';
}

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

/** Value and unit of a tile, scaled as officials read them. */
export function tileFigure(tile: Pick<Tile, 'unit' | 'value' | 'key'>): { value: string; unit: string } {
  const u = (k: string) => i18n.t(`cockpit.unit.${k}`);
  const v = tile.value;
  if (v === null) return { value: '—', unit: '' };
  switch (tile.unit) {
    case 'mu':
      return v >= 10_000 ? { value: num(v / 10_000, 2), unit: u('wanMu') } : { value: num(v, 0), unit: u('mu') };
    case 'm2':
      return v >= 10_000 ? { value: num(v / 10_000, 0), unit: u('wanM2') } : { value: num(v, 0), unit: u('m2') };
    case 'wan':
      // projects.investmentYi comes from the projects KPIs in 亿元 already
      if (tile.key === 'projects.investmentYi') return { value: num(v, 1), unit: u('yi') };
      return v >= 10_000 ? { value: num(v / 10_000, 2), unit: u('yi') } : { value: num(v, 0), unit: u('wan') };
    case 'yuan':
      return v >= 100_000_000
        ? { value: num(v / 100_000_000, 2), unit: u('yi') }
        : v >= 10_000
          ? { value: num(v / 10_000, 1), unit: u('wanYuan') }
          : { value: num(v, 0), unit: u('yuan') };
    case 'percent':
      return { value: num(v, 1), unit: u('percent') };
    case 'count':
      return { value: num(v, 0), unit: '' };
    default:
      return { value: num(v, 0), unit: u(tile.unit) };
  }
}

export function tileText(tile: Pick<Tile, 'unit' | 'value' | 'key'>): string {
  const f = tileFigure(tile);
  return f.unit ? `${f.value} ${f.unit}` : f.value;
}

/** The module of a `module:detail` source. */
export const sourceModule = (source: string) => source.split(':')[0] ?? source;
