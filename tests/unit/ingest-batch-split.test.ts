import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readPageBarcodes, slipNumbersOf } from '../../src/main/core/ingest/barcodes';
import { groupPages, isBlankPage, markPage } from '../../src/main/core/ingest/batch-split';
import { splitFile } from '../../src/main/core/ingest/file-split';
import { barcodePng, slipPage } from '../helpers/barcodes';
import { pdfBytes } from '../helpers/fixtures';
import { blankSheet, imagePdf, multiPageTiff } from '../helpers/scanned-batch';
import { slipSvg } from '../helpers/slips';

const page = (text: string | null, noise = false) => {
  const content = text ? `<text x="20" y="80" font-size="36" font-family="sans-serif">${text}</text>` : '';
  const dots = noise
    ? Array.from({ length: 30 }, (_, i) => `<rect x="${(i * 37) % 580}" y="${(i * 53) % 380}" width="1" height="1" fill="#bbb"/>`).join('')
    : '';
  return sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="100%" height="100%" fill="white"/>${content}${dots}</svg>`),
  )
    .png()
    .toBuffer();
};

/** The batch's pages marked and grouped as file-split.ts does, each part as its page images. */
async function splitBatch(pages: Buffer[]): Promise<{ pages: Buffer[]; slipNo: string | null }[]> {
  const marks = [];
  for (const image of pages) marks.push(await markPage(image));
  return groupPages(marks).map((part) => ({ pages: part.pages.map((index) => pages[index]!), slipNo: part.slipNo }));
}

const pagesOf = (documents: { pages: Buffer[] }[]) => documents.map((document) => document.pages);

describe('batch splitting on blank separator sheets', () => {
  it('tells a blank (even slightly dusty) sheet from a printed one and from a black one', async () => {
    expect(await isBlankPage(await page(null))).toBe(true);
    expect(await isBlankPage(await page(null, true))).toBe(true);
    expect(await isBlankPage(await page('送货单 SO-2026-0417'))).toBe(false);
    expect(
      await isBlankPage(
        await sharp({ create: { width: 100, height: 100, channels: 3, background: '#000' } })
          .png()
          .toBuffer(),
      ),
    ).toBe(false);
  });

  it('counts a few lines in a corner of an A4 scan as content, and a few dark specks of dust as blank', async () => {
    const a4 = (overlay: Buffer) =>
      sharp({ create: { width: 2480, height: 3508, channels: 3, background: '#f4f4f0' } })
        .composite([{ input: overlay, left: 200, top: 200 }])
        .jpeg({ quality: 85 })
        .toBuffer();
    // Mean and spread of this page are those of a blank sheet; its ink is not.
    expect(await isBlankPage(await a4(Buffer.from(slipSvg(['DELIVERY NOTE SO-2026-0601', 'TOTAL 1,794.00'], 1200))))).toBe(false);
    const specks = Array.from({ length: 20 }, (_, i) => `<rect x="${(i * 97) % 1900}" y="${(i * 131) % 2900}" width="3" height="3" fill="#222"/>`).join('');
    expect(await isBlankPage(await a4(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="3000">${specks}</svg>`)))).toBe(true);
    // Uneven scanner light across an empty sheet (grey 248 → 208) is still a blank sheet.
    const unevenLight = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754"><defs><linearGradient id="light" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#f8f8f8"/><stop offset="1" stop-color="#d0d0d0"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#light)"/></svg>`;
    const { channels } = await sharp(Buffer.from(unevenLight)).greyscale().resize({ width: 400 }).stats();
    expect(channels[0]!.stdev).toBeGreaterThan(6);
    expect(await isBlankPage(await sharp(Buffer.from(unevenLight)).png().toBuffer())).toBe(true);
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

  it("keeps only slip numbers by the extractor's patterns (defaults or the archive's own)", () => {
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

describe('batch splitting of one multi-page file (import, hot folder)', () => {
  const inspected = (bytes: Buffer, mime: 'application/pdf' | 'image/tiff', pageCount: number) => ({
    path: 'batch',
    filename: 'batch',
    bytes,
    mime,
    pageCount,
  });

  it('splits a scanned PDF and a TIFF on blank sheets and slip-number QR pages, by page index', async () => {
    const qr = await barcodePng('SO-2026-0601', 'QRCode').then((code) => slipPage(['SLIP C page 1'], code));
    const pages = [await slipPage(['SLIP A page 1']), await slipPage(['SLIP A page 2']), await blankSheet(), await slipPage(['SLIP B page 1']), qr];
    const expected = [
      { pages: [0, 1], slipNo: null },
      { pages: [3], slipNo: null },
      { pages: [4], slipNo: 'SO-2026-0601' },
    ];
    expect(await splitFile(inspected(await imagePdf(pages), 'application/pdf', 5))).toEqual(expected);
    expect(await splitFile(inspected(await multiPageTiff(pages), 'image/tiff', 5))).toEqual(expected);
  });

  it("finds a small Code 128 at the top of a 300 DPI A4 scan (zxing's 1D search is not limited to the middle rows)", async () => {
    const a4 = (overlay?: Buffer) =>
      sharp({ create: { width: 2480, height: 3508, channels: 3, background: '#f4f4f0' } })
        .composite([
          {
            input:
              overlay ?? Buffer.from(slipSvg(['DELIVERY NOTE SO-2026-0601', 'Item A 12 cartons 1,234.00', 'Item B 3 pallets 560.00', 'TOTAL 1,794.00'], 1600)),
            left: 200,
            top: 200,
          },
        ])
        .jpeg({ quality: 85 })
        .toBuffer();
    const tiff = await multiPageTiff([await a4(), await a4(await barcodePng('SO-2026-0602', 'Code128', 3))]);
    expect(await splitFile(inspected(tiff, 'image/tiff', 2))).toEqual([
      { pages: [0], slipNo: null },
      { pages: [1], slipNo: 'SO-2026-0602' },
    ]);
  });

  it('keeps a file whole when it has fewer than two parts: no separator, or only a trailing blank page', async () => {
    const [a1, a2, blank] = [await slipPage(['SLIP A page 1']), await slipPage(['SLIP A page 2']), await blankSheet()];
    expect(await splitFile(inspected(await multiPageTiff([a1, a2]), 'image/tiff', 2))).toEqual([{ pages: [0, 1], slipNo: null }]);
    expect(await splitFile(inspected(await imagePdf([a1, a2, blank]), 'application/pdf', 3))).toEqual([{ pages: [0, 1, 2], slipNo: null }]);
  });

  it('treats PDF pages without any image as born-digital content, never as separator sheets', async () => {
    // Page 2's text is blanked out (same length, so the xref stays valid): rendered, it would be a white sheet.
    const text = pdfBytes(3, 'typed contract').toString('latin1');
    const page2 = '(typed contract page 2) Tj';
    const withEmptyPage = Buffer.from(text.replace(page2, ' '.repeat(page2.length)), 'latin1');
    expect(await splitFile(inspected(withEmptyPage, 'application/pdf', 3))).toEqual([{ pages: [0, 1, 2], slipNo: null }]);
    // The same layout scanned (page images) is split on the white page.
    const scanned = await imagePdf([await slipPage(['typed contract page 1']), await blankSheet(), await slipPage(['typed contract page 3'])]);
    expect(await splitFile(inspected(scanned, 'application/pdf', 3))).toEqual([
      { pages: [0], slipNo: null },
      { pages: [2], slipNo: null },
    ]);
  });
});
