import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isBlankPage, splitOnBlankPages } from '../../src/main/core/ingest/batch-split';

const page = (text: string | null, noise = false) => {
  const content = text ? `<text x="20" y="80" font-size="36" font-family="sans-serif">${text}</text>` : '';
  const dots = noise ? Array.from({ length: 30 }, (_, i) => `<rect x="${(i * 37) % 580}" y="${(i * 53) % 380}" width="1" height="1" fill="#bbb"/>`).join('') : '';
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="100%" height="100%" fill="white"/>${content}${dots}</svg>`)).png().toBuffer();
};

describe('batch splitting on blank separator sheets', () => {
  it('tells a blank (even slightly dusty) sheet from a printed one and from a black one', async () => {
    expect(await isBlankPage(await page(null))).toBe(true);
    expect(await isBlankPage(await page(null, true))).toBe(true);
    expect(await isBlankPage(await page('送货单 SO-2026-0417'))).toBe(false);
    expect(await isBlankPage(await sharp({ create: { width: 100, height: 100, channels: 3, background: '#000' } }).png().toBuffer())).toBe(false);
  });

  it('splits on separators, drops them, and keeps a batch without separators whole', async () => {
    const [a1, a2, blank, b1] = await Promise.all([page('A 1'), page('A 2'), page(null), page('B 1')]);
    const split = await splitOnBlankPages([blank, a1!, a2!, blank, blank, b1!, blank]);
    expect(split).toEqual([[a1, a2], [b1]]);
    expect(await splitOnBlankPages([a1!, a2!])).toEqual([[a1, a2]]);
    expect(await splitOnBlankPages([blank])).toEqual([]);
  });
});
