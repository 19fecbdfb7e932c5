/**
 * The UI's two languages are complete: same keys, no empty strings, the same {{placeholders}} in each
 * translation, and every error code of the contract has a translation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/shared/errors';

type Tree = { [key: string]: string | Tree };
const load = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'renderer', 'i18n', name), 'utf8')) as Tree;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [inner, text] of flatten(value, `${prefix}${key}.`)) out.set(inner, text);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();

describe('UI strings', () => {
  const zh = flatten(load('zh-CN.json'));
  const en = flatten(load('en.json'));

  it('have the same keys in zh-CN and en, none empty', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of [...zh, ...en]) expect(text.trim(), key).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of zh) expect(placeholders(text), key).toEqual(placeholders(en.get(key) ?? ''));
  });

  it('translate every error code the contract can return', () => {
    for (const code of ERROR_CODES) {
      expect(zh.has(`errors.${code}`), code).toBe(true);
      expect(en.has(`errors.${code}`), code).toBe(true);
    }
  });
});
