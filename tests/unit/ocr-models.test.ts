/**
 * The optional fast OCR models and the pipeline's step switches: a fast pool reads with the files in
 * assets/tessdata-fast (never the npm packages'), a language without a fast model is refused by name, and
 * bench:ocr's options time each step and leave out the optional ones.
 */
import { readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { SlipVaultError } from '../../src/shared/errors';
import { FAST_MODEL_LANGUAGES, fastModelFile } from '../../src/main/core/ocr/fast-models';
import { grayPage } from '../../src/main/core/ocr/gray-page';
import { languageDataFile, languageDataFolder } from '../../src/main/core/ocr/language-data';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';
import type { OptionalStep, TimedStep } from '../../src/main/core/ocr/pipeline-steps';
import { recognisePage } from '../../src/main/core/ocr/recognise-file';

const LINES = ['CORNER HARDWARE SDN BHD', 'Date: 25/12/2018 8:13 PM', 'Nails 2 X 3.50 7.00', 'TOTAL RM 9.00'];

function receiptSvg(): Buffer {
  const text = LINES.map((line, index) => `<text x="40" y="${70 + index * 60}" font-size="34" font-family="DejaVu Sans Mono, monospace">${line}</text>`).join(
    '',
  );
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${LINES.length * 60 + 120}"><rect width="100%" height="100%" fill="white"/>${text}</svg>`,
  );
}

const pools: OcrPool[] = [];
const poolOf = (options: ConstructorParameters<typeof OcrPool>[0]) => {
  const pool = new OcrPool(options);
  pools.push(pool);
  return pool;
};
afterAll(() => Promise.all(pools.map((pool) => pool.terminate())));

describe('fast OCR models', () => {
  it('ship as gzipped traineddata beside their licence, distinct from the accurate models', () => {
    for (const language of FAST_MODEL_LANGUAGES) {
      const fast = gunzipSync(readFileSync(fastModelFile(language)));
      const accurate = gunzipSync(readFileSync(languageDataFile(language)));
      expect(fast.length, language).toBeGreaterThan(100_000);
      expect(fast.equals(accurate), language).toBe(false);
    }
    expect(readFileSync(join(fastModelFile('eng'), '..', 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });

  it('are what a fast pool links its language folder to', () => {
    const fast = languageDataFolder(['eng'], 'fast');
    expect(fast).not.toBe(languageDataFolder(['eng']));
    expect(readlinkSync(join(fast, 'eng.traineddata.gz'))).toBe(fastModelFile('eng'));
  });

  it('read a page', async () => {
    const pool = poolOf({ languages: 'eng', workers: 1, model: 'fast' });
    const page = await pool.recognise(await grayPage(sharp(receiptSvg())));
    expect(page.text).toMatch(/TOTAL RM 9\.00/);
    expect(page.text).toMatch(/25\/12\/2018/);
  }, 120_000);

  it('refuse a language they do not cover, naming it and the languages they do', async () => {
    let caught: unknown;
    try {
      fastModelFile('deu');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SlipVaultError);
    expect(caught).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/"deu" has no fast model; the fast models cover chi_sim and eng/) });
    const pool = poolOf({ languages: 'eng+deu', workers: 1, model: 'fast' });
    await expect(pool.recognise(await grayPage(sharp(receiptSvg())))).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('pipeline steps', () => {
  it('are timed per page, and the optional ones can be left out', async () => {
    const pool = poolOf({ languages: 'eng', workers: 1 });
    const png = await sharp(receiptSvg()).png().toBuffer();
    const read = async (skip: ReadonlySet<OptionalStep>) => {
      const steps: TimedStep[] = [];
      const page = await recognisePage(pool, png, 'image/png', 0, 'receipt.png', () => {}, {
        skip,
        onStep: (step, ms) => (expect(ms).toBeGreaterThanOrEqual(0), steps.push(step)),
      });
      return { page, steps };
    };
    const all = await read(new Set());
    expect(new Set(all.steps)).toEqual(new Set(['prepare', 'orientation', 'read', 'signature-strokes', 'field-reread']));
    const without = await read(new Set<OptionalStep>(['orientation', 'field-reread']));
    expect(new Set(without.steps)).toEqual(new Set(['prepare', 'read', 'signature-strokes']));
    expect(without.page.text).toBe(all.page.text);
  }, 120_000);
});
