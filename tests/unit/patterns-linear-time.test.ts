/**
 * Slip-number patterns run on RE2: the shapes that make a backtracking engine take seconds per line
 * (`(\d|\d)*X`, `(a+)+$` over a line that almost matches) are accepted and give the right answers at once,
 * through the same path extraction and barcode batch splitting use. Timing lives in
 * bench/patterns.ts, not here.
 */
import { describe, expect, it } from 'vitest';
import { findSlipNumbers } from '../../src/main/core/extract/slip-numbers';
import { slipNumbersOf } from '../../src/main/core/ingest/barcodes';
import { slipPatternProblem } from '../../src/shared/settings';

/** 30 characters that almost match: the worst case for a backtracking engine. */
const DIGITS_WITHOUT_X = '1'.repeat(30);
const LETTERS_THEN_BANG = `${'a'.repeat(29)}!`;

describe('slip-number patterns on a linear-time engine', () => {
  it('accepts patterns that would hang a backtracking engine', () => {
    expect(slipPatternProblem('(\\d|\\d)*X')).toBeNull();
    expect(slipPatternProblem('(a+)+$')).toBeNull();
  });

  it('finds nothing on adversarial lines that almost match, and the match when the line does', () => {
    expect(findSlipNumbers(DIGITS_WITHOUT_X, ['(\\d|\\d)*X'])).toEqual([]);
    expect(findSlipNumbers(LETTERS_THEN_BANG, ['(a+)+$'])).toEqual([]);
    expect(findSlipNumbers(`ref ${DIGITS_WITHOUT_X}X`, ['(\\d|\\d)*X'])[0]?.value).toBe(`${DIGITS_WITHOUT_X}X`);
  });

  it('reports matches at their place in the text, Chinese text before them included', () => {
    const [found] = findSlipNumbers('送货单\n单据 DN-123456 已签收', ['DN-\\d{6}']);
    expect(found).toMatchObject({ value: 'DN-123456', index: '送货单\n单据 '.length, evidence: '单据 DN-123456 已签收' });
  });

  it('leaves out a stored pattern RE2 cannot compile and still applies the others', () => {
    expect(findSlipNumbers('SO-2026-0417 DN-123456', ['(?=SO)SO-\\d+', 'DN-\\d{6}']).map((candidate) => candidate.value)).toEqual(['DN-123456']);
  });

  it('runs barcode values through the same engine', () => {
    const barcode = { format: 'QRCode', text: DIGITS_WITHOUT_X };
    expect(slipNumbersOf([barcode], ['(\\d|\\d)*X'])).toEqual([]);
    expect(slipNumbersOf([{ ...barcode, text: 'DN-123456' }], ['DN-\\d{6}'])).toEqual(['DN-123456']);
  });
});
