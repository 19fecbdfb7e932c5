/**
 * Every keyboard shortcut the interface binds, grouped by where it works, for the help on `?` and the
 * Settings card. Written next to what binds them: App.tsx (screens, F5, Alt+L, `?`), GlobalSearch.tsx
 * (Ctrl+K, /), ResultList.tsx and ArchiveScreen.tsx (↑/↓/Enter), DocumentDrawer.tsx and MetadataForm.tsx
 * (Esc, Ctrl+S), viewer-keys.ts (the viewer), FilingForm.tsx and InboxScreen.tsx (the Inbox).
 */
import { createContext } from 'react';
import { VIEWER_KEYS, type ViewerAction } from './document/viewer-keys';

export interface Shortcut {
  /** Alternatives, each shown as one key cap ("Ctrl+K", "/"). */
  keys: string[];
  /** i18n key of what it does. */
  what: string;
}

export interface ShortcutGroup {
  /** i18n key of where it works. */
  where: string;
  shortcuts: Shortcut[];
}

const VIEWER_ORDER: ViewerAction[] = ['next', 'previous', 'zoomIn', 'zoomOut', 'fitWidth', 'fitPage', 'turnView'];
/** The viewer's table lists shifted twins (= for +, W for w) that need not be shown twice. */
const viewerKeys = (action: ViewerAction) => VIEWER_KEYS[action].filter((key) => !['=', '_', 'W', 'R'].includes(key));

/** `screens`: how many screens the menu shows this user (Alt+1 … Alt+N). */
export function shortcutGroups(screens: number): ShortcutGroup[] {
  return [
    {
      where: 'keys.where.everywhere',
      shortcuts: [
        // Only Alt+1 … Alt+9 exist; screens further down the menu are reached by the menu.
        { keys: [screens > 1 ? `Alt+1 … Alt+${Math.min(screens, 9)}` : 'Alt+1'], what: 'keys.screens' },
        { keys: ['Ctrl+K', '/'], what: 'keys.find' },
        { keys: ['?'], what: 'keys.help' },
        { keys: ['F5'], what: 'keys.refresh' },
        { keys: ['Alt+L'], what: 'keys.language' },
      ],
    },
    {
      where: 'keys.where.results',
      shortcuts: [
        { keys: ['↑', '↓'], what: 'keys.walk' },
        { keys: ['Enter'], what: 'keys.open' },
        { keys: ['Esc'], what: 'keys.closeList' },
      ],
    },
    {
      where: 'keys.where.archive',
      shortcuts: [
        { keys: ['↑', '↓'], what: 'keys.walk' },
        { keys: ['Enter'], what: 'keys.open' },
      ],
    },
    {
      where: 'keys.where.inbox',
      shortcuts: [
        { keys: ['Enter'], what: 'keys.accept' },
        { keys: ['↑', '↓'], what: 'keys.fields' },
        { keys: ['Ctrl+Enter'], what: 'keys.fileAccepted' },
        // Batch filing (issue 19 item 6): InboxScreen.tsx, selection.ts, BatchFileDialog.tsx.
        { keys: ['Shift+↑', 'Shift+↓'], what: 'inboxBatch.keys.extend' },
        { keys: ['Space'], what: 'inboxBatch.keys.toggle' },
        { keys: ['Ctrl+Shift+Enter'], what: 'inboxBatch.keys.file' },
      ],
    },
    {
      where: 'keys.where.document',
      shortcuts: [
        { keys: ['Ctrl+S'], what: 'keys.save' },
        { keys: ['Esc'], what: 'keys.close' },
        { keys: ['Ctrl+Enter'], what: 'keys.saveText' },
      ],
    },
    {
      where: 'keys.where.viewer',
      shortcuts: VIEWER_ORDER.map((action) => ({ keys: viewerKeys(action), what: `keys.viewer.${action}` })),
    },
  ];
}

/** How many screens the menu shows, from the shell to whatever lists the shortcuts. */
export const ScreenCountContext = createContext(1);
