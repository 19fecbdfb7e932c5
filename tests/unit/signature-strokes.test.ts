/**
 * A handwritten signature scribbled beside a printed 签收人 / Signature label leaves no garbage in a page's
 * text or words (src/main/core/ocr/signature-strokes.ts), read through the real pipeline: real tesseract.js
 * for the English page, real PP-OCR for the Chinese one, on pages generated here.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { OcrWord } from '../../src/shared/model';
import { readWithChosenEngine } from '../../src/main/core/ocr/engine-choice';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';
import { pageInput } from '../../src/main/core/ocr/page-input';
import { recognisePage } from '../../src/main/core/ocr/recognise-file';

interface Fixture {
  png: Buffer;
  /** Every printed word on the page. */
  printed: string[];
  /** Where the scribble is drawn, in the page's pixels. */
  scribble: { x0: number; y0: number; x1: number; y1: number };
}

const WIDTH = 1100;
const ROW = 70;

/**
 * Printed rows in `font`, and on the row after `label` a pen scribble from x = `pen`: loops and a long tail,
 * in a dark ballpoint blue, the way a hurried signature looks.
 */
async function signedPage(rows: string[], label: string, after: string, font: string, pen: number): Promise<Fixture> {
  const labelRow = rows.length;
  const baseline = (row: number) => 80 + row * ROW;
  const text = (content: string, row: number) => `<text x="40" y="${baseline(row)}" font-size="34" font-family="${font}">${content}</text>`;
  const y = baseline(labelRow);
  const x = pen;
  const path = [
    `M ${x} ${y - 4}`,
    `C ${x + 20} ${y - 60}, ${x + 50} ${y - 60}, ${x + 45} ${y - 10}`,
    `S ${x + 70} ${y + 20}, ${x + 95} ${y - 30}`,
    `C ${x + 110} ${y - 65}, ${x + 140} ${y - 40}, ${x + 120} ${y - 5}`,
    `C ${x + 105} ${y + 20}, ${x + 160} ${y + 10}, ${x + 190} ${y - 35}`,
    `C ${x + 215} ${y - 70}, ${x + 240} ${y - 20}, ${x + 230} ${y}`,
    `L ${x + 330} ${y - 25}`,
    `C ${x + 380} ${y - 40}, ${x + 420} ${y - 5}, ${x + 470} ${y - 20}`,
  ].join(' ');
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${baseline(labelRow + 2)}">`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...rows.map(text),
    text(label, labelRow),
    text(after, labelRow + 1),
    `<path d="${path}" fill="none" stroke="#1c2a6e" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>`,
    '</svg>',
  ].join('');
  return {
    png: await sharp(Buffer.from(svg)).png().toBuffer(),
    printed: [...rows, label, after].flatMap((row) => row.split(/\s+/)),
    scribble: { x0: x, y0: y - 70, x1: x + 470, y1: y + 22 },
  };
}

const onScribble = (word: OcrWord, { x0, y0, x1, y1 }: Fixture['scribble']) => {
  const [left, top, right, bottom] = word.bbox;
  const centreX = (left + right) / 2;
  const centreY = (top + bottom) / 2;
  return centreX > x0 && centreX < x1 && centreY > y0 && centreY < y1;
};
const squeeze = (text: string) => text.replace(/\s+/g, '');

const pools: OcrPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.terminate()));
});

async function readBothWays(fixture: Fixture, languages: string) {
  const pool = new OcrPool({ languages, workers: 1 });
  pools.push(pool);
  const input = await pageInput(fixture.png, 'image/png', 0, 'signed.png');
  if (input.kind !== 'image') throw new Error('a PNG page is an image');
  const engine = await readWithChosenEngine(pool, input.image);
  const page = await recognisePage(pool, fixture.png, 'image/png', 0, 'signed.png');
  return { engine, page };
}

describe('signature strokes left out of the reading', () => {
  it('an English slip read by tesseract.js keeps every printed word and no word from the scribble', async () => {
    const fixture = await signedPage(
      ['DELIVERY NOTE 0417', 'Customer: Harbour Trading Ltd', 'Total amount 1200.50'],
      'Received by:',
      'Please check and return this slip',
      'DejaVu Serif',
      430,
    );
    const { engine, page } = await readBothWays(fixture, 'eng');
    expect(engine.engine).toBe('tesseract');
    // The engine alone reads the scribble as garbage: what the step is there to take out.
    expect(engine.words.filter((word) => onScribble(word, fixture.scribble)).length).toBeGreaterThan(0);
    expect(page.words.filter((word) => onScribble(word, fixture.scribble))).toEqual([]);
    for (const printed of fixture.printed) expect(page.words.map((word) => word.text)).toContain(printed);
    expect(page.text.split('\n')).toContain('Received by:');
    expect(squeeze(page.text)).toBe(squeeze(page.words.map((word) => word.text).join('')));
  });

  it('a Chinese slip read by PP-OCR keeps every printed word and the label without the marks read from the scribble', async () => {
    const fixture = await signedPage(
      ['送货单 编号 SH-20260417', '收货单位：华南贸易有限公司', '合计金额：1200.50 元'],
      '签收人：',
      '请核对无误后签字返回',
      'WenQuanYi Zen Hei',
      // Close to the label: PP-OCR reads the label and the pen's first loop as one box ("签收人：／）").
      200,
    );
    const { engine, page } = await readBothWays(fixture, 'chi_sim+eng');
    expect(engine.engine).toBe('paddle');
    // The engine alone reads the label and the pen as one line, with marks for the pen.
    const label = engine.words.find((word) => word.text.startsWith('签收人'))!;
    expect(label.text.length).toBeGreaterThan('签收人：'.length);
    expect(page.words.filter((word) => onScribble(word, fixture.scribble))).toEqual([]);
    expect(page.words.map((word) => word.text)).toContain('签收人：');
    expect(page.text.split('\n')).toContain('签收人：');
    for (const printed of fixture.printed) expect(squeeze(page.text)).toContain(printed);
  });
});
