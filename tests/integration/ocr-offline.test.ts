/**
 * OCR runs with networking disabled (`unshare -n`): language data, the wasm engine and pdfjs data all
 * come from npm packages. Images are tiny, generated with sharp from SVG text.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileOcrResult } from '../../src/shared/model';
import { CLI_BIN } from '../helpers/cli';
import { pdfBytes, tempDir } from '../helpers/fixtures';

const LINES = ['送货单 SO-2026-0417', '合计 ¥1,234.50', '日期 2026年3月5日'];

export async function slipImage(lines: string[] = LINES): Promise<Buffer> {
  const text = lines
    .map((line, index) => `<text x="24" y="${70 + index * 70}" font-size="40" font-family="WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${60 + lines.length * 70}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A one-page PDF whose only content is a JPEG scanned at 150 DPI: no text layer. */
function imageOnlyPdf(jpeg: Buffer, pixelWidth: number, pixelHeight: number): Buffer {
  const width = Math.round((pixelWidth * 72) / 150);
  const height = Math.round((pixelHeight * 72) / 150);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (chunk: Buffer | string) => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(buffer);
    length += buffer.length;
  };
  const content = `q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q`;
  push('%PDF-1.4\n');
  const objects: (string | Buffer)[][] = [
    ['<< /Type /Catalog /Pages 2 0 R >>'],
    ['<< /Type /Pages /Kids [3 0 R] /Count 1 >>'],
    [`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`],
    [
      `<< /Type /XObject /Subtype /Image /Width ${pixelWidth} /Height ${pixelHeight} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
      jpeg,
      '\nendstream',
    ],
    [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`],
  ];
  objects.forEach((body, index) => {
    offsets.push(length);
    push(`${index + 1} 0 obj\n`);
    for (const piece of body) push(piece);
    push('\nendobj\n');
  });
  const xref = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`);
  push(`trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts);
}

function ocrOffline(file: string): FileOcrResult {
  const run = spawnSync('unshare', ['-n', process.execPath, CLI_BIN, '--json', 'ocr', file, '--workers', '1'], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`slipvault ocr exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as FileOcrResult;
}

const top = (result: FileOcrResult, field: string) => result.suggestions.find((suggestion) => suggestion.field === field)?.value;

describe('slipvault ocr FILE with networking disabled', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it('recognises Chinese and English on a PNG: text, word boxes, confidence, suggestions', async () => {
    const file = join(dir, 'slip.png');
    writeFileSync(file, await slipImage());
    const result = ocrOffline(file);
    expect(result.pages).toHaveLength(1);
    const page = result.pages[0]!;
    expect(page.source).toBe('ocr');
    expect(page.text).toContain('送货单');
    expect(page.text).toContain('SO-2026-0417');
    expect(page.confidence).toBeGreaterThan(60);
    // A word is what the engine reads as one: a word for tesseract.js, a text box for PP-OCR (this Chinese slip's engine).
    const word = page.words.find((candidate) => candidate.text.includes('SO-2026-0417'));
    expect(word?.bbox[2]).toBeGreaterThan(word!.bbox[0]);
    expect(word?.confidence).toBeGreaterThan(50);
    expect(top(result, 'signedDate')).toBe('2026-03-05');
    expect(top(result, 'amount')).toBe('1234.50');
    expect(top(result, 'slipNo')).toBe('SO-2026-0417');
  });

  it('reads a page scanned upside down', async () => {
    const file = join(dir, 'upside-down.png');
    writeFileSync(
      file,
      await sharp(await slipImage())
        .rotate(180)
        .png()
        .toBuffer(),
    );
    const result = ocrOffline(file);
    expect(result.pages[0]?.text).toContain('SO-2026-0417');
    expect(result.pages[0]?.confidence).toBeGreaterThan(60);
  });

  it('renders an image-only PDF and OCRs it', async () => {
    const image = sharp(await slipImage(['INVOICE INV-2026-0042', 'TOTAL RM 88.20']));
    const { width, height } = await image.metadata();
    const file = join(dir, 'scan.pdf');
    writeFileSync(file, imageOnlyPdf(await image.jpeg({ quality: 90 }).toBuffer(), width, height));
    const result = ocrOffline(file);
    expect(result.pages[0]?.source).toBe('ocr');
    expect(result.pages[0]?.text).toContain('INV-2026-0042');
    expect(top(result, 'amount')).toBe('88.20');
  });

  it("takes a text-layer PDF's own text without OCR", () => {
    const file = join(dir, 'text.pdf');
    writeFileSync(file, pdfBytes(2, 'Delivery SO-2026-0999'));
    const result = ocrOffline(file);
    expect(result.pages.map((page) => page.source)).toEqual(['pdf-text', 'pdf-text']);
    expect(result.pages[1]?.text).toBe('Delivery SO-2026-0999 page 2');
    expect(result.pages[0]?.confidence).toBe(100);
  });
});
