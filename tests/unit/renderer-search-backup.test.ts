/** The pure pieces of the Search and Backup screens: facet filters, snippet splitting, the strength meter. */
import { describe, expect, it } from 'vitest';
import { looksLikeIdentity, parseRecipients } from '../../src/renderer/backup/recipients';
import { passphraseStrength } from '../../src/renderer/backup/strength';
import { formatBytes } from '../../src/renderer/backup/units';
import { addFilter, applySuggestion, facetFilter, wordBeingTyped } from '../../src/renderer/search/query-text';
import { pagesToLoad } from '../../src/renderer/search/result-pages';
import { snippetParts } from '../../src/renderer/search/snippet-parts';

describe('search query text', () => {
  it('quotes facet values with spaces and maps a year to a date filter', () => {
    expect(facetFilter('customer', '上海华东物流有限公司')).toBe('customer:上海华东物流有限公司');
    expect(facetFilter('customer', 'ACME Trading "Ltd"')).toBe('customer:"ACME Trading Ltd"');
    expect(facetFilter('type', 'receipt')).toBe('type:receipt');
    expect(facetFilter('year', '2026')).toBe('date:2026');
  });

  it('appends a filter once', () => {
    expect(addFilter('', 'type:receipt')).toBe('type:receipt');
    expect(addFilter(' 送货 ', 'type:receipt')).toBe('送货 type:receipt');
    expect(addFilter('送货 type:receipt', 'type:receipt')).toBe('送货 type:receipt');
  });
});

describe('snippet parts', () => {
  it('splits at the marks and keeps document text verbatim (React renders it as text)', () => {
    const text = '<img src=x onerror=alert(1)> 华东物流 ok';
    expect(snippetParts({ field: 'notes', text, marks: [[29, 33]] })).toEqual([
      { text: '<img src=x onerror=alert(1)> ', marked: false, start: 0 },
      { text: '华东物流', marked: true, start: 29 },
      { text: ' ok', marked: false, start: 33 },
    ]);
  });

  it('ignores overlapping or empty marks instead of duplicating text', () => {
    const parts = snippetParts({
      field: 'title',
      text: 'abcdef',
      marks: [
        [3, 5],
        [0, 2],
        [1, 4],
        [5, 5],
      ],
    });
    expect(parts.map((part) => (part.marked ? `[${part.text}]` : part.text)).join('')).toBe('[ab]c[de]f');
  });
});

describe('passphrase strength meter', () => {
  it('calls anything under the core minimum weak and rewards length and variety', () => {
    expect(passphraseStrength('').strength).toBe('empty');
    expect(passphraseStrength('short').strength).toBe('weak');
    expect(passphraseStrength('123456789012345').strength).toBe('weak');
    expect(passphraseStrength('aaaaaaaaaaaaaaaa').strength).toBe('weak');
    expect(passphraseStrength('copper river 7').strength).toBe('fair');
    expect(passphraseStrength('lantern copper 47 river').strength).toBe('strong');
  });
});

describe('progress units', () => {
  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
});

describe('search box autocomplete text', () => {
  it('finds the word being typed after the last space outside quotes', () => {
    expect(wordBeingTyped('签收 cust')).toEqual({ word: 'cust', start: 3 });
    expect(wordBeingTyped('customer:"Acme Tr')).toEqual({ word: 'customer:"Acme Tr', start: 0 });
    expect(wordBeingTyped('签收 ')).toEqual({ word: '', start: 3 });
  });

  it('replaces that word with the suggestion and keeps a leading minus', () => {
    expect(applySuggestion('签收 cu', 'customer:')).toBe('签收 customer:');
    expect(applySuggestion('签收 customer:华', 'customer:华南贸易有限公司')).toBe('签收 customer:华南贸易有限公司 ');
    expect(applySuggestion('签收 -ac', 'customer:"Acme Trading"')).toBe('签收 -customer:"Acme Trading" ');
  });
});

describe('virtualized result pages', () => {
  it('loads only the pages that cover the rows in view and are not known yet', () => {
    expect(pagesToLoad(0, 19, new Set([0]))).toEqual([]);
    expect(pagesToLoad(40, 130, new Set([0]))).toEqual([1, 2]);
    expect(pagesToLoad(99_990, 100_010, new Set(), 50)).toEqual([1999, 2000]);
    expect(pagesToLoad(5, 4, new Set())).toEqual([]);
  });
});

describe('recipient entry', () => {
  const key = 'age1ud0drp74enpwm5mw99ngenlc5qsz0m9zy8jd2ttd5ucv6v0xgm7qxc6j9a';
  it('accepts several age1… keys separated by spaces, commas or lines, once each, and names the rest', () => {
    expect(key).toMatch(/^age1.{58}$/);
    expect(parseRecipients(`${key}\n ${key}, age1short  AGE-SECRET-KEY-1ABC`)).toEqual({ valid: [key], invalid: ['age1short', 'AGE-SECRET-KEY-1ABC'] });
    expect(parseRecipients('  ')).toEqual({ valid: [], invalid: [] });
    expect(parseRecipients(key.toUpperCase()).invalid).toHaveLength(1);
  });

  it('tells an identity file from other text', () => {
    expect(looksLikeIdentity('# created: 2026-01-01\n# public key: age1…\nAGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n')).toBe(
      true,
    );
    expect(looksLikeIdentity(key)).toBe(false);
  });
});
