import { describe, expect, it } from 'vitest';
import { readingOrderText, type RecognisedLine } from '../../src/main/core/ocr/reading-order';

/** A level line of text 30 px high whose box starts at (x, y). */
function line(text: string, x: number, y: number, width = 300): RecognisedLine {
  return { text: `${text}\n`, bbox: [x, y, x + width, y + 30], baseline: [x, y + 24, x + width, y + 24] };
}

/** The same on a page skewed by `slope` (pixels down per pixel right), as tesseract boxes it. */
function skewedLine(text: string, x: number, y: number, width: number, slope: number): RecognisedLine {
  const drift = slope * width;
  return { text, bbox: [x, y + slope * x, x + width, y + slope * x + 30 + drift], baseline: [x, y + slope * x + 24, x + width, y + slope * (x + width) + 24] };
}

describe('readingOrderText', () => {
  it('puts blocks that tesseract emitted out of order back top to bottom', () => {
    const lines = [line('SHOP NAME', 0, 0), line('TOTAL 12.00', 0, 200), line('ITEM A 4.00', 0, 100), line('ITEM B 8.00', 0, 140)];
    expect(readingOrderText(lines)).toBe('SHOP NAME\nITEM A 4.00\nITEM B 8.00\nTOTAL 12.00');
  });

  it('joins a label and its amount printed on one row, left to right', () => {
    const lines = [line('7,838.80', 600, 102, 120), line('CHANGE', 0, 150, 150), line('1.20', 600, 150, 60), line('TOTAL RM', 0, 100, 150)];
    expect(readingOrderText(lines)).toBe('TOTAL RM 7,838.80\nCHANGE 1.20');
  });

  it('keeps pieces of one row together on a skewed page without merging neighbouring rows', () => {
    // 1.2° of skew: the right-hand piece sits 31 px (more than a line's height) lower than the left one.
    const slope = Math.tan((1.2 * Math.PI) / 180);
    const lines = [
      skewedLine('Bill to: Jiahe Supply', 0, 100, 1200, slope),
      skewedLine('No.: XS202402170707', 1500, 100, 500, slope),
      skewedLine('Address: No. 566 Zhangjiang Road', 0, 145, 1400, slope),
      skewedLine('Currency: CNY', 1500, 145, 400, slope),
    ];
    expect(readingOrderText(lines)).toBe('Bill to: Jiahe Supply No.: XS202402170707\nAddress: No. 566 Zhangjiang Road Currency: CNY');
  });

  it('never joins lines that overlap horizontally, however close', () => {
    const lines = [line('FIRST LINE', 0, 100), line('SECOND LINE', 20, 112)];
    expect(readingOrderText(lines).split('\n')).toHaveLength(2);
  });

  it('drops empty lines and returns nothing for a page without text', () => {
    expect(readingOrderText([line('  ', 0, 0), line('TEXT', 0, 50)])).toBe('TEXT');
    expect(readingOrderText([])).toBe('');
  });
});
