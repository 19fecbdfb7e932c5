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
