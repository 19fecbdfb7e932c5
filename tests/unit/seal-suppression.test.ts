/**
 * Red seals out of the text's way (src/main/core/ocr/seal-suppression.ts): on a generated page with a red
 * company seal stamped over black print and a red printed title, the seal's red is whitened on the page the
 * engines read; the black print under it and the red title stay, and the seal's ring text is not read.
 */
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { grayPage } from '../../src/main/core/ocr/gray-page';
import { OcrPool } from '../../src/main/core/ocr/ocr-pool';
import { recognisePage } from '../../src/main/core/ocr/recognise-file';
import { colourPixels, whitenSeals } from '../../src/main/core/ocr/seal-suppression';
import { sharp } from '../../src/main/core/native-libraries';

const SEAL = { x: 620, y: 260, radius: 110 };

/** A slip: a red title, three black lines, and a red seal with its own text stamped over the end of the second line. */
function sealedPage(): Buffer {
  const canvas = createCanvas(900, 460);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 900, 460);
  context.fillStyle = '#d21f1f';
  context.font = '44px "WenQuanYi Zen Hei"';
  context.fillText('上海增值税电子普通发票', 40, 70);
  context.fillStyle = '#000000';
  context.font = '38px "WenQuanYi Zen Hei"';
  context.fillText('收货单位：华南贸易有限公司', 40, 170);
  context.fillText('合计金额：壹仟贰佰元整 1200.00', 40, 270);
  context.fillText('签收日期：2026年3月5日', 40, 370);
  // Stamp ink darkens what is under it, as a multiply: black print under the seal stays black.
  context.globalCompositeOperation = 'multiply';
  context.strokeStyle = 'rgba(220, 30, 40, 0.85)';
  context.lineWidth = 7;
  context.beginPath();
  context.arc(SEAL.x, SEAL.y, SEAL.radius, 0, Math.PI * 2);
  context.stroke();
  context.fillStyle = 'rgba(220, 30, 40, 0.85)';
  context.font = '34px "WenQuanYi Zen Hei"';
  context.fillText('★', SEAL.x - 17, SEAL.y + 12);
  context.fillText('发票专用章', SEAL.x - 85, SEAL.y + 70);
  return canvas.toBuffer('image/png');
}

const pools: OcrPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.terminate()));
});

describe('seal suppression', () => {
  it('whitens the seal red inside the stamp, keeps black print under it and the red printed title', async () => {
    const bytes = sealedPage();
    const gray = await grayPage(sharp(bytes));
    const before = Buffer.from(gray.pixels);
    const colour = await colourPixels(sharp(bytes));
    expect(colour).not.toBeNull();
    expect(whitenSeals(gray, colour!)).toBe(1);
    const at = (x: number, y: number) => y * gray.width + x;
    // The top of the ring, clear of the print: red before, paper after.
    const ring = at(SEAL.x, SEAL.y - SEAL.radius);
    expect(before[ring]).toBeLessThan(200);
    expect(gray.pixels[ring]).toBe(255);
    // The title is red print, a band, not a stamp: untouched.
    let titleInk = 0;
    for (let x = 40; x < 500; x += 1) for (let y = 30; y < 80; y += 1) if (gray.pixels[at(x, y)]! < 160) titleInk += 1;
    expect(titleInk).toBeGreaterThan(500);
    // Black print inside the seal's box stays as dark as it was.
    let blackKept = 0;
    let blackBefore = 0;
    for (let x = SEAL.x - SEAL.radius; x < SEAL.x + SEAL.radius; x += 1) {
      for (let y = 235; y < 280; y += 1) {
        if (before[at(x, y)]! < 60) {
          blackBefore += 1;
          if (gray.pixels[at(x, y)]! < 60) blackKept += 1;
        }
      }
    }
    expect(blackBefore).toBeGreaterThan(100);
    // All but a few anti-aliased edge pixels, where the ring's red meets a stroke.
    expect(blackKept / blackBefore).toBeGreaterThan(0.98);
  });

  it('leaves a page without colour as it is: a gray seal is not told from print', async () => {
    const bytes = await sharp(sealedPage()).grayscale().png().toBuffer();
    const gray = await grayPage(sharp(bytes));
    const before = Buffer.from(gray.pixels);
    const colour = await colourPixels(sharp(bytes));
    expect(colour === null || whitenSeals(gray, colour) === 0).toBe(true);
    expect(gray.pixels.equals(before)).toBe(true);
  });

  it('keeps the seal text out of what PP-OCR reads, and the print under the seal in', async () => {
    const pool = new OcrPool({ engine: 'paddle', workers: 1 });
    pools.push(pool);
    const text = (await recognisePage(pool, sealedPage(), 'image/png', 0, 'sealed.png')).text.replace(/\s+/g, '');
    expect(text).not.toContain('专用章');
    expect(text).toContain('1200.00');
    expect(text).toContain('华南贸易有限公司');
    expect(text).toContain('增值税电子普通发票');
  });
});
