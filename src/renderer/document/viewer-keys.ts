/**
 * The page viewer's keys. They act only while the clerk is not typing: in a text field + and - are text,
 * PageUp/PageDown scroll the field.
 */

export type ViewerAction = 'next' | 'previous' | 'zoomIn' | 'zoomOut' | 'fitWidth' | 'fitPage' | 'turnView';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: unknown;
}

/** The keys as shown in tooltips; the same table decides what a key press does. */
export const VIEWER_KEYS: Record<ViewerAction, string[]> = {
  next: ['PageDown'],
  previous: ['PageUp'],
  zoomIn: ['+', '='],
  zoomOut: ['-', '_'],
  fitWidth: ['w', 'W'],
  fitPage: ['0'],
  turnView: ['r', 'R'],
};

interface ElementLike {
  tagName?: unknown;
  isContentEditable?: unknown;
  closest?: (selector: string) => unknown;
}

/** True when the key goes to something the clerk types into or operates (fields, menus, dialogs). */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as ElementLike;
  const tag = typeof element.tagName === 'string' ? element.tagName.toUpperCase() : '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || element.isContentEditable === true) return true;
  return typeof element.closest === 'function' && Boolean(element.closest('.ant-modal-wrap, .ant-select-dropdown, .ant-popover'));
}

export function viewerAction(event: KeyLike): ViewerAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return null;
  for (const [action, keys] of Object.entries(VIEWER_KEYS) as [ViewerAction, string[]][]) {
    if (keys.includes(event.key)) return action;
  }
  return null;
}
