/** Real barcode and QR images for tests, written by zxing-wasm's writer (loaded from its package file, offline). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';
import { slipSvg } from './slips';

const requireHere = createRequire(import.meta.url);
let prepared = false;

export async function barcodePng(text: string, format: 'QRCode' | 'Code128' | 'EAN13' = 'QRCode', scale = 4): Promise<Buffer> {
  if (!prepared) {
    const wasm = readFileSync(requireHere.resolve('zxing-wasm/writer/zxing_writer.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
    prepared = true;
  }
  const written = await writeBarcode(text, { format, scale });
  if (!written.image) throw new Error(`zxing could not write ${format} "${text}": ${written.error}`);
  return Buffer.from(await written.image.arrayBuffer());
}

/** A white slip page: text lines and, when given, a barcode below them. */
export async function slipPage(lines: string[], barcode?: Buffer): Promise<Buffer> {
  const text = sharp(Buffer.from(slipSvg(lines, 900)));
  if (!barcode) return text.png().toBuffer();
  const code = await sharp(barcode).metadata();
  const textHeight = 50 + lines.length * 56;
  return text
    .extend({ bottom: (code.height ?? 0) + 40, background: '#ffffff' })
    .composite([{ input: barcode, left: 24, top: textHeight + 20 }])
    .png()
    .toBuffer();
}
