/** Builds query-language text for a facet click: field values with spaces or quotes are quoted. */
export type FacetField = 'customer' | 'type' | 'year';

function quoted(value: string): string {
  return /[\s"]/u.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

export function facetFilter(field: FacetField, value: string): string {
  if (field === 'year') return `date:${value}`;
  return `${field}:${quoted(value)}`;
}

/** Appends a filter unless the query already has it. */
export function addFilter(query: string, filter: string): string {
  const trimmed = query.trim();
  if (trimmed.split(/\s+/u).includes(filter)) return trimmed;
  return trimmed ? `${trimmed} ${filter}` : filter;
}

/**
 * The word being typed at the end of the query (what `search:suggest` completes): the text after the last
 * space outside quotes. `start` is where it begins, so a suggestion can replace it.
 */
export function wordBeingTyped(query: string): { word: string; start: number } {
  let start = 0;
  let inQuotes = false;
  for (let at = 0; at < query.length; at += 1) {
    const char = query[at]!;
    if (char === '"') inQuotes = !inQuotes;
    else if (!inQuotes && /\s/u.test(char)) start = at + 1;
  }
  return { word: query.slice(start), start };
}

/** The query with the word being typed replaced by a suggestion; a space follows unless it is a bare field name. */
export function applySuggestion(query: string, insert: string): string {
  const { start } = wordBeingTyped(query);
  const negated = query[start] === '-' ? '-' : '';
  return `${query.slice(0, start)}${negated}${insert}${insert.endsWith(':') ? '' : ' '}`;
}
