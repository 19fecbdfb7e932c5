/** The shortcut help and type labels: what `?` lists is what the code binds, in both languages. */
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/i18n/en.json';
import zh from '../../src/renderer/i18n/zh-CN.json';
import { typeLabelOf } from '../../src/renderer/document/type-label-of';
import { VIEWER_KEYS, viewerAction } from '../../src/renderer/document/viewer-keys';
import { shortcutGroups } from '../../src/renderer/shortcuts';

const lookup = (messages: unknown, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);

describe('shortcut help', () => {
  it('numbers the screens the user sees, and lists Ctrl+K, / and ? everywhere', () => {
    const everywhere = shortcutGroups(6)[0]!.shortcuts.flatMap((shortcut) => shortcut.keys);
    expect(everywhere).toEqual(['Alt+1 … Alt+6', 'Ctrl+K', '/', '?', 'F5', 'Alt+L']);
    expect(shortcutGroups(1)[0]!.shortcuts[0]!.keys).toEqual(['Alt+1']);
    expect(JSON.stringify(shortcutGroups(6))).not.toContain('Alt+1 … Alt+3');
    // Only nine Alt+digit keys exist, however many screens the menu has.
    expect(shortcutGroups(12)[0]!.shortcuts[0]!.keys).toEqual(['Alt+1 … Alt+9']);
  });

  it('lists every viewer key the viewer acts on (each key shown does something)', () => {
    const viewer = shortcutGroups(6).find((group) => group.where === 'keys.where.viewer')!;
    const shown = viewer.shortcuts.flatMap((shortcut) => shortcut.keys);
    for (const key of shown) expect(viewerAction({ key, ctrlKey: false, metaKey: false, altKey: false, target: null }), key).not.toBeNull();
    for (const keys of Object.values(VIEWER_KEYS)) expect(keys.some((key) => shown.includes(key))).toBe(true);
  });

  it('has words for every group and shortcut in English and Chinese', () => {
    for (const group of shortcutGroups(6)) {
      for (const key of [group.where, ...group.shortcuts.map((shortcut) => shortcut.what)]) {
        expect(typeof lookup(en, key), `en ${key}`).toBe('string');
        expect(typeof lookup(zh, key), `zh-CN ${key}`).toBe('string');
      }
    }
  });
});

describe('type labels', () => {
  const types = [{ code: 'signed_back', nameZh: '签回单', nameEn: 'Signed-back slip', keywords: [], requiredFields: [] }];
  it('shows a type by its name in the interface language, never the code when the type is known', () => {
    expect(typeLabelOf(types, 'zh-CN')('signed_back')).toBe('签回单');
    expect(typeLabelOf(types, 'en')('signed_back')).toBe('Signed-back slip');
    expect(typeLabelOf(types, 'en')(null)).toBe('');
    expect(typeLabelOf(types, 'en')('gone')).toBe('gone');
  });
});
