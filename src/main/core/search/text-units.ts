/**
 * What "matches" means, in one place: text is normalised and cut into units, and a search term matches
 * where its units appear consecutively.
 *
 * - Normalisation, per character: NFKC (full-width ＡＢＣ１２３ → ABC123, ㈱ → (株)), lower-case, diacritics
 *   removed (é → e).
 * - A unit is one CJK character (Han, kana, hangul) or one Latin/digit word (a run of letters and digits).
 *   Everything else (spaces, punctuation, "-", ".") only separates units, so `SO-2026-0417` is the
 *   three units so · 2026 · 0417, and "1200.50" is 1200 · 50.
 * - A term matches where its units occur consecutively; CJK characters therefore match anywhere inside
 *   Chinese text (签收 finds 已签收回单), Latin and digit units match whole words, and a term ending in
 *   `*` lets its last Latin/digit unit match as a prefix (SO-2026-04* finds SO-2026-0417).
 *
 * The FTS5 index stores the same units encoded for speed (see `encodeForIndex`), so the index and the
 * highlighter agree by construction.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const MARKS = /\p{M}/gu;

export interface TextUnit {
  /** Normalised unit text. */
  text: string;
  cjk: boolean;
  /** UTF-16 offsets of the unit in the original (unnormalised) text. */
  start: number;
  end: number;
}

const normalisedChars = new Map<string, string>();

function normaliseChar(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : char;
  // Indexing and highlighting normalise every character; archives use a few thousand distinct ones.
  let normalised = normalisedChars.get(char);
  if (normalised === undefined) {
    normalised = char.normalize('NFKC').toLowerCase().normalize('NFD').replace(MARKS, '').normalize('NFC');
    normalisedChars.set(char, normalised);
  }
  return normalised;
}

/** The normalised form of a text (used for display of what was searched and for brute-force checks). */
export function normaliseText(text: string): string {
  let out = '';
  for (const char of text) out += normaliseChar(char);
  return out;
}

/** Cuts `text` into units, each mapped back to its span in the original text. */
export function textUnits(text: string): TextUnit[] {
  const units: TextUnit[] = [];
  let word: TextUnit | null = null;
  let offset = 0;
  for (const char of text) {
    const start = offset;
    offset += char.length;
    for (const normalised of normaliseChar(char)) {
      if (CJK.test(normalised)) {
        word = null;
        units.push({ text: normalised, cjk: true, start, end: offset });
      } else if (WORD_CHAR.test(normalised)) {
        if (word) {
          word.text += normalised;
          word.end = offset;
        } else {
          word = { text: normalised, cjk: false, start, end: offset };
          units.push(word);
        }
      } else {
        word = null;
      }
    }
  }
  return units;
}

/**
 * The token stream FTS5 indexes for a text: Latin/digit words as they are, and each run of CJK
 * characters as its overlapping bigrams followed by the run's last character alone
 * (签收合同 → 签收 收合 合同 同; 张 → 张).
 *
 * Why bigrams (compared by `npm run bench:search-cjk`; figures in bench/results/search-cjk.md and
 * search-history.md):
 * - the trigram tokenizer cannot answer 1- and 2-character queries from the index (LIKE scans every row),
 *   and those are the queries clerks type most;
 * - one token per character answers them, but 2 characters become a phrase over two long position lists;
 * - bigrams answer 2 characters with one token, longer runs as a phrase of bigrams, and 1 character as a
 *   prefix query on the 1-character prefix index (every occurrence of a character starts a bigram or is a
 *   run's last character). The price is a larger index and slower building, still far above the
 *   2,000 docs/s target.
 */
export function encodeForIndex(text: string): string {
  return encodeUnits(textUnits(text)).join(' ');
}

function encodeUnits(units: TextUnit[]): string[] {
  const tokens: string[] = [];
  let index = 0;
  while (index < units.length) {
    const unit = units[index]!;
    if (!unit.cjk) {
      tokens.push(unit.text);
      index += 1;
      continue;
    }
    let end = index;
    while (end + 1 < units.length && units[end + 1]!.cjk && units[end + 1]!.start === units[end]!.end) end += 1;
    for (let at = index; at < end; at += 1) tokens.push(units[at]!.text + units[at + 1]!.text);
    tokens.push(units[end]!.text);
    index = end + 1;
  }
  return tokens;
}

/** One token of a term as FTS5 should match it. */
export interface QueryToken {
  text: string;
  prefix: boolean;
}

/**
 * Encodes a term's units for a MATCH phrase, mirroring `encodeForIndex`: a CJK run followed by more of the
 * term must end there in the document too (so its last character is included as the run-final token);
 * a CJK run that ends the term may continue in the document, so a 1-character run becomes a prefix
 * token and longer runs are their bigrams only.
 */
export function encodeTerm(units: TextUnit[], prefixLast: boolean): QueryToken[] {
  const tokens: QueryToken[] = [];
  let index = 0;
  while (index < units.length) {
    const unit = units[index]!;
    if (!unit.cjk) {
      tokens.push({ text: unit.text, prefix: prefixLast && index === units.length - 1 });
      index += 1;
      continue;
    }
    let end = index;
    while (end + 1 < units.length && units[end + 1]!.cjk && units[end + 1]!.start === units[end]!.end) end += 1;
    const endsTerm = end === units.length - 1;
    if (end === index) {
      tokens.push({ text: unit.text, prefix: endsTerm });
    } else {
      for (let at = index; at < end; at += 1) tokens.push({ text: units[at]!.text + units[at + 1]!.text, prefix: false });
      if (!endsTerm) tokens.push({ text: units[end]!.text, prefix: false });
    }
    index = end + 1;
  }
  return tokens;
}

/** Where `term` (its units) occurs in `units`: [first, last] unit indexes of each occurrence. */
export function findOccurrences(units: TextUnit[], term: TextUnit[], prefixLast: boolean): [number, number][] {
  const found: [number, number][] = [];
  if (term.length === 0) return found;
  for (let at = 0; at + term.length <= units.length; at += 1) {
    let all = true;
    for (let k = 0; k < term.length; k += 1) {
      const have = units[at + k]!;
      const want = term[k]!;
      if (have.cjk !== want.cjk) {
        all = false;
        break;
      }
      // Two CJK characters of the term are in one run exactly when they are in one run in the text.
      if (k > 0 && want.cjk && term[k - 1]!.cjk && (want.start === term[k - 1]!.end) !== (have.start === units[at + k - 1]!.end)) {
        all = false;
        break;
      }
      const isLast = k === term.length - 1;
      const same = isLast && prefixLast && !want.cjk ? have.text.startsWith(want.text) : have.text === want.text;
      if (!same) {
        all = false;
        break;
      }
    }
    if (all) found.push([at, at + term.length - 1]);
  }
  return found;
}
