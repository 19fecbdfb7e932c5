/**
 * The PostgreSQL form of the search index's tokens: the same tokens as the FTS5 index (text-units.ts: CJK
 * bigrams and run-final characters, normalised Latin and digit words), written as tsvector and tsquery text
 * directly, so PostgreSQL's own parser and dictionaries never touch them and both back ends match the same.
 *
 * - Each token keeps its position, so a term is a phrase of consecutive tokens (`<->`), as an FTS5 phrase.
 * - The `everything` vector holds every column's tokens with a gap of one position between columns, so no
 *   phrase runs from one column into the next (FTS5 matches phrases within a column).
 * - tsvector positions stop at 16,383 and a lexeme at 2,046 bytes; a longer token is cut the same way in
 *   documents and queries (docs/server-postgres.md says what that leaves).
 */
import type { CompiledTerm } from './highlight';
import { customerText } from './pg-search-hits';
import { encodeForIndex, encodeTerm } from './text-units';

/** PostgreSQL's largest lexeme, in bytes, less room for a multi-byte character cut in half. */
const MAX_LEXEME_BYTES = 2040;

function lexeme(token: string): string {
  let text = token;
  while (Buffer.byteLength(text) > MAX_LEXEME_BYTES) text = text.slice(0, -1);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The token positions of one column, starting after `offset`. */
function positionsOf(text: string, offset: number, into: Map<string, number[]>): number {
  const tokens = encodeForIndex(text)
    .split(' ')
    .filter((token) => token.length > 0);
  tokens.forEach((token, index) => {
    const positions = into.get(token);
    if (positions) positions.push(offset + index + 1);
    else into.set(token, [offset + index + 1]);
  });
  return offset + tokens.length;
}

function render(positions: Map<string, number[]>): string {
  return [...positions].map(([token, at]) => `${lexeme(token)}:${at.join(',')}`).join(' ');
}

/** One column's tsvector text. */
export function columnVector(text: string): string {
  const positions = new Map<string, number[]>();
  positionsOf(text, 0, positions);
  return render(positions);
}

/**
 * A document's status as a lexeme of its own. '§' is neither a letter nor a digit, so no text ever yields
 * this token and a word like "voided" in the text never counts as the status (the status is also indexed
 * as an ordinary word, because FTS5's `state` column lets a plain "voided" match it).
 */
export function statusLexeme(status: string): string {
  return `§${status}`;
}

/**
 * The tsvector text of several columns in one vector, each column's positions apart from the next, and the
 * document's status marker after them.
 */
export function combinedVector(columns: string[], status: string): string {
  const positions = new Map<string, number[]>();
  let offset = 0;
  for (const text of columns) offset = positionsOf(text, offset, positions) + 1;
  positions.set(statusLexeme(status), [offset + 1]);
  return render(positions);
}

/** What of a document goes into its search_index row's vectors. */
export interface IndexedText {
  title: string;
  notes: string;
  slipNo: string | null;
  signer: string | null;
  status: string;
  customer: string | null;
  aliases: string[] | null;
  tags: string[];
  pages: (string | null)[];
}

/**
 * The row's five vectors in search_index's column order (everything, customer, slip, signer, tags): one
 * function for PgSearchIndex and the synchronous archive's write path, which must write the same rows.
 */
export function indexVectors(text: IndexedText): [string, string, string, string, string] {
  const customer = customerText(text.customer, text.aliases);
  const body = [text.notes, ...text.pages.map((page) => page ?? '')].join('\n');
  const tags = text.tags.join('\n');
  return [
    combinedVector([text.title, body, customer, text.slipNo ?? '', text.signer ?? '', tags, text.status], text.status),
    columnVector(customer),
    columnVector(text.slipNo ?? ''),
    columnVector(text.signer ?? ''),
    columnVector(tags),
  ];
}

/**
 * The statuses a document may have, as one tsquery. Written as an inclusion, never as `!`: a query of
 * plain lexemes is answered by the GIN index alone, without reading each matching row to recheck it.
 */
export function statusQuery(statuses: readonly string[]): string {
  return `(${statuses.map((status) => lexeme(statusLexeme(status))).join(' | ')})`;
}

/** One term as tsquery text: its tokens as a phrase, the prefix tokens with `:*` (FTS5's `"…" *`). */
export function termQuery(compiled: CompiledTerm): string {
  const phrase = encodeTerm(compiled.units, compiled.term.prefix)
    .map((token) => `${lexeme(token.text)}${token.prefix ? ':*' : ''}`)
    .join(' <-> ');
  return `(${phrase})`;
}
