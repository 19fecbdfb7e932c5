/** The Inbox's multi-select for batch filing (src/renderer/inbox/selection.ts): Ctrl+click / Space, Shift+click, Shift+↑/↓. */
import { describe, expect, it } from 'vitest';
import { extended, pickedInOrder, ranged, toggled } from '../../src/renderer/inbox/selection';

const ORDER = [11, 12, 13, 14, 15];

describe('inbox selection', () => {
  it('Ctrl+click starts from the current document, then adds and drops one at a time', () => {
    const first = toggled(new Set(), 11, 13);
    expect([...first].sort()).toEqual([11, 13]);
    expect([...toggled(first, 13, 11)]).toEqual([13]);
    // Space on the list toggles the current document alone.
    expect([...toggled(new Set(), null, 12)]).toEqual([12]);
  });

  it('Shift+click picks the run between the current document and the clicked one, either way', () => {
    expect([...ranged(ORDER, 12, 14)]).toEqual([12, 13, 14]);
    expect([...ranged(ORDER, 14, 12)]).toEqual([12, 13, 14]);
    expect([...ranged(ORDER, null, 14)]).toEqual([14]);
    expect([...ranged(ORDER, 12, 99)]).toEqual([]);
  });

  it('Shift+↑/↓ walk and pick, and stop at either end of the list', () => {
    const down = extended(ORDER, new Set(), 13, 1);
    expect(down.current).toBe(14);
    expect([...down.selected].sort()).toEqual([13, 14]);
    const up = extended(ORDER, down.selected, 11, -1);
    expect(up.current).toBe(11);
    expect([...up.selected].sort()).toEqual([13, 14]);
  });

  it('lists what is picked in list order, dropping documents no longer listed', () => {
    expect(pickedInOrder(ORDER, new Set([15, 11, 99]))).toEqual([11, 15]);
  });
});
