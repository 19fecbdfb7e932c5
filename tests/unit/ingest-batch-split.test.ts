import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readPageBarcodes, slipNumbersOf } from '../../src/main/core/ingest/barcodes';
import { isBlankPage, splitBatch } from '../../src/main/core/ingest/batch-split';
import { barcodePng, slipPage } from '../helpers/barcodes';

const page = (text: string | null, noise = false) => {
  const content = text ? `<text x="20" y="80" font-size="36" font-family="sans-serif">${text}</text>` : '';
  const dots = noise ? Array.from({ length: 30 }, (_, i) => `<rect x="${(i * 37) % 580}" y="${(i * 53) % 380}" width="1" height="1" fill="#bbb"/>`).join('') : '';
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="100%" height="100%" fill="white"/>${content}${dots}</svg>`)).png().toBuffer();
};

const pagesOf = (documents: { pages: Buffer[] }[]) => documents.map((document) => document.pages);

describe('batch splitting on blank separator sheets', () => {
  it('tells a blank (even slightly dusty) sheet from a printed one and from a black one', async () => {
    expect(await isBlankPage(await page(null))).toBe(true);
    expect(await isBlankPage(await page(null, true))).toBe(true);
    expect(await isBlankPage(await page('送货单 SO-2026-0417'))).toBe(false);
    expect(await isBlankPage(await sharp({ create: { width: 100, height: 100, channels: 3, background: '#000' } }).png().toBuffer())).toBe(false);
  });

  it('splits on separators, drops them, and keeps a batch without separators whole', async () => {
    const [a1, a2, blank, b1] = await Promise.all([page('A 1'), page('A 2'), page(null), page('B 1')]);
    const split = await splitBatch([blank, a1!, a2!, blank, blank, b1!, blank]);
    expect(pagesOf(split)).toEqual([[a1, a2], [b1]]);
    expect(split.map((document) => document.slipNo)).toEqual([null, null]);
    expect(pagesOf(await splitBatch([a1!, a2!]))).toEqual([[a1, a2]]);
    expect(await splitBatch([blank])).toEqual([]);
  });
});

describe('batch splitting on slip-number barcodes (zxing-wasm, real decode)', () => {
  it('reads QR codes and Code 128 barcodes from page images, and nothing from a page without one', async () => {
    const qr = await slipPage(['DELIVERY NOTE'], await barcodePng('SO-2026-0417', 'QRCode'));
    const code128 = await slipPage(['DELIVERY NOTE'], await barcodePng('SO-2026-0418', 'Code128'));
    expect(await readPageBarcodes(qr)).toEqual([{ format: 'QRCode', text: 'SO-2026-0417' }]);
    expect(await readPageBarcodes(code128)).toEqual([{ format: 'Code128', text: 'SO-2026-0418' }]);
    expect(await readPageBarcodes(await slipPage(['SO-2026-0419 printed, not encoded']))).toEqual([]);
  });

  it('keeps only slip numbers by the extractor\'s patterns (defaults or the archive\'s own)', () => {
    expect(slipNumbersOf([{ format: 'QRCode', text: 'SO-2026-0417' }])).toEqual(['SO-2026-0417']);
    expect(slipNumbersOf([{ format: 'QRCode', text: 'Slip No: DN20260417001' }])).toEqual(['DN20260417001']);
    expect(slipNumbersOf([{ format: 'EAN13', text: '4006381333931' }])).toEqual([]);
    expect(slipNumbersOf([{ format: 'QRCode', text: 'https://example.com/track' }])).toEqual([]);
    expect(slipNumbersOf([{ format: 'Code128', text: 'RK12345' }], ['\\bRK\\d{5}\\b'])).toEqual(['RK12345']);
    expect(slipNumbersOf([{ format: 'Code128', text: 'RK12345' }])).toEqual([]);
  });

  it('a page whose barcode carries a new slip number starts a document; blank sheets still split; other barcodes do not', async () => {
    const [qrA, codeB, productCode, plain1, plain2, blank, repeatB] = await Promise.all([
      barcodePng('SO-2026-0501', 'QRCode').then((code) => slipPage(['SLIP A page 1'], code)),
      barcodePng('SO-2026-0502', 'Code128').then((code) => slipPage(['SLIP B page 1'], code)),
      barcodePng('4006381333931', 'EAN13').then((code) => slipPage(['SLIP B attachment'], code)),
      slipPage(['SLIP A page 2']),
      slipPage(['loose page']),
      page(null),
      barcodePng('SO-2026-0502', 'QRCode').then((code) => slipPage(['SLIP B back side'], code)),
    ]);
    const split = await splitBatch([plain2!, qrA!, plain1!, codeB!, productCode!, repeatB!, blank!, plain2!]);
    expect(pagesOf(split)).toEqual([[plain2], [qrA, plain1], [codeB, productCode, repeatB], [plain2]]);
    expect(split.map((document) => document.slipNo)).toEqual([null, 'SO-2026-0501', 'SO-2026-0502', null]);
  });
});
