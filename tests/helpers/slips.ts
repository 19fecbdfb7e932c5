/** Small real slip images (text drawn with sharp) and archives set up for fast OCR tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { slipvaultJson } from './cli';
import { tempDir } from './fixtures';

export function slipSvg(lines: string[], width = 760): string {
  const text = lines
    .map((line, index) => `<text x="24" y="${60 + index * 56}" font-size="34" font-family="WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif">${line}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${50 + lines.length * 56}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`;
}

export async function writeSlip(dir: string, name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  writeFileSync(
    path,
    await sharp(Buffer.from(slipSvg(lines)))
      .png()
      .toBuffer(),
  );
  return path;
}

/**
 * A new archive recognising English only (the per-archive ocrLanguages setting): a
 * fraction of chi_sim+eng's start-up and recognition time, for tests whose slips are Latin text.
 */
export function newEnglishArchive(): { archive: string; dir: string } {
  const dir = tempDir();
  const archive = join(dir, 'archive');
  slipvaultJson(['--archive', archive, 'init']);
  slipvaultJson(['--archive', archive, 'config', 'set', 'ocrLanguages', 'eng']);
  return { archive, dir };
}
