/** Splits a search snippet's text at its [start, end) marks; overlapping or empty marks are skipped. */
import type { SearchSnippet } from '../../shared/model';

export interface SnippetPart {
  text: string;
  marked: boolean;
  start: number;
}

export function snippetParts(snippet: SearchSnippet): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let at = 0;
  const marks = [...snippet.marks].sort((a, b) => a[0] - b[0]);
  for (const [start, end] of marks) {
    if (start < at || end <= start) continue;
    if (start > at) parts.push({ text: snippet.text.slice(at, start), marked: false, start: at });
    parts.push({ text: snippet.text.slice(start, end), marked: true, start });
    at = end;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), marked: false, start: at });
  return parts;
}
