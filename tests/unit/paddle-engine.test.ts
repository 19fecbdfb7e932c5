/**
 * PP-OCR as SlipVault's engine for Chinese pages (src/main/core/ocr/paddle-*.ts, engine-choice.ts): the
 * real models on worker threads, reading generated pages.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { SlipVaultError } from '../../src/shared/errors';
import { isMostlyChinese, usesPaddle } from '../../src/main/core/ocr/engine-choice';
import { grayPage } from '../../src/main/core/ocr/gray-page';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';
import { paddlePageText } from '../../src/main/core/ocr/paddle-pool';
import { recogniseFile, recognisePage } from '../../src/main/core/ocr/recognise-file';
import { sharp } from '../../src/main/core/native-libraries';
import { tempDir } from '../helpers/fixtures';

/** A white page with these lines in black, drawn with the CJK font the test machines have. */
function page(lines: string[], width = 900): Buffer {
  const canvas = createCanvas(width, 80 + lines.length * 70);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000000';
  context.font = '40px "WenQuanYi Zen Hei"';
  lines.forEach((line, index) => context.fillText(line, 40, 80 + index * 70));
  return canvas.toBuffer('image/png');
}

const CHINESE = ['送货单 编号 SH-20260417', '收货单位：华南贸易有限公司', '合计金额：1200.50 元'];
const ENGLISH = ['DELIVERY NOTE 0417', 'Customer: Harbour Trading Ltd', 'Total amount 1200.50'];
const squeeze = (text: string) => text.replace(/\s+/g, '');

const pools: OcrPool[] = [];
function pool(engine: 'auto' | 'tesseract' | 'paddle', languages = 'chi_sim+eng'): OcrPool {
  const made = new OcrPool({ languages, engine, workers: 1 });
  pools.push(made);
  return made;
}

afterAll(async () => {
  await Promise.all(pools.map((made) => made.terminate()));
});

describe('PP-OCR engine', () => {
  it('reads a Chinese page into text in reading order and a word per box, with boxes on the page', async () => {
    const paddle = pool('paddle').paddle()!;
    const image = await grayPage(sharp(page(CHINESE)));
    const read = await paddle.recognise(image);
    const text = squeeze(read.text);
    expect(text).toContain('送货单');
    expect(text).toContain('华南贸易有限公司');
    expect(text).toContain('1200.50');
    expect(text.indexOf('送货单')).toBeLessThan(text.indexOf('华南贸易'));
    expect(text.indexOf('华南贸易')).toBeLessThan(text.indexOf('1200.50'));
    expect(read.source).toBe('ocr');
    expect(read.confidence).toBeGreaterThan(80);
    const company = read.words.find((word) => word.text.includes('华南贸易'))!;
    // The second line is drawn with its baseline at y = 150, 40 px text.
    expect(company.bbox[1]).toBeGreaterThan(95);
    expect(company.bbox[3]).toBeLessThan(175);
    expect(company.bbox[0]).toBeLessThan(60);
  });

  it('joins boxes of one row left to right, rows top to bottom, and leaves unsure boxes out', () => {
    const line = (text: string, confidence: number, bbox: [number, number, number, number]) => ({
      text,
      confidence,
      bbox,
      baseline: [bbox[0], bbox[3], bbox[2], bbox[3]] as [number, number, number, number],
    });
    const read = paddlePageText([
      line('金额', 0.97, [400, 98, 480, 130]),
      line('合计', 0.95, [40, 100, 120, 128]),
      line('送货单', 0.99, [40, 20, 160, 52]),
      line('㗊', 0.31, [600, 20, 640, 52]),
    ]);
    expect(read.text).toBe('送货单\n合计金额');
    expect(read.words.map((word) => word.text)).toEqual(['金额', '合计', '送货单']);
    expect(read.words[0]!.confidence).toBe(97);
    // The unsure box counts towards the page's confidence: a page read upside down is a page of unsure boxes.
    expect(read.confidence).toBe(80.5);
    expect(paddlePageText([]).confidence).toBe(0);
  });
});

describe('engine choice', () => {
  it('sends pages to PP-OCR only when the choice and the languages allow it', () => {
    expect(usesPaddle('auto', ['chi_sim', 'eng'])).toBe(true);
    expect(usesPaddle('auto', ['eng'])).toBe(false);
    expect(usesPaddle('tesseract', ['chi_sim', 'eng'])).toBe(false);
    expect(usesPaddle('paddle', ['eng'])).toBe(true);
    expect(pool('tesseract').paddle()).toBeNull();
    expect(pool('auto', 'eng').paddle()).toBeNull();
  });

  it('counts a page as Chinese when it has at least as many Han characters as Latin words', () => {
    expect(isMostlyChinese('送货单 SH-20260417 合计 1200.50')).toBe(true);
    // Bilingual labels: each Chinese label outweighs its English translation.
    expect(isMostlyChinese('收货单位 Consignee\n合计 Total amount')).toBe(true);
    expect(isMostlyChinese('DELIVERY NOTE 0417 Harbour Trading 华南')).toBe(false);
    expect(isMostlyChinese('0417 1200.50')).toBe(false);
  });

  it('under auto keeps the PP-OCR reading of a Chinese page and reads an English page with tesseract.js', async () => {
    const auto = pool('auto');
    const chinese = await recognisePage(auto, page(CHINESE), 'image/png', 0, 'chinese.png');
    expect(squeeze(chinese.text)).toContain('收货单位：华南贸易有限公司');
    // PP-OCR returns a word per detected box; tesseract.js a word per word.
    expect(chinese.words.some((word) => word.text.includes('华南贸易有限公司'))).toBe(true);

    const english = await recognisePage(auto, page(ENGLISH), 'image/png', 0, 'english.png');
    const byTesseract = await recognisePage(pool('tesseract'), page(ENGLISH), 'image/png', 0, 'english.png');
    expect(english.text).toBe(byTesseract.text);
    expect(english.text).toContain('Harbour Trading');
  });

  it('fails a corrupt image with the file and page named, whichever engine is chosen', async () => {
    const dir = tempDir();
    const corrupt = join(dir, 'broken.png');
    writeFileSync(corrupt, Buffer.concat([page(CHINESE).subarray(0, 200), Buffer.alloc(300, 0)]));
    const failure = await recogniseFile(pool('paddle'), corrupt).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlipVaultError);
    expect(failure).toMatchObject({ code: 'CORRUPT_FILE' });
    expect((failure as SlipVaultError).message).toContain('broken.png');
  });
});
