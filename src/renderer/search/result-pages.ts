/**
 * Which pages of a long result list to load for the rows on screen: results come from `search:query` by
 * offset, a page at a time, so scrolling anywhere in 100,000 results loads only what is near the viewport.
 */
export const RESULT_PAGE_SIZE = 50;

/** Page numbers covering rows first..last (inclusive) that are neither loaded nor being loaded. */
export function pagesToLoad(first: number, last: number, known: ReadonlySet<number>, pageSize = RESULT_PAGE_SIZE): number[] {
  if (last < first) return [];
  const pages: number[] = [];
  for (let page = Math.floor(first / pageSize); page <= Math.floor(last / pageSize); page += 1) {
    if (!known.has(page)) pages.push(page);
  }
  return pages;
}
