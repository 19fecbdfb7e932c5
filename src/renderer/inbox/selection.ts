/**
 * The Inbox's multi-select for batch filing (issue 19 item 6), free of React: which documents are picked
 * besides the current one. Ctrl/Cmd+click and Space pick or drop one, Shift+click picks a run from the
 * current item, Shift+↑/↓ walk and pick as they go. The current item counts as picked as soon as anything
 * else is, as in a file manager where the highlighted row is part of what Ctrl+click adds to.
 */

/** Document ids in list order. */
export type ListOrder = readonly number[];

/** What a Ctrl/Cmd+click or Space does: the item in or out, starting from the current one when nothing is picked. */
export function toggled(selected: ReadonlySet<number>, current: number | null, id: number): Set<number> {
  const next = new Set(selected.size === 0 && current !== null ? [current] : selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** What a Shift+click does: every item between the current one and the clicked one, both included. */
export function ranged(order: ListOrder, current: number | null, id: number): Set<number> {
  const to = order.indexOf(id);
  const from = current === null ? -1 : order.indexOf(current);
  if (to < 0) return new Set();
  if (from < 0) return new Set([id]);
  const [low, high] = from <= to ? [from, to] : [to, from];
  return new Set(order.slice(low, high + 1));
}

/** What Shift+↑ (step −1) or Shift+↓ (step 1) does: the next item becomes current and is picked with the current one. */
export function extended(
  order: ListOrder,
  selected: ReadonlySet<number>,
  current: number | null,
  step: 1 | -1,
): { selected: Set<number>; current: number | null } {
  const index = current === null ? -1 : order.indexOf(current);
  const nextIndex = index + step;
  if (index < 0 || nextIndex < 0 || nextIndex >= order.length) return { selected: new Set(selected), current };
  const next = order[nextIndex]!;
  return { selected: new Set([...selected, current!, next]), current: next };
}

/** The picked ids still in the list, in list order (filed or removed documents drop out). */
export function pickedInOrder(order: ListOrder, selected: ReadonlySet<number>): number[] {
  return order.filter((id) => selected.has(id));
}
