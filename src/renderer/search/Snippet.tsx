/**
 * A search snippet with its matches highlighted. The core gives plain text plus [start, end) offsets (see
 * SearchSnippet); the parts are rendered as React text nodes only, so document text can never become markup.
 */
import type { SearchSnippet } from '../../shared/model';
import { snippetParts } from './snippet-parts';

export function Snippet({ snippet }: { snippet: SearchSnippet }) {
  return (
    <span className="snippet">
      {snippetParts(snippet).map((part) => (part.marked ? <mark key={part.start}>{part.text}</mark> : <span key={part.start}>{part.text}</span>))}
    </span>
  );
}
