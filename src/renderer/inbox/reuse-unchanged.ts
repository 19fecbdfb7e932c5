/**
 * A list read again from the core arrives as new objects even where nothing changed. Handing the previous
 * object back for every unchanged entry lets memoised rows skip drawing: when OCR finishes one page of a
 * batch, one row of the Inbox draws again, not two hundred.
 */
export function reuseUnchanged<T>(previous: readonly T[] | null, next: T[], keyOf: (entry: T) => number): T[] {
  if (!previous) return next;
  const before = new Map(previous.map((entry) => [keyOf(entry), entry]));
  return next.map((entry) => {
    const old = before.get(keyOf(entry));
    return old !== undefined && JSON.stringify(old) === JSON.stringify(entry) ? old : entry;
  });
}
