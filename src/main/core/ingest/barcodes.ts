/**
 * Reads barcodes and QR codes on a page image with zxing-wasm. The wasm binary is read from the
 * package's own file: by default zxing-wasm fetches it from a CDN, which offline aborts with "both
 * async and sync fetching of the wasm failed" (docs/architecture.md, "Offline always").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Sharp } from 'sharp';
import type { PageBarcode } from '../../../shared/model';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { findSlipNumbers } from '../extract/slip-numbers';
import { MAX_PIXELS } from './inspect';
import { sharp } from '../native-libraries';

/** Barcodes on a 300 DPI A4 scan stay readable at this size; larger only costs decoding time. */
export const MAX_BARCODE_SIDE = 3000;

const requireFromHere = createRequire(import.meta.url);
let prepared = false;

function prepareOffline(): void {
  if (prepared) return;
  const wasm = readFileSync(requireFromHere.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
  prepared = true;
}

/** An image as RGBA pixels, at most MAX_BARCODE_SIDE on its longest side. */
export interface RgbaPixels {
  data: Buffer;
  width: number;
  height: number;
}

export async function rgbaPixels(image: Buffer | Sharp): Promise<RgbaPixels> {
  const pipeline = Buffer.isBuffer(image) ? sharp(image, { limitInputPixels: MAX_PIXELS }).rotate() : image;
  const { data, info } = await pipeline
    .resize({ width: MAX_BARCODE_SIDE, height: MAX_BARCODE_SIDE, fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Every readable barcode in the pixels. zxing's tryHarder stays on: without it 1D codes are looked for
 * only on a few rows through the middle, and a Code 128 printed at the top of a slip is missed.
 */
export async function readPixelBarcodes({ data, width, height }: RgbaPixels): Promise<PageBarcode[]> {
  prepareOffline();
  // zxing takes anything shaped like ImageData (RGBA pixels + size); Node has no ImageData class.
  const pixels = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height, colorSpace: 'srgb' };
  const results = await readBarcodes(pixels as unknown as Parameters<typeof readBarcodes>[0], { tryHarder: true, maxNumberOfSymbols: 8 });
  return results.filter((result) => result.isValid && result.text.length > 0).map((result) => ({ format: result.format, text: result.text }));
}

/** Every readable barcode on the image (any format sharp decodes, EXIF orientation applied). */
export async function readPageBarcodes(image: Buffer | Sharp): Promise<PageBarcode[]> {
  return readPixelBarcodes(await rgbaPixels(image));
}

/** Slip numbers a barcode carries, by the same patterns and labels the text extractor uses. */
export function slipNumbersOf(barcodes: PageBarcode[], slipPatterns?: string[]): string[] {
  const values = barcodes.flatMap((barcode) => findSlipNumbers(barcode.text.trim(), slipPatterns).map((candidate) => candidate.value));
  return [...new Set(values)];
}
