/** New page orders for `pages:reorder`, from a move button or a drag in the page strip. */

/**
 * The ids with `movedId` taken out and put at `targetIndex` of the result (clamped to the list), or null
 * when the order would not change (or the id is not in the list).
 */
export function reorderedIds(ids: readonly number[], movedId: number, targetIndex: number): number[] | null {
  const from = ids.indexOf(movedId);
  if (from < 0) return null;
  const rest = ids.filter((id) => id !== movedId);
  const to = Math.min(Math.max(Math.trunc(targetIndex), 0), rest.length);
  if (to === from) return null;
  return [...rest.slice(0, to), movedId, ...rest.slice(to)];
}
