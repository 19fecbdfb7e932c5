/** A list read again keeps the previous object of every unchanged entry, so memoised rows skip drawing. */
import { describe, expect, it } from 'vitest';
import { reuseUnchanged } from '../../src/renderer/inbox/reuse-unchanged';

interface Row {
  id: number;
  title: string;
  pages: { done: number; total: number };
}

const row = (id: number, done = 0): Row => ({ id, title: `slip-${id}`, pages: { done, total: 1 } });
const byId = (entry: Row) => entry.id;

describe('reuseUnchanged', () => {
  it('hands back the previous object of each entry that is equal, and the new one where it changed', () => {
    const before = [row(1), row(2), row(3)];
    const after = reuseUnchanged(before, [row(1), row(2, 1), row(3)], byId);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]).toEqual(row(2, 1));
    expect(after[2]).toBe(before[2]);
  });

  it('follows the new order, and takes new entries as they come', () => {
    const before = [row(1), row(2)];
    const after = reuseUnchanged(before, [row(3), row(2), row(1)], byId);
    expect(after.map(byId)).toEqual([3, 2, 1]);
    expect(after[1]).toBe(before[1]);
    expect(after[2]).toBe(before[0]);
  });

  it('takes the new list as it is when there was none before', () => {
    const next = [row(1)];
    expect(reuseUnchanged(null, next, byId)).toBe(next);
  });
});
