/**
 * The signed check's detector on generated pages (tests/helpers/signed-pages.ts): the same layout unsigned,
 * signed in blue or black, sealed only, and with red printed text that is not a seal; OCR words mask printed
 * text and point at the signature label.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectSignedPage, type RasterWord } from '../../src/main/core/signature/detect';
import { isPenBlue, isSealRed } from '../../src/main/core/signature/ink';
import { ANALYSIS_SIDE, rgbOf } from '../../src/main/core/signature/page-raster';
import { signedPage, type SignedPageOptions } from '../helpers/signed-pages';

async function detect(options: SignedPageOptions, words: RasterWord[] = []) {
  const raster = await rgbOf(sharp(await signedPage(options)).resize({ width: ANALYSIS_SIDE, height: ANALYSIS_SIDE, fit: 'inside', withoutEnlargement: true }));
  return { raster, found: detectSignedPage(raster, words) };
}

describe('signed check detector', () => {
  it('finds nothing on an unsigned page, and says so with confidence', async () => {
    const { found } = await detect({ seed: 7, signature: false, seal: false });
    expect(found).toMatchObject({ signed: false, signature: false, seal: false, regions: [] });
    expect(found.confidence).toBeGreaterThan(0.6);
  });

  it('finds a blue signature and boxes it inside the page', async () => {
    const { raster, found } = await detect({ seed: 7, signature: true, seal: false, ink: 'blue' });
    expect(found).toMatchObject({ signed: true, signature: true, seal: false });
    const regions = found.regions.filter((region) => region.kind === 'signature');
    expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) {
      expect(region.x0).toBeGreaterThanOrEqual(0);
      expect(region.x1).toBeLessThanOrEqual(raster.width);
      expect(region.y1).toBeLessThanOrEqual(raster.height);
      // Below the title: the signature line is under the table.
      expect(region.y0).toBeGreaterThan(raster.height * 0.2);
    }
  });

  it('finds a black signature on a grayscale JPEG scan (no colour to help)', async () => {
    const { found } = await detect({ seed: 12, signature: true, seal: false, ink: 'black', gray: true });
    expect(found).toMatchObject({ signed: true, signature: true });
  });

  it('finds a red seal alone as signed by seal, not by signature', async () => {
    const { raster, found } = await detect({ seed: 21, signature: false, seal: true });
    expect(found).toMatchObject({ signed: true, seal: true, signature: false });
    const [seal] = found.regions.filter((region) => region.kind === 'seal');
    // A round stamp: about as tall as it is wide, and a fair part of the page's short side.
    const width = seal!.x1 - seal!.x0;
    const height = seal!.y1 - seal!.y0;
    expect(width / height).toBeGreaterThan(0.7);
    expect(width / height).toBeLessThan(1.4);
    expect(width).toBeGreaterThan(Math.min(raster.width, raster.height) * 0.1);
  });

  it('does not take a line of red printed text for a seal', async () => {
    const { found } = await detect({ seed: 3, signature: false, seal: false, redText: true });
    expect(found).toMatchObject({ signed: false, seal: false, signature: false });
    const sealed = await detect({ seed: 3, signature: false, seal: true, redText: true });
    expect(sealed.found.regions.filter((region) => region.kind === 'seal')).toHaveLength(1);
  });

  it('masks printed text that OCR read confidently, so large printed glyphs are never strokes', async () => {
    const { raster, found } = await detect({ seed: 7, signature: false, seal: false });
    // The whole page as one confident printed word: nothing is left to be a stroke.
    const everything: RasterWord = { text: 'printed', confidence: 95, box: { x0: 0, y0: 0, x1: raster.width, y1: raster.height } };
    expect(detectSignedPage(raster, [everything]).signature).toBe(false);
    // A low-confidence "word" over the same area is what OCR makes of handwriting: not masked.
    const signed = await detect({ seed: 7, signature: true, seal: false });
    const garbage: RasterWord = { ...everything, text: '~~', confidence: 20 };
    expect(detectSignedPage(signed.raster, [garbage]).signature).toBe(true);
    expect(found.signature).toBe(false);
  });

  it('tells seal red and pen blue from black, gray, brown and pink paper', () => {
    expect(isSealRed(220, 40, 50)).toBe(true);
    expect(isSealRed(238, 190, 186)).toBe(true); // a faded stamp
    expect(isSealRed(30, 30, 30)).toBe(false);
    expect(isSealRed(150, 100, 60)).toBe(false); // brown
    expect(isSealRed(250, 235, 238)).toBe(false); // pink carbon-copy paper
    expect(isPenBlue(30, 50, 150)).toBe(true);
    expect(isPenBlue(60, 60, 60)).toBe(false);
    expect(isPenBlue(20, 25, 70)).toBe(false); // near-black navy print
  });
});
