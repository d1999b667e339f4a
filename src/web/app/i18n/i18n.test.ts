import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORG_KINDS, ROLES } from '../../../domain/access.ts';
import { RESOURCES } from './resources.ts';

type Tree = { [key: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Keys without plural suffixes: `total_one`/`total_other` → `total`. */
function baseKeys(map: Map<string, string>): Set<string> {
  return new Set([...map.keys()].map((k) => k.replace(PLURAL, '')));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(entry) && !entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const zh = flatten(RESOURCES['zh-CN'] as unknown as Tree);
const enMap = flatten(RESOURCES.en as unknown as Tree);
const webRoot = join(import.meta.dirname, '..', '..');

describe('UI strings', () => {
  it('zh-CN and en have the same keys', () => {
    expect([...baseKeys(enMap)].sort()).toEqual([...baseKeys(zh)].sort());
  });

  it('no translation is empty, and interpolations match', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of zh) {
      expect(value.trim(), key).not.toBe('');
      const enValue = enMap.get(key) ?? enMap.get(`${key}_other`);
      expect(enValue, key).toBeDefined();
      expect(vars(enValue ?? ''), key).toEqual(vars(value));
    }
  });

  it('every literal key used in the code exists', () => {
    const keys = baseKeys(zh);
    const missing: string[] = [];
    for (const file of sourceFiles(webRoot)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) {
        if (!keys.has(m[1])) missing.push(`${file}: ${m[1]}`);
      }
      for (const m of text.matchAll(/labelKey: '([\w.-]+)'/g)) {
        if (!keys.has(m[1])) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names every role and org kind of src/domain/access.ts in both languages', () => {
    for (const role of ROLES) {
      expect(zh.get(`roles.${role}`), role).toBeTruthy();
      expect(enMap.get(`roles.${role}`), role).toBeTruthy();
    }
    for (const kind of ORG_KINDS) {
      expect(zh.get(`orgKinds.${kind}`), kind).toBeTruthy();
      expect(enMap.get(`orgKinds.${kind}`), kind).toBeTruthy();
    }
  });

  it('Chinese is the default and the English UI has no Chinese characters except the language name', () => {
    for (const [key, value] of enMap) {
      if (key === 'lang.zh-CN') continue;
      expect(/[\u4e00-\u9fff]/.test(value), `${key}: ${value}`).toBe(false);
    }
  });
});
