import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { grayPage, type GrayPage } from '../../src/main/core/ocr/gray-page';
import { textBand } from '../../src/main/core/ocr/text-band';

/** A till row as printed: "Date : 12-11-2017" on grey thermal paper, a dashed rule 14 pixels under it. */
async function rowOverRule(): Promise<GrayPage> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="160"><rect width="100%" height="100%" fill="rgb(225,225,225)"/>
    <text x="20" y="70" font-size="32" font-family="DejaVu Sans Mono, monospace" fill="rgb(40,40,40)">Date : 12-11-2017 18:45:28</text>
    <line x1="10" y1="92" x2="690" y2="92" stroke="rgb(40,40,40)" stroke-width="3" stroke-dasharray="8 6"/></svg>`;
  return grayPage(sharp(Buffer.from(svg)));
}

describe('the band of a row its characters fill', () => {
  it('keeps the characters and leaves out the rule printed under them that the word boxes reach over', async () => {
    const page = await rowOverRule();
    const band = textBand(page, [10, 30, 690, 100]);
    expect(band).not.toBeNull();
    const [top, bottom] = band!;
    // The digits stand about 23 pixels above their baseline at y = 70; the rule is at 90–94.
    expect(top).toBeGreaterThanOrEqual(40);
    expect(top).toBeLessThanOrEqual(48);
    expect(bottom).toBeGreaterThanOrEqual(70);
    expect(bottom).toBeLessThan(88);
  });

  it('is the row itself where nothing else is in the box', async () => {
    const page = await rowOverRule();
    const [top, bottom] = textBand(page, [10, 30, 690, 85])!;
    expect(top).toBeLessThanOrEqual(48);
    expect(bottom).toBeGreaterThanOrEqual(70);
  });

  it('finds no band in blank paper, nor in a box outside the page', async () => {
    const page = await rowOverRule();
    expect(textBand(page, [10, 100, 690, 150])).toBeNull();
    expect(textBand(page, [800, 10, 900, 50])).toBeNull();
  });
});
