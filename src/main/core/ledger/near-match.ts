/**
 * Edit distance with a ceiling: only the diagonal band of width 2·max+1 is computed, and the walk stops as
 * soon as every cell of a row exceeds the ceiling, so comparing one slip number with a hundred thousand
 * open rows stays cheap. Counts Unicode code points, as extract/levenshtein.ts does.
 */
export function withinDistance(a: string, b: string, max: number): number | null {
  const left = Array.from(a);
  const right = Array.from(b);
  if (Math.abs(left.length - right.length) > max) return null;
  const outside = max + 1;
  let previous = Array.from({ length: right.length + 1 }, (_, j) => (j <= max ? j : outside));
  for (let i = 1; i <= left.length; i += 1) {
    const current = new Array<number>(right.length + 1).fill(outside);
    current[0] = i <= max ? i : outside;
    let best = current[0];
    const from = Math.max(1, i - max);
    const to = Math.min(right.length, i + max);
    for (let j = from; j <= to; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution, outside);
      if (current[j]! < best) best = current[j]!;
    }
    if (best > max) return null;
    previous = current;
  }
  const distance = previous[right.length]!;
  return distance <= max ? distance : null;
}
