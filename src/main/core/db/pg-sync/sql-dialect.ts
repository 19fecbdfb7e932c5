/**
 * SQLite's SQL, as the core and drizzle's sqlite-core builders write it, turned into PostgreSQL's.
 *
 * The rewrites are few and each is listed in REWRITES with the reason it is safe; anything else the core writes
 * is already valid in both dialects (where a rewrite would be fragile, the core's query was changed to a form
 * both accept instead). The text is cut into tokens first, so nothing inside a string literal or a quoted
 * identifier is ever rewritten.
 */

type TokenKind = 'space' | 'comment' | 'string' | 'quoted' | 'parameter' | 'word' | 'other';

interface Token {
  kind: TokenKind;
  text: string;
}

/** Where the value of one `$n` comes from: the n-th anonymous argument, or a named one of the bound object. */
export type ParameterSource = { kind: 'position'; index: number } | { kind: 'name'; name: string };

export interface TranslatedSql {
  text: string;
  /** `parameters[n - 1]` feeds `$n`. */
  parameters: ParameterSource[];
}

export class UnsupportedSqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedSqlError';
  }
}

const PARAMETER = /^(?:\?\d*|[:@$][A-Za-z_][A-Za-z0-9_]*|\$\d+)/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const take = (kind: TokenKind, end: number) => {
    tokens.push({ kind, text: sql.slice(at, end) });
    at = end;
  };
  const closing = (quote: string, from: number) => {
    let end = from;
    for (;;) {
      end = sql.indexOf(quote, end);
      if (end < 0) throw new UnsupportedSqlError(`Unterminated ${quote} in SQL: ${sql}`);
      if (sql.startsWith(quote + quote, end) && quote.length === 1) end += 2;
      else return end + quote.length;
    }
  };
  while (at < sql.length) {
    const rest = sql.slice(at);
    const char = sql[at]!;
    if (/\s/.test(char)) take('space', at + /^\s+/.exec(rest)![0].length);
    else if (rest.startsWith('--')) take('comment', sql.includes('\n', at) ? sql.indexOf('\n', at) : sql.length);
    else if (rest.startsWith('/*')) take('comment', closing('*/', at + 2));
    else if (char === "'") take('string', closing("'", at + 1));
    else if (char === '"') take('quoted', closing('"', at + 1));
    else if (rest.startsWith('$$')) take('string', closing('$$', at + 2));
    else if (rest.startsWith('::')) take('other', at + 2);
    else if (PARAMETER.test(rest)) take('parameter', at + PARAMETER.exec(rest)![0].length);
    else if (WORD.test(rest)) take('word', at + WORD.exec(rest)![0].length);
    else take('other', at + 1);
  }
  return tokens;
}

/** Keywords after which a + can only be unary. */
const UNARY_AFTER = new Set(['SELECT', 'WHERE', 'AND', 'OR', 'ON', 'BY', 'WHEN', 'THEN', 'ELSE', 'NOT', 'BETWEEN', 'IN', 'HAVING', 'RETURNING']);

const isWord = (token: Token | undefined, word: string) => token?.kind === 'word' && token.text.toUpperCase() === word;
const significant = (token: Token) => token.kind !== 'space' && token.kind !== 'comment';

/** The statements of `tokens`, split at top-level semicolons (each without its semicolon). */
function statements(tokens: Token[]): Token[][] {
  const result: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'other' && token.text === ';') result.push([]);
    else result[result.length - 1]!.push(token);
  }
  return result;
}

/** `?`, `?NNN`, `:name`, `@name`, `$name` (better-sqlite3's forms) become PostgreSQL's `$n`. */
function numberParameters(tokens: Token[]): ParameterSource[] {
  const sources: ParameterSource[] = [];
  const numbered = new Map<string, number>();
  let anonymous = 0;
  for (const token of tokens) {
    if (token.kind !== 'parameter') continue;
    let key: string;
    let source: ParameterSource;
    if (token.text === '?') {
      key = `?${anonymous}`;
      source = { kind: 'position', index: anonymous++ };
    } else if (/^[?$]\d+$/.test(token.text)) {
      const index = Number(token.text.slice(1)) - 1;
      key = `?${index}`;
      source = { kind: 'position', index };
      anonymous = Math.max(anonymous, index + 1);
    } else {
      key = token.text.slice(1);
      source = { kind: 'name', name: key };
    }
    let number = numbered.get(key);
    if (number === undefined) {
      sources.push(source);
      number = sources.length;
      numbered.set(key, number);
    }
    token.text = `$${number}`;
  }
  return sources;
}

/**
 * Each rewrite of SQLite's SQL into PostgreSQL's, applied in this order to every statement. A rewrite changes
 * the tokens it is given in place.
 */
export const REWRITES: readonly { name: string; why: string; apply: (statement: Token[]) => void }[] = [
  {
    name: 'camelCase identifiers are quoted',
    why:
      'SQLite keeps the case of an unquoted alias (`d.archive_no AS archiveNo` gives the key archiveNo); PostgreSQL folds it to ' +
      'archiveno. The schema names everything in snake_case, so a bare word with an upper-case letter after a lower-case start is ' +
      'always one of our aliases, and quoting it everywhere it appears keeps the alias and the references to it equal.',
    apply(statement) {
      for (const token of statement) if (token.kind === 'word' && /^[a-z][a-z0-9_]*[A-Z]/.test(token.text)) token.text = `"${token.text}"`;
    },
  },
  {
    name: 'LIKE becomes ILIKE',
    why: "SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's LIKE does not, its ILIKE does.",
    apply(statement) {
      for (const token of statement) if (isWord(token, 'LIKE')) token.text = 'ILIKE';
    },
  },
  {
    name: 'ifnull becomes coalesce',
    why: 'ifnull(a, b) is SQLite’s name for coalesce(a, b), which both dialects have.',
    apply(statement) {
      for (const token of statement) if (isWord(token, 'IFNULL')) token.text = 'coalesce';
    },
  },
  {
    name: 'SQLite’s planner hints are dropped',
    why:
      '`INDEXED BY name`, `NOT INDEXED` and a unary + before a column (which keeps SQLite from using an index on it) only steer ' +
      'SQLite’s planner and change no result; PostgreSQL has no such syntax and plans for itself.',
    apply(statement) {
      const words = statement.filter(significant);
      const blank = (...tokens: (Token | undefined)[]) => tokens.forEach((token) => token && (token.text = ''));
      for (const [index, token] of words.entries()) {
        const previous = words[index - 1];
        if (isWord(token, 'INDEXED') && isWord(words[index + 1], 'BY')) blank(token, words[index + 1], words[index + 2]);
        else if (isWord(token, 'NOT') && isWord(words[index + 1], 'INDEXED')) blank(token, words[index + 1]);
        else if (
          token.text === '+' &&
          (words[index + 1]?.kind === 'word' || words[index + 1]?.kind === 'quoted') &&
          (previous === undefined || ['(', ',', '=', '<', '>'].includes(previous.text) || UNARY_AFTER.has(previous.text.toUpperCase()))
        )
          blank(token);
      }
    },
  },
  {
    name: 'instr becomes strpos',
    why: 'instr(text, part) is SQLite’s name for strpos(text, part): both give the 1-based place of the first match, 0 for none.',
    apply(statement) {
      for (const token of statement) if (isWord(token, 'INSTR')) token.text = 'strpos';
    },
  },
  {
    name: 'INSERT OR IGNORE becomes INSERT … ON CONFLICT DO NOTHING',
    why:
      'Both skip a row that would break a uniqueness constraint. (SQLite also skips NOT NULL and CHECK failures; the core uses it ' +
      'only to add rows that may already be there.) Other OR clauses and REPLACE INTO are refused: they delete rows first.',
    apply(statement) {
      const words = statement.filter(significant);
      const first = words[0];
      if (isWord(first, 'REPLACE')) throw new UnsupportedSqlError(`REPLACE INTO has no PostgreSQL equivalent here; use INSERT … ON CONFLICT DO UPDATE.`);
      if (!isWord(first, 'INSERT') || !isWord(words[1], 'OR')) return;
      if (!isWord(words[2], 'IGNORE')) {
        throw new UnsupportedSqlError(`INSERT OR ${words[2]?.text ?? ''} has no PostgreSQL equivalent here; use INSERT … ON CONFLICT.`);
      }
      words[1]!.text = '';
      words[2]!.text = '';
      let depth = 0;
      let returning = -1;
      for (const [index, token] of statement.entries()) {
        if (token.text === '(') depth += 1;
        else if (token.text === ')') depth -= 1;
        else if (depth === 0 && isWord(token, 'RETURNING')) returning = index;
      }
      const clause: Token = { kind: 'other', text: ' ON CONFLICT DO NOTHING ' };
      if (returning >= 0) statement.splice(returning, 0, clause);
      else statement.splice(statement.findLastIndex(significant) + 1, 0, clause);
    },
  },
  {
    name: 'the conflict target names bare columns',
    why:
      'drizzle’s sqlite-core writes `on conflict ("table"."column")`, which SQLite accepts; PostgreSQL wants the bare column ' +
      'names there, and they can only mean the table the statement inserts into.',
    apply(statement) {
      const words = statement.filter(significant);
      for (let index = 0; index + 2 < words.length; index += 1) {
        if (!isWord(words[index], 'ON') || !isWord(words[index + 1], 'CONFLICT') || words[index + 2]!.text !== '(') continue;
        for (let at = index + 3; at + 1 < words.length && words[at]!.text !== ')'; at += 1) {
          if (words[at]!.kind === 'quoted' && words[at + 1]!.text === '.') {
            words[at]!.text = '';
            words[at + 1]!.text = '';
          }
        }
      }
    },
  },
  {
    name: 'a NULL id in a drizzle insert becomes DEFAULT',
    why:
      'drizzle’s sqlite-core writes `null` for every column a row leaves out, and a NULL in an INTEGER PRIMARY KEY asks SQLite for ' +
      'the next rowid. On PostgreSQL the id is an identity column, whose DEFAULT is the next id; a NULL there would be refused.',
    apply(statement) {
      const words = statement.filter(significant);
      if (!isWord(words[0], 'INSERT') || !isWord(words[1], 'INTO') || words[2]?.kind !== 'quoted' || words[3]?.text !== '(') return;
      const close = words.indexOf(words.find((token, index) => index > 3 && token.text === ')')!);
      const columns = words.slice(4, close).filter((token) => token.kind === 'quoted');
      const idColumn = columns.findIndex((token) => token.text === '"id"');
      if (idColumn < 0 || !isWord(words[close + 1], 'VALUES')) return;
      let depth = 0;
      let position = 0;
      for (const token of words.slice(close + 2)) {
        if (token.text === '(') {
          depth += 1;
          if (depth === 1) position = 0;
        } else if (token.text === ')') depth -= 1;
        else if (depth === 1 && token.text === ',') position += 1;
        else if (depth === 1 && position === idColumn && token.kind === 'word' && token.text === 'null') token.text = 'default';
        if (depth === 0 && isWord(token, 'RETURNING')) break;
      }
    },
  },
];

const cache = new Map<string, TranslatedSql>();
const CACHE_LIMIT = 2000;

/** PostgreSQL's form of `sql` (SQLite's), with where each `$n` takes its value from. */
export function translateSql(sql: string): TranslatedSql {
  const cached = cache.get(sql);
  if (cached) return cached;
  const tokens = tokenize(sql);
  const parameters = numberParameters(tokens);
  const parts = statements(tokens);
  for (const statement of parts) for (const rewrite of REWRITES) rewrite.apply(statement);
  const translated = { text: parts.map((statement) => statement.map((token) => token.text).join('')).join(';'), parameters };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, translated);
  return translated;
}
