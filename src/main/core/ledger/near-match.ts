/**
 * Edit distance with a ceiling: only the diagonal band of width 2·max+1 is computed, and the walk stops as
 * soon as every cell of a row exceeds the ceiling, so comparing one slip number with a hundred thousand
 * open rows stays cheap (most differ within their first few characters). Counts Unicode code points, as
 * extract/levenshtein.ts does; a string without surrogate pairs is compared by index without splitting it.
 */
const SURROGATE = /[\uD800-\uDFFF]/;

const codePoints = (text: string): ArrayLike<string> => (SURROGATE.test(text) ? Array.from(text) : text);

export function withinDistance(a: string, b: string, max: number): number | null {
  const left = codePoints(a);
  const right = codePoints(b);
  if (Math.abs(left.length - right.length) > max) return null;
  const outside = max + 1;
  let previous = new Int32Array(right.length + 1);
  let current = new Int32Array(right.length + 1);
  for (let j = 0; j <= right.length; j += 1) previous[j] = j <= max ? j : outside;
  for (let i = 1; i <= left.length; i += 1) {
    current.fill(outside);
    current[0] = i <= max ? i : outside;
    let best = current[0]!;
    const from = Math.max(1, i - max);
    const to = Math.min(right.length, i + max);
    for (let j = from; j <= to; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution, outside);
      current[j] = cell;
      if (cell < best) best = cell;
    }
    if (best > max) return null;
    [previous, current] = [current, previous];
  }
  const distance = previous[right.length]!;
  return distance <= max ? distance : null;
}
