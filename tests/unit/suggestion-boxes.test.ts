/**
 * Each filing suggestion carries the box of the words it was read from (issue 19): found among the OCR's
 * words by letters and digits, inside its evidence line first, whatever separators the page prints.
 */
import { describe, expect, it } from 'vitest';
import { extractSuggestions } from '../../src/main/core/extract/suggest';
import { withSourceBoxes, type RecognisedPage } from '../../src/main/core/extract/suggestion-boxes';
import type { OcrWord, Suggestion } from '../../src/shared/model';

/** Words laid out as Tesseract gives them: one row per line, 20 px per character, rows 40 px apart. */
function page(pageId: number, lines: string[][]): RecognisedPage {
  const words: OcrWord[] = [];
  lines.forEach((line, row) => {
    let left = 10;
    for (const text of line) {
      words.push({ text, bbox: [left, 40 * row + 10, left + 20 * text.length, 40 * row + 40], confidence: 90 });
      left += 20 * text.length + 20;
    }
  });
  return { pageId, words };
}

const TYPES = [
  { code: 'delivery_receipt', keywords: ['送货单', 'delivery note'] },
  { code: 'invoice', keywords: ['invoice'] },
];

function boxed(lines: string[][], text: string): Map<string, Suggestion> {
  const suggestions = withSourceBoxes(extractSuggestions(text, { customers: [], documentTypes: TYPES }), [page(7, lines)]);
  const best = new Map<string, Suggestion>();
  for (const suggestion of suggestions) if (!best.has(suggestion.field)) best.set(suggestion.field, suggestion);
  return best;
}

describe('suggestion source boxes', () => {
  const lines = [['送', '货', '单'], ['No.', 'DN-2026-0417'], ['日期：2026年4月17日'], ['Qty', '3', '1,280.50'], ['Total', 'CNY', '12,089.63']];
  const best = boxed(lines, '送货单\nNo. DN-2026-0417\n日期：2026年4月17日\nQty 3 1,280.50\nTotal CNY 12,089.63');

  it('boxes the words that spell the value, with separators the suggestion does not have', () => {
    expect(best.get('amount')).toMatchObject({ value: '12089.63', box: { pageId: 7, bbox: [210, 170, 390, 200] } });
    expect(best.get('slipNo')).toMatchObject({ value: 'DN-2026-0417', box: { pageId: 7, bbox: [90, 50, 330, 80] } });
    expect(best.get('currency')).toMatchObject({ value: 'CNY', box: { bbox: [130, 170, 190, 200] } });
  });

  it('finds a date printed in Chinese and a type by the keyword it was found by', () => {
    // The date sits inside one OCR word with its label: the box is that word.
    expect(best.get('signedDate')).toMatchObject({ value: '2026-04-17', box: { bbox: [10, 90, 270, 120] } });
    // Three one-character words spell 送货单: the box spans them.
    expect(best.get('type')).toMatchObject({ value: 'delivery_receipt', box: { bbox: [10, 10, 110, 40] } });
  });

  it('prefers the occurrence inside the evidence line over an earlier one elsewhere', () => {
    const total: Suggestion = { field: 'amount', value: '4500.00', confidence: 0.9, evidence: 'Grand Total 4,500.00' };
    const [found] = withSourceBoxes(
      [total],
      [
        page(1, [
          ['Ref', '4,500.00'],
          ['Grand', 'Total', '4,500.00'],
        ]),
      ],
    );
    expect(found?.box).toEqual({ pageId: 1, bbox: [250, 50, 410, 80] });
  });

  it('leaves barcode suggestions and values the words do not show without a box', () => {
    const barcode: Suggestion = { field: 'slipNo', value: 'DN-1', confidence: 0.99, evidence: 'QRCode on page 1: DN-1', source: 'barcode' };
    const retyped: Suggestion = { field: 'customer', value: '华南贸易', confidence: 0.8, evidence: '收货单位：华南贸易' };
    const [fromBarcode, fromText] = withSourceBoxes([barcode, retyped], [page(3, [['DN-1'], ['Other', 'words']])]);
    expect(fromBarcode).toEqual(barcode);
    expect(fromText).toEqual(retyped);
    expect(withSourceBoxes([retyped], [{ pageId: 3, words: [] }])).toEqual([retyped]);
  });

  it('boxes on the page the value is on', () => {
    const [suggestion] = withSourceBoxes(
      [{ field: 'customer', value: '华南贸易有限公司', confidence: 0.8, evidence: '客户：华南贸易有限公司' }],
      [page(1, [['送货单']]), page(2, [['客户：'], ['华南贸易有限公司']])],
    );
    expect(suggestion?.box).toEqual({ pageId: 2, bbox: [10, 50, 170, 80] });
  });
});
