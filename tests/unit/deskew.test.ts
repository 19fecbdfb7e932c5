import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateSkew, MIN_SHARPNESS, MIN_STRAIGHTEN_DEGREES, straighten, straighteningAngle } from '../../src/main/core/ocr/deskew';
import { boxBeforeTurn, grayPage, rotateGray, type Box, type GrayPage } from '../../src/main/core/ocr/gray-page';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';
import { recogniseUpright } from '../../src/main/core/ocr/orientation';

const LINES = [
  'DELIVERY NOTE DN-2026-0417',
  'Customer: Acme Trading Sdn Bhd',
  '送货单 合计 ¥1,234.50',
  'Item  Qty  Price  Amount',
  'Total RM 88.20  Paid CASH',
];

/** A slip of printed lines, as a scanner would see it lying straight. */
async function slipPage(width = 1000): Promise<GrayPage> {
  const text = LINES.map(
    (line, index) =>
      `<text x="40" y="${80 + index * 60}" font-size="36" font-family="DejaVu Sans, WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif">${line}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${60 + LINES.length * 60 + 40}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return grayPage(sharp(Buffer.from(svg)));
}

/** The page turned clockwise by `degrees` onto white, as a crooked scan. */
async function tilted(page: GrayPage, degrees: number): Promise<GrayPage> {
  return grayPage(sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).rotate(degrees, { background: '#ffffff' }));
}

/** The box around all pixels darker than mid-gray. */
function inkBox(page: GrayPage): Box {
  let box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < page.height; y += 1) {
    for (let x = 0; x < page.width; x += 1) {
      if (page.pixels[y * page.width + x]! < 128) box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x + 1), Math.max(box[3], y + 1)];
    }
  }
  return box;
}

describe('skew estimate', () => {
  it.each([-9, -4.2, -1.3, -0.6, 0, 0.4, 2.5, 7])('finds a page turned %s° within 0.5°', async (degrees) => {
    const estimate = await estimateSkew(await tilted(await slipPage(), degrees));
    expect(Math.abs(estimate.angle - degrees)).toBeLessThanOrEqual(0.5);
    expect(estimate.sharpness).toBeGreaterThan(10);
  });

  it('finds nothing to straighten on a blank page or on noise', async () => {
    const blank = await grayPage(sharp({ create: { width: 600, height: 400, channels: 3, background: '#f4f4f4' } }));
    expect(await estimateSkew(blank)).toEqual({ angle: 0, sharpness: 1, sideways: false });
    const noise = Buffer.alloc(600 * 400);
    let state = 12345;
    for (let i = 0; i < noise.length; i += 1) {
      state = (state * 1103515245 + 12345) % 2 ** 31; // a fixed pseudo-random speckle, so the test repeats
      noise[i] = state % 10 === 0 ? 0 : 255;
    }
    const estimate = await estimateSkew({ pixels: noise, width: 600, height: 400 });
    expect(estimate.sharpness).toBeLessThan(MIN_SHARPNESS);
    expect(straighteningAngle(estimate)).toBe(0);
  });

  it('straightens only clear skews that matter', () => {
    expect(straighteningAngle({ angle: 2.4, sharpness: 40, sideways: false })).toBe(2.4);
    expect(straighteningAngle({ angle: -MIN_STRAIGHTEN_DEGREES, sharpness: 40, sideways: false })).toBe(-MIN_STRAIGHTEN_DEGREES);
    expect(straighteningAngle({ angle: -MIN_STRAIGHTEN_DEGREES / 2, sharpness: 40, sideways: false })).toBe(0);
    expect(straighteningAngle({ angle: 4, sharpness: 1.5, sideways: false })).toBe(0);
  });

  it('tells a page scanned sideways by its ink running in columns, and measures its tilt there', async () => {
    const upright = await estimateSkew(await tilted(await slipPage(), 2.5));
    expect(upright.sideways).toBe(false);
    for (const quarter of [90, 270] as const) {
      const sideways = await estimateSkew(await rotateGray(await tilted(await slipPage(), 2.5), quarter));
      expect(sideways.sideways).toBe(true);
      // Rotations commute: the page straightened by this angle, then turned back, reads level.
      expect(Math.abs(sideways.angle - 2.5)).toBeLessThanOrEqual(0.5);
    }
    const upsideDown = await estimateSkew(await rotateGray(await slipPage(), 180));
    expect(upsideDown.sideways).toBe(false);
  });

  it('straightens a tilted page so its lines are level again', async () => {
    const level = await straighten(await tilted(await slipPage(), 3), 3);
    const estimate = await estimateSkew(level);
    expect(Math.abs(estimate.angle)).toBeLessThanOrEqual(0.1);
    // White corners: the enlarged canvas is paper, not black.
    expect(level.pixels[0]).toBeGreaterThan(240);
  });
});

describe('word boxes on turned copies', () => {
  /** A white page with one black square: where the square lands on a turned copy must map back onto it. */
  async function squarePage(): Promise<{ page: GrayPage; square: Box }> {
    const width = 500;
    const height = 300;
    const pixels = Buffer.alloc(width * height, 255);
    const square: Box = [340, 40, 380, 70];
    for (let y = square[1]; y < square[3]; y += 1) pixels.fill(0, y * width + square[0], y * width + square[2]);
    return { page: { pixels, width, height }, square };
  }

  it.each([90, 180, 270])('maps a box on a copy turned %s° back exactly', async (degrees) => {
    const { page, square } = await squarePage();
    const turned = await grayPage(sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 1 } }).rotate(degrees));
    expect(boxBeforeTurn(inkBox(turned), degrees, turned, page)).toEqual(square);
  });

  it.each([-6, -1.5, 2, 9])('maps a box on a copy turned %s° back onto the same spot', async (degrees) => {
    const { page, square } = await squarePage();
    const turned = await tilted(page, degrees);
    const back = boxBeforeTurn(inkBox(turned), degrees, turned, page);
    // The box around a turned square is larger by side·sin|angle| on each axis, plus a pixel of resampling.
    const slack = 40 * Math.sin((Math.abs(degrees) * Math.PI) / 180) + 2;
    back.forEach((value, index) => expect(Math.abs(value - square[index]!)).toBeLessThanOrEqual(slack));
  });

  it('clips boxes to the page', () => {
    expect(boxBeforeTurn([-5, -5, 20, 20], 0, { width: 100, height: 50 }, { width: 100, height: 50 })).toEqual([0, 0, 20, 20]);
  });
});

describe('reading a tilted page', () => {
  const pool = new OcrPool({ languages: 'eng', workers: 1 });
  afterAll(() => pool.terminate());

  it('straightens a page that reads badly tilted, and places word boxes on the page as scanned', async () => {
    const straight = await slipPage();
    // Tilted this far, the page read as it is gives tesseract nothing it is sure of.
    const degrees = 9;
    const scan = await tilted(straight, degrees);
    const reference = await recogniseUpright(pool, straight);
    expect(reference.skew).toBe(0);
    const reading = await recogniseUpright(pool, scan);
    expect(reading.confidence).toBeGreaterThan((await recogniseUpright(pool, scan, 0)).confidence);
    expect(Math.abs(reading.skew - degrees)).toBeLessThanOrEqual(0.5);
    expect(reading.rotation).toBe(0);
    expect(reading.text).toContain('DN-2026-0417');
    const word = (page: typeof reading) => page.words.find((candidate) => candidate.text === 'DN-2026-0417')!.bbox;
    // The word's centre on the straight page, turned the way the scan was, is where its box must be.
    const [x0, y0, x1, y1] = word(reference);
    const radians = (degrees * Math.PI) / 180;
    const dx = (x0 + x1) / 2 - straight.width / 2;
    const dy = (y0 + y1) / 2 - straight.height / 2;
    const expected = [scan.width / 2 + dx * Math.cos(radians) - dy * Math.sin(radians), scan.height / 2 + dx * Math.sin(radians) + dy * Math.cos(radians)];
    const [u0, v0, u1, v1] = word(reading);
    expect(Math.abs((u0 + u1) / 2 - expected[0]!)).toBeLessThanOrEqual(6);
    expect(Math.abs((v0 + v1) / 2 - expected[1]!)).toBeLessThanOrEqual(6);
    // The box around the turned word is as tall as its own height plus the word's width times sin(9°).
    expect(v1 - v0).toBeGreaterThan(y1 - y0 + (x1 - x0) * Math.sin(radians) * 0.8);
  });

  it('reads a clearly tilted page once, straightened first, and a slightly tilted one once as it is', async () => {
    let readings = 0;
    const counting = { recognise: (image: GrayPage) => ((readings += 1), pool.recognise(image)) } as unknown as OcrPool;
    const steep = await recogniseUpright(counting, await tilted(await slipPage(), 4));
    expect(readings).toBe(1);
    expect(Math.abs(steep.skew - 4)).toBeLessThanOrEqual(0.5);
    expect(steep.text).toContain('DN-2026-0417');
    readings = 0;
    const slight = await recogniseUpright(counting, await tilted(await slipPage(), MIN_STRAIGHTEN_DEGREES / 2));
    expect(readings).toBe(1);
    expect(slight.skew).toBe(0);
    expect(slight.text).toContain('DN-2026-0417');
  });

  it('reads a page scanned sideways turned a quarter first, not upright first', async () => {
    let readings = 0;
    const counting = { recognise: (image: GrayPage) => ((readings += 1), pool.recognise(image)) } as unknown as OcrPool;
    const straight = await slipPage();
    const scan = await rotateGray(straight, 270);
    const reading = await recogniseUpright(counting, scan);
    // Turned 90° first (the likelier guess is unknowable: 90° then 270°), never read upright or upside down.
    expect(reading.rotation).toBe(90);
    expect(readings).toBe(1);
    expect(reading.text).toContain('DN-2026-0417');
    readings = 0;
    const other = await recogniseUpright(counting, await rotateGray(straight, 90));
    expect(other.rotation).toBe(270);
    expect(readings).toBe(2);
    expect(other.text).toContain('DN-2026-0417');
  });

  it('places word boxes of a page read upside down on the page as scanned', async () => {
    const straight = await slipPage();
    const scan = await grayPage(sharp(straight.pixels, { raw: { width: straight.width, height: straight.height, channels: 1 } }).rotate(180));
    const reference = await recogniseUpright(pool, straight);
    const reading = await recogniseUpright(pool, scan);
    expect(reading.rotation).toBe(180);
    const word = (page: typeof reading) => page.words.find((candidate) => candidate.text === 'DN-2026-0417')!.bbox;
    const [x0, y0, x1, y1] = word(reference);
    expect(word(reading)).toEqual([scan.width - x1, scan.height - y1, scan.width - x0, scan.height - y0]);
  });
});
