import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';
import { pageInput } from '../../src/main/core/ocr/page-input';
import { recognisePage } from '../../src/main/core/ocr/recognise-file';

/** A scan 1500×600 px with one line of text starting at x=600, declaring `dpi` (or no resolution). */
async function scan(dpi?: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1500" height="600"><rect width="100%" height="100%" fill="white"/>
    <text x="600" y="300" font-size="60" font-family="sans-serif">INVOICE INV-2026-0042</text></svg>`;
  const image = sharp(Buffer.from(svg)).flatten({ background: '#ffffff' });
  return (dpi ? image.withMetadata({ density: dpi }) : image).png().toBuffer();
}

const pool = new OcrPool({ languages: 'eng', workers: 1 });
afterAll(() => pool.terminate());

describe('page images prepared for OCR', () => {
  it("reads a 300 DPI scan at 160 DPI and maps word boxes back to the scan's pixels", async () => {
    const bytes = await scan(300);
    const input = await pageInput(bytes, 'image/png', 0, 'scan.png');
    if (input.kind !== 'image') throw new Error('expected an image page');
    expect(input.image.width).toBe(800);
    expect(input.image.height).toBe(320);
    expect(input.boxScale).toBeCloseTo(1.875, 2);

    const page = await recognisePage(pool, bytes, 'image/png', 0, 'scan.png');
    const word = page.words.find((candidate) => candidate.text === 'INVOICE');
    expect(page.text).toContain('INV-2026-0042');
    expect(word?.bbox[0]).toBeGreaterThan(580);
    expect(word?.bbox[0]).toBeLessThan(620);
    expect(word?.bbox[3]).toBeGreaterThan(280);
    expect(word?.bbox[3]).toBeLessThan(320);
  });

  it('leaves images without a declared resolution, or a low one, at their own size', async () => {
    for (const bytes of [await scan(), await scan(150)]) {
      const input = await pageInput(bytes, 'image/png', 0, 'scan.png');
      if (input.kind !== 'image') throw new Error('expected an image page');
      expect([input.image.width, input.image.height, input.boxScale]).toEqual([1500, 600, 1]);
    }
  });
});
