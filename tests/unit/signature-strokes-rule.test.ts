/**
 * Which words a signature's strokes leave out of a page's reading, and the text built again without them
 * (src/main/core/ocr/signature-strokes.ts), on constructed word lists.
 */
import { describe, expect, it } from 'vitest';
import type { OcrWord } from '../../src/shared/model';
import { pageTextOf, type LinedPage, type ReadLine } from '../../src/main/core/ocr/reading-order';
import { MIN_COVER, strokeEdits, UNSURE_WORD, withEdits } from '../../src/main/core/ocr/signature-strokes';

const word = (text: string, confidence: number, bbox: OcrWord['bbox']): OcrWord => ({ text, confidence, bbox });
const line = (words: OcrWord[], indices: number[]): ReadLine => {
  const boxes = indices.map((index) => words[index]!.bbox);
  const bbox: ReadLine['bbox'] = [
    Math.min(...boxes.map((box) => box[0])),
    Math.min(...boxes.map((box) => box[1])),
    Math.max(...boxes.map((box) => box[2])),
    Math.max(...boxes.map((box) => box[3])),
  ];
  return { text: indices.map((index) => words[index]!.text).join(' '), bbox, baseline: [bbox[0], bbox[3], bbox[2], bbox[3]], words: indices };
};
const lined = (words: OcrWord[], rows: number[][]): LinedPage => {
  const lines = rows.map((indices) => line(words, indices));
  return { text: pageTextOf(lines), words, lines, confidence: 77, source: 'ocr' };
};

/** A scribble drawn right of a "Signature:" label, 200–500 px across, on the row at y 300–340. */
const SCRIBBLE = { x0: 200, y0: 290, x1: 500, y1: 350 };
/** The indices of the words left out. */
const dropped = (words: OcrWord[], regions: (typeof SCRIBBLE)[]) => [...strokeEdits(words, regions)].filter(([, text]) => text === '').map(([index]) => index);

describe('words left out as signature strokes', () => {
  it('leaves out unsure words inside a signature region and keeps sure ones, and every word outside it', () => {
    const words = [
      word('Signature:', 93, [40, 300, 190, 340]),
      word('je—', 0, [210, 295, 360, 345]),
      word('Smangin', 25, [600, 300, 760, 340]),
      word('Yin', 88, [380, 300, 440, 340]),
    ];
    expect(dropped(words, [SCRIBBLE])).toEqual([1]);
  });

  it('leaves out marks inside a region however surely they were read, and keeps surely read words with letters', () => {
    const words = [
      word('Received by:', 95, [0, 300, 190, 340]),
      word('=', 97, [220, 300, 250, 340]),
      word('~~', 60, [300, 300, 380, 340]),
      word('Wenbin', 60, [400, 300, 490, 340]),
    ];
    expect(dropped(words, [SCRIBBLE])).toEqual([1, 2]);
  });

  it('leaves a region alone that is not near a signature label: on receipts those were logos and faint print', () => {
    const label = word('签收人：', 96, [0, 300, 150, 340]);
    const logo = word('Misséde', 15, [1200, 40, 1400, 90]);
    const far = { x0: 1180, y0: 30, x1: 1420, y1: 100 };
    expect(dropped([label, logo], [far])).toEqual([]);
    expect(dropped([word('TOTAL', 32, [220, 300, 320, 340]), word('12.50', 90, [600, 300, 700, 340])], [SCRIBBLE])).toEqual([]);
    expect(dropped([label, word('TOTAL', 32, [220, 300, 320, 340])], [SCRIBBLE])).toEqual([1]);
  });

  it('decides at the confidence and cover bounds, with the regions grown by a printed text height', () => {
    // The one surely read word makes the text height 40: the region reaches from x 160 to 540, y 250 to 390.
    const printed = word('Signature:', 93, [0, 300, 150, 340]);
    const halfIn = word('ab', UNSURE_WORD - 1, [60, 300, 260, 340]); // x 160–260 of 60–260: half of it inside
    const mostlyOut = word('cd', 0, [60, 300, 259, 340]);
    const sureEnough = word('ef', UNSURE_WORD, [250, 300, 350, 340]);
    const below = word('gh', 0, [250, 380, 350, 420]); // y 380–390 of 380–420 inside
    expect(MIN_COVER).toBe(0.5);
    expect(dropped([printed, halfIn, mostlyOut, sureEnough, below], [SCRIBBLE])).toEqual([1]);
  });

  it('finds a label read as two words on one row ("Received" "by:"), not one split across rows', () => {
    const scribble = word('V——', 11, [260, 295, 480, 345]);
    const split = [word('Received', 96, [0, 300, 150, 340]), word('by:', 93, [160, 300, 200, 345]), scribble];
    expect(dropped(split, [SCRIBBLE])).toEqual([2]);
    const acrossRows = [word('Received', 96, [0, 300, 150, 340]), word('by:', 93, [0, 360, 40, 400]), scribble];
    expect(dropped(acrossRows, [SCRIBBLE])).toEqual([]);
  });

  it('counts the cover of several regions together, and leaves nothing out without a region', () => {
    const across = word('xy', 10, [150, 300, 650, 340]);
    const label = word('Signature', 90, [0, 300, 140, 340]);
    const regions = [
      { x0: 150, y0: 290, x1: 300, y1: 350 },
      { x0: 500, y0: 290, x1: 650, y1: 350 },
    ];
    expect(dropped([across, label], regions)).toEqual([0]);
    expect(strokeEdits([across, label], []).size).toBe(0);
  });

  it('keeps a label read together with the pen after it, and its colon, without the marks the pen was read as', () => {
    const glued = word('签收人：／）', 90.5, [40, 252, 252, 300]);
    const name = word('Received by: Yin', 91, [40, 300, 260, 340]);
    const before = word('法定代表人（签字）：', 99, [40, 100, 190, 140]);
    const edits = strokeEdits([glued, name, before], [{ x0: 247, y0: 241, x1: 551, y1: 311 }, SCRIBBLE]);
    expect([...edits]).toEqual([[0, '签收人：']]);
  });
});

describe('the page without the left-out words', () => {
  const words = [
    word('Total', 95, [40, 100, 120, 140]),
    word('1200.50', 93, [140, 100, 260, 140]),
    word('Signature:', 93, [40, 300, 190, 340]),
    word('je—', 0, [210, 295, 360, 345]),
    word('=', 57, [380, 300, 400, 340]),
    word('Date:', 90, [600, 300, 680, 340]),
  ];
  const page = lined(words, [
    [0, 1],
    [2, 3, 4, 5],
  ]);

  it('rebuilds the line without the dropped words and keeps the other lines as read', () => {
    expect(page.text).toBe('Total 1200.50\nSignature: je— = Date:');
    const kept = withEdits(
      page,
      new Map([
        [3, ''],
        [4, ''],
      ]),
    );
    expect(kept.text).toBe('Total 1200.50\nSignature: Date:');
    expect(kept.words.map((read) => read.text)).toEqual(['Total', '1200.50', 'Signature:', 'Date:']);
    expect(kept.confidence).toBe(77);
    expect(kept).not.toHaveProperty('lines');
  });

  it('drops a line whose only word is left out (a PP-OCR box), shortens a glued one, and changes nothing without edits', () => {
    const boxes = [word('送货单', 99, [40, 20, 160, 52]), word('~一', 62, [300, 300, 420, 340]), word('签收人：／）', 91, [40, 400, 252, 440])];
    const paddle = lined(boxes, [[0], [1], [2]]);
    const edited = withEdits(
      paddle,
      new Map([
        [1, ''],
        [2, '签收人：'],
      ]),
    );
    expect(edited.text).toBe('送货单\n签收人：');
    expect(edited.words.map((read) => [read.text, read.bbox])).toEqual([
      ['送货单', [40, 20, 160, 52]],
      ['签收人：', [40, 400, 252, 440]],
    ]);
    const untouched = withEdits(page, new Map());
    expect(untouched.text).toBe(page.text);
    expect(untouched.words).toBe(page.words);
  });
});
