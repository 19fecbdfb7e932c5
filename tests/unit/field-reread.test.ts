import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrWord, PageText } from '../../src/shared/model';
import { findAmounts } from '../../src/main/core/extract/amounts';
import { findDates } from '../../src/main/core/extract/dates';
import { rereadFields, rowsOf, type LineReader } from '../../src/main/core/ocr/field-reread';
import { grayPage, type GrayPage } from '../../src/main/core/ocr/gray-page';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';

const LINES = ['CORNER HARDWARE SDN BHD', 'Receipt #: CS00523', 'Date: 25/12/2018 8:13 PM', 'Nails 2 X 3.50 7.00', 'Tape 1 X 2.00 2.00', 'TOTAL RM 9.00'];

/** A till receipt rendered as the recogniser gets it: one row every 60 pixels, a blank band at the foot. */
async function receiptPage(lines = LINES): Promise<GrayPage> {
  const text = lines
    .map((line, index) => `<text x="40" y="${70 + index * 60}" font-size="34" font-family="DejaVu Sans Mono, monospace">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${60 + lines.length * 60 + 120}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return grayPage(sharp(Buffer.from(svg)));
}

/** The pool, counting the rows it is asked to read again. */
function counting(pool: OcrPool): LineReader & { lines: number } {
  const reader = { lines: 0, recogniseLine: (image: GrayPage) => ((reader.lines += 1), pool.recogniseLine(image)) };
  return reader;
}

/** The first reading with one word misread as `text` at `confidence`, in its words and its text. */
function misread(page: PageText, original: string, text: string, confidence: number): PageText {
  const word = page.words.find((candidate) => candidate.text === original);
  if (!word) throw new Error(`the first reading has no word ${original}: ${page.text}`);
  return { ...page, text: page.text.replace(original, text), words: page.words.map((other) => (other === word ? { ...word, text, confidence } : other)) };
}

let pool: OcrPool;
let image: GrayPage;
let firstReading: PageText;

beforeAll(async () => {
  pool = new OcrPool({ languages: 'eng', workers: 1 });
  image = await receiptPage();
  firstReading = await pool.recognise(image);
}, 120_000);
afterAll(() => pool.terminate());

describe('second look at the date and total rows', () => {
  it('reads the page well enough to start from', () => {
    expect(findDates(firstReading.text)[0]?.value).toBe('2018-12-25');
    expect(findAmounts(firstReading.text).totals[0]?.value).toBe('9.00');
  });

  it('reads a misread date row again, enlarged, and keeps the reading that yields the date', async () => {
    const poor = misread(firstReading, '25/12/2018', '12/2018', 40);
    expect(findDates(poor.text)).toEqual([]);
    const reader = counting(pool);
    const again = await rereadFields(reader, image, poor);
    expect(reader.lines).toBe(1);
    expect(findDates(again.text)[0]?.value).toBe('2018-12-25');
    // Only that row changed, and its words are back on the page where the date is printed.
    expect(again.text.split('\n').filter((line) => !poor.text.split('\n').includes(line))).toHaveLength(1);
    const date = again.words.find((word) => word.text === '25/12/2018');
    const printed = firstReading.words.find((word) => word.text === '25/12/2018')!;
    expect(date?.bbox.map((value, index) => Math.abs(value - printed.bbox[index]!)).every((distance) => distance <= 6)).toBe(true);
    expect(again.words).toHaveLength(poor.words.length);
  }, 60_000);

  it('replaces a misread total that reads more confidently the second time', async () => {
    const poor = misread(firstReading, '9.00', '8.00', 35);
    const again = await rereadFields(pool, image, poor);
    expect(findAmounts(poor.text).totals[0]?.value).toBe('8.00');
    expect(findAmounts(again.text).totals[0]?.value).toBe('9.00');
    expect(again.words.find((word) => word.text === '9.00')?.confidence).toBeGreaterThan(35);
  }, 60_000);

  it('finds a total the first reading did not see at all, reading the label row across the column', async () => {
    const figure = firstReading.words.find((word) => word.text === '9.00')!;
    const unseen: PageText = { ...firstReading, text: firstReading.text.replace(/ ?9\.00/, ''), words: firstReading.words.filter((word) => word !== figure) };
    expect(findAmounts(unseen.text).totals.map((total) => total.value)).not.toContain('9.00');
    const again = await rereadFields(pool, image, unseen);
    expect(findAmounts(again.text).totals[0]?.value).toBe('9.00');
    expect(again.words.find((word) => word.text === '9.00')?.bbox[0]).toBeGreaterThan(figure.bbox[0] - 6);
  }, 60_000);

  it('reads a date row alone when its word boxes reach over the rule printed under it', async () => {
    // Tills print a dashed rule under the date; tesseract's boxes for the row's words reached down over it.
    const ruled = await grayPage(
      sharp(
        Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300"><rect width="100%" height="100%" fill="white"/>
        <text x="40" y="70" font-size="24" font-family="DejaVu Sans Mono, monospace">INV No.: 854150  Cashier: Nicole</text>
        <text x="40" y="130" font-size="24" font-family="DejaVu Sans Mono, monospace">Date : 12-11-2017 18:45:28</text>
        <line x1="30" y1="170" x2="870" y2="170" stroke="black" stroke-width="3" stroke-dasharray="9 7"/>
        <text x="40" y="230" font-size="24" font-family="DejaVu Sans Mono, monospace">TOTAL 62.80</text></svg>`),
      ),
    );
    const reading = await pool.recognise(ruled);
    const dateRow = reading.words.filter((word) => word.bbox[1] > 100 && word.bbox[3] < 150);
    expect(dateRow.map((word) => word.text).join(' ')).toContain('12-11-2017');
    const reaching = (word: OcrWord): OcrWord =>
      dateRow.includes(word) ? { ...word, bbox: [word.bbox[0], word.bbox[1], word.bbox[2], 176], confidence: 40 } : word;
    const poor = misread({ ...reading, words: reading.words.map(reaching) }, '12-11-2017', '12- - 2017', 40);
    expect(findDates(poor.text)).toEqual([]);
    const again = await rereadFields(pool, ruled, poor);
    expect(findDates(again.text)[0]?.value).toBe('2017-11-12');
  }, 60_000);

  it('reads again only the weak rows that carry the date or the total', async () => {
    const reader = counting(pool);
    const sure: PageText = { ...firstReading, words: firstReading.words.map((word) => ({ ...word, confidence: 95 })) };
    expect(await rereadFields(reader, image, sure)).toEqual(sure);
    expect(reader.lines).toBe(0);
    const allWeak: PageText = { ...firstReading, words: firstReading.words.map((word) => ({ ...word, confidence: 30 })) };
    await rereadFields(reader, image, allWeak);
    // Of the six rows only the date and the TOTAL rows carry a field; item rows and the receipt number do not.
    expect(reader.lines).toBe(2);
  }, 60_000);

  it('reads at most three rows of a page, the weakest first', async () => {
    const dated = await receiptPage(['Date: 01/02/2019', 'Date: 02/02/2019', 'Date: 03/02/2019', 'Date: 04/02/2019', 'Date: 05/02/2019']);
    const reading = await pool.recognise(dated);
    expect(reading.text.split('\n')).toHaveLength(5);
    const reader = counting(pool);
    await rereadFields(reader, dated, { ...reading, words: reading.words.map((word) => ({ ...word, confidence: 30 })) });
    expect(reader.lines).toBe(3);
  }, 60_000);

  it('leaves the pool reading whole pages after reading a line', async () => {
    await pool.recogniseLine(image);
    expect((await pool.recognise(image)).text).toBe(firstReading.text);
  }, 60_000);

  it('keeps the first reading when the second finds nothing there', async () => {
    // A total "read" in the blank band below the receipt: enlarged, it is blank paper.
    const ghost: OcrWord[] = [
      { text: 'TOTAL', bbox: [40, image.height - 90, 150, image.height - 60], confidence: 60 },
      { text: '12.50', bbox: [300, image.height - 90, 400, image.height - 60], confidence: 40 },
    ];
    const page: PageText = { ...firstReading, text: `${firstReading.text}\nTOTAL 12.50`, words: [...firstReading.words, ...ghost] };
    const reader = counting(pool);
    expect(await rereadFields(reader, image, page)).toEqual(page);
    expect(reader.lines).toBe(1);
  }, 60_000);
});

describe('rows of words', () => {
  const word = (text: string, bbox: OcrWord['bbox']): OcrWord => ({ text, bbox, confidence: 90 });

  it('groups words side by side at one height into a row, left to right, even when a smudge makes boxes overlap a little', () => {
    const rows = rowsOf([
      word('20', [635, 100, 678, 130]),
      word('RM.', [550, 101, 588, 129]),
      word('3.', [600, 100, 641, 130]),
      word('Total', [40, 104, 120, 128]),
      word('EDC', [40, 150, 90, 176]),
    ]);
    expect(rows.map((row) => row.words.map((w) => w.text).join(' '))).toEqual(['Total RM. 3. 20', 'EDC']);
  });

  it('keeps overlapping words apart: they are on different rows of a skewed or dense page', () => {
    expect(rowsOf([word('AAAA', [0, 0, 100, 20]), word('BBBB', [10, 4, 110, 24])])).toHaveLength(2);
  });
});
