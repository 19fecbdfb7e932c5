import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clearDarkBorders, grayPage, rotateGray, toPgm } from '../../src/main/core/ocr/gray-page';

/** A white receipt photographed on a dark table: black bands along the top and right edges. */
async function bandedReceipt() {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">
    <rect width="100%" height="100%" fill="white"/>
    <rect x="0" y="0" width="400" height="12" fill="black"/>
    <rect x="392" y="0" width="8" height="300" fill="#111"/>
    <rect x="40" y="100" width="200" height="40" fill="#222"/>
    <text x="40" y="200" font-size="30" font-family="sans-serif">TOTAL 12.50</text>
  </svg>`;
  return grayPage(sharp(Buffer.from(svg)));
}

const at = (page: { pixels: Buffer; width: number }, x: number, y: number) => page.pixels[y * page.width + x]!;

describe('gray pages for OCR', () => {
  it('paints dark edge bands white and leaves dark content inside the page alone', async () => {
    const page = clearDarkBorders(await bandedReceipt());
    expect(at(page, 200, 5)).toBe(255);
    expect(at(page, 396, 150)).toBe(255);
    // The dark box and the text are content, not border.
    expect(at(page, 100, 120)).toBeLessThan(60);
    expect(Math.min(...page.pixels.subarray(180 * 400, 205 * 400))).toBeLessThan(60);
  });

  it('leaves a page without dark edges unchanged', async () => {
    const page = await grayPage(sharp({ create: { width: 50, height: 40, channels: 3, background: '#f0f0f0' } }));
    const before = Buffer.from(page.pixels);
    expect(clearDarkBorders(page).pixels.equals(before)).toBe(true);
  });

  it('encodes a binary PGM (header, then the pixels as they are) and turns pages', async () => {
    const page = await bandedReceipt();
    const pgm = toPgm(page);
    const header = 'P5\n400 300\n255\n';
    expect(pgm.subarray(0, header.length).toString('ascii')).toBe(header);
    expect(pgm.subarray(header.length).equals(page.pixels)).toBe(true);
    const turned = await rotateGray(page, 90);
    expect([turned.width, turned.height]).toEqual([300, 400]);
    expect(at(turned, 300 - 1 - 5, 200)).toBe(at(page, 200, 5));
  });
});
