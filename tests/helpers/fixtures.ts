/** Real, small files for tests: images made with sharp, PDFs written object by object. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export function tempDir(prefix = 'slipvault-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let seed = 0;
/**
 * A distinct colour per call, so no two fixtures are byte-identical (the archive refuses duplicates);
 * never lighter than 180 per channel, so no fixture page reads as a blank separator sheet (batch splitting).
 */
function nextColour(): { r: number; g: number; b: number } {
  seed += 1;
  return { r: (seed * 37) % 180, g: (seed * 91) % 180, b: (seed * 53 + Math.floor(Math.random() * 200)) % 180 };
}

function blank(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: nextColour() } });
}

export async function writeJpeg(dir: string, name: string, width = 320, height = 480): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await blank(width, height).jpeg({ quality: 80 }).toBuffer());
  return path;
}

export async function writePng(dir: string, name: string, width = 320, height = 480): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await blank(width, height).png().toBuffer());
  return path;
}

export async function writeTiff(dir: string, name: string, pages: number): Promise<string> {
  const frames = await Promise.all(Array.from({ length: pages }, () => blank(200, 300).png().toBuffer()));
  const path = join(dir, name);
  writeFileSync(
    path,
    await sharp(frames, { join: { animated: true } })
      .tiff({ compression: 'lzw' })
      .toBuffer(),
  );
  return path;
}

/** A minimal valid PDF with `pages` pages, each showing one line of text. */
export function pdfBytes(pages: number, label = `doc-${Date.now()}-${Math.random()}`): Buffer {
  const objects: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, index) => 4 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  pageIds.forEach((id, index) => {
    const stream = `BT /F1 18 Tf 72 720 Td (${label} page ${index + 1}) Tj ET`;
    objects[id] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id += 1) {
    offsets[id] = Buffer.byteLength(body, 'latin1');
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id += 1) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export function writePdf(dir: string, name: string, pages: number): string {
  const path = join(dir, name);
  writeFileSync(path, pdfBytes(pages));
  return path;
}
