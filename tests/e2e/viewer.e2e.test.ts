/**
 * The document viewer in real Chromium against the preview host on a temp archive: two generated slips
 * (recognised by the real OCR) and a generated two-page PDF. Searches a word and sees its box on the page
 * and in the text, zooms / fits / turns the view (not saved) and rotates a page (saved), pages through the
 * PDF drawn by pdfjs in its worker, corrects the OCR text and adds a page: each change is a version in the
 * history. Saves docs/screenshots/document-viewer.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { pdfBytes, tempDir } from '../helpers/fixtures';
import { launchBrowser, openCheckedPage, type Browser, logIn } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

let host: PreviewHost;
let browser: Browser;
let page: Page;
let slipNo: string;
let pdfNo: string;
let scannedNo: string;
const pageErrors: string[] = [];

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element has no box');
  return found;
}

/** Where `inner` sits inside `outer`, as fractions of the outer box. */
async function fractionIn(inner: Locator, outer: Locator): Promise<{ left: number; top: number; right: number; bottom: number }> {
  const [a, b] = [await box(inner), await box(outer)];
  return { left: (a.x - b.x) / b.width, top: (a.y - b.y) / b.height, right: (a.x + a.width - b.x) / b.width, bottom: (a.y + a.height - b.y) / b.height };
}

/**
 * fractionIn once the two boxes stop moving: the boxes are read one after the other, so while the drawer
 * still slides in they come from different frames (a hit at x 0.07 measured as 0.26–0.29).
 */
async function settledFractionIn(inner: Locator, outer: Locator): Promise<{ left: number; top: number; right: number; bottom: number }> {
  let previous = await fractionIn(inner, outer);
  for (let attempt = 0; attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const current = await fractionIn(inner, outer);
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    previous = current;
  }
  throw new Error('the hit box kept moving for 5 s');
}

/** A one-page scanned PDF: the JPEG drawn over the whole A4 page, no text layer (so the OCR reads it). */
function scannedPdf(jpeg: Buffer, width: number, height: number): Buffer {
  const content = 'q 595 0 0 842 0 0 cm /Scan Do Q';
  const parts: (string | Buffer)[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (part: string | Buffer) => {
    parts.push(part);
    length += typeof part === 'string' ? Buffer.byteLength(part, 'latin1') : part.length;
  };
  const object = (id: number, body: string, stream?: Buffer) => {
    offsets[id] = length;
    push(`${id} 0 obj\n${body}\n`);
    if (stream) {
      push('stream\n');
      push(stream);
      push('\nendstream\n');
    }
    push('endobj\n');
  };
  push('%PDF-1.4\n');
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Scan 4 0 R >> >> /Contents 5 0 R >>');
  object(
    4,
    `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>`,
    jpeg,
  );
  object(5, `<< /Length ${content.length} >>`, Buffer.from(content, 'latin1'));
  const xref = length;
  push(
    `xref\n0 6\n0000000000 65535 f \n${offsets
      .slice(1)
      .map((at) => `${String(at).padStart(10, '0')} 00000 n \n`)
      .join('')}`,
  );
  push(`trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-viewer-e2e-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    actor: 'clerk-wang',
  });
  const [slip] = await writeSlips(tempDir('slipvault-viewer-slips-'), 1);
  slipNo = (await host.archive.documents.importFile(slip!)).archiveNo;
  const pdfPath = join(tempDir('slipvault-viewer-pdf-'), 'two-pages.pdf');
  writeFileSync(pdfPath, pdfBytes(2, 'viewer-pdf'));
  pdfNo = (await host.archive.documents.importFile(pdfPath)).archiveNo;
  // A scanned receipt as a PDF: its word boxes come from OCR of the page rendered at 300 DPI.
  const [, receipt] = await writeSlips(tempDir('slipvault-viewer-scan-'), 2);
  const scanPath = join(tempDir('slipvault-viewer-scanpdf-'), 'scanned-receipt.pdf');
  writeFileSync(scanPath, scannedPdf(readFileSync(receipt!), 600, 840));
  scannedNo = (await host.archive.documents.importFile(scanPath)).archiveNo;
  // The real OCR: the slip's words and boxes, the PDF's text layer.
  await host.archive.processQueue();

  browser = await launchBrowser('zh-CN');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe('the document viewer in Chromium via the preview host', () => {
  it('highlights search hits (image and scanned PDF), zooms, fits, turns, rotates, pages a PDF, corrects text, adds and drags a page', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'clerk-wang');
    await expect.poll(() => page.locator('.shell-sider').innerText()).toContain('搜索');

    // --- search a word the OCR read; the result opens on the page with the word boxed ---
    await page.keyboard.press('Alt+4');
    const search = page.locator('.search-screen');
    await search.locator('.search-box input').fill('DELIVERY');
    await search.locator('.search-box input').press('Enter');
    await expect.poll(() => search.locator('.search-hit').count()).toBe(1);
    await search.locator('.search-hit').click();
    const drawer = page.locator('.document-drawer .ant-drawer-section');
    await expect.poll(() => drawer.locator('.ant-tabs-tab-active').innerText()).toContain('页面');
    const viewport = drawer.locator('.page-viewport');
    const stage = drawer.locator('.page-stage');
    await expect.poll(() => viewport.getAttribute('data-scale')).not.toBe('');
    const hit = drawer.locator('.hit-box').first();
    await expect.poll(() => drawer.locator('.hit-box').count()).toBeGreaterThan(0);
    // "DELIVERY NOTE" is printed at the top left of the 600 × 840 slip (x 40…, baseline y 80).
    let where = await settledFractionIn(hit, stage);
    expect(where.left).toBeGreaterThan(0.03);
    expect(where.left).toBeLessThan(0.2);
    expect(where.top).toBeGreaterThan(0.03);
    expect(where.bottom).toBeLessThan(0.15);
    // The text panel marks the term too.
    await expect.poll(() => drawer.locator('.ocr-text mark.text-hit').first().innerText()).toMatch(/delivery/i);
    expect(await drawer.locator('.ocr-status').innerText()).toMatch(/OCR · 平均置信度 \d+%/);
    await page.mouse.move(5, 400);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOTS, 'document-viewer.png') });

    // --- zoom with the keyboard and the toolbar; fit width and fit page ---
    const scale = async () => Number(await viewport.getAttribute('data-scale'));
    const fitted = await scale();
    await page.keyboard.press('+');
    await expect.poll(scale).toBeGreaterThan(fitted);
    const zoomed = await scale();
    await drawer.getByRole('button', { name: '缩小' }).click();
    await expect.poll(scale).toBeLessThan(zoomed);
    await page.keyboard.press('w');
    const room = await viewport.evaluate((element) => (element as unknown as { clientWidth: number }).clientWidth);
    await expect.poll(async () => (await box(stage)).width).toBeGreaterThan(room - 60);
    expect((await box(stage)).width).toBeLessThanOrEqual(room);
    await drawer.getByRole('button', { name: '整页显示' }).click();
    const viewportBox = await box(viewport);
    await expect.poll(async () => (await box(stage)).height).toBeLessThanOrEqual(viewportBox.height);
    // The word box follows the zoom: still on the word.
    where = await settledFractionIn(hit, stage);
    expect(where.left).toBeLessThan(0.2);
    expect(where.bottom).toBeLessThan(0.15);

    // --- turning the view is display only: no version; the word box turns with the page ---
    const versionBefore = host.archive.documents.get(slipNo).currentVersion;
    await drawer.getByRole('button', { name: '转动视图' }).click();
    await expect.poll(() => stage.getAttribute('data-rotation')).toBe('90');
    await expect.poll(async () => (await box(stage)).width > (await box(stage)).height).toBe(true);
    await expect.poll(async () => (await fractionIn(hit, stage)).right).toBeGreaterThan(0.85); // top-left → top-right
    expect(await drawer.locator('.view-turn-tag').innerText()).toContain('仅显示');
    expect(host.archive.documents.get(slipNo).currentVersion).toBe(versionBefore);
    // Upside down and zoomed in, the word (now bottom right) is scrolled into sight.
    await page.keyboard.press('r');
    await expect.poll(() => stage.getAttribute('data-rotation')).toBe('180');
    // Key repeat: each + steps from the last one (fit ≈ 0.65 → 0.67, 0.75, 1, 1.25, 1.5, 2).
    for (const _ of [1, 2, 3, 4, 5, 6]) await page.keyboard.press('+');
    await expect.poll(scale).toBe(2);
    await expect
      .poll(async () => {
        const [word, view] = [await box(hit), await box(viewport)];
        return word.y >= view.y && word.y + word.height <= view.y + view.height && word.x >= view.x && word.x + word.width <= view.x + view.width;
      })
      .toBe(true);
    await page.keyboard.press('r');
    await page.keyboard.press('r');
    await expect.poll(() => stage.getAttribute('data-rotation')).toBe('0');
    await page.keyboard.press('0');

    // --- rotating the page is stored: a new version, shown as the page's saved rotation ---
    await drawer.getByRole('button', { name: '向右旋转' }).first().click();
    await expect.poll(() => host.archive.documents.get(slipNo).currentVersion).toBe(versionBefore + 1);
    expect(host.archive.documents.get(slipNo).pages[0]!.rotation).toBe(90);
    await expect.poll(() => drawer.locator('.stored-rotation-tag').innerText()).toContain('90°');
    await expect.poll(() => stage.getAttribute('data-rotation')).toBe('90');

    // --- correct the OCR text: a new version with the reason, in the history ---
    await drawer.getByRole('button', { name: '修改文本' }).click();
    const editor = drawer.locator('.ocr-text-input');
    await editor.fill('DELIVERY NOTE\nNo. DN-2026-0417 (corrected)');
    await drawer.getByLabel('修改原因（可选').fill('对照纸质单据更正');
    await editor.press('Control+Enter');
    await expect.poll(() => host.archive.documents.get(slipNo).currentVersion).toBe(versionBefore + 2);
    expect(host.archive.documents.get(slipNo).pages[0]!.text).toBe('DELIVERY NOTE\nNo. DN-2026-0417 (corrected)');
    await expect.poll(() => drawer.locator('.ocr-text').innerText()).toContain('(corrected)');

    // --- add a page from a file: one more version ---
    const [extra] = await writeSlips(tempDir('slipvault-viewer-extra-'), 2).then((paths) => paths.slice(1));
    await drawer.locator('.add-pages-input').setInputFiles(extra!);
    await expect.poll(() => host.archive.documents.get(slipNo).pages.length).toBe(2);
    expect(host.archive.documents.get(slipNo).currentVersion).toBeGreaterThanOrEqual(versionBefore + 3);
    // Background OCR then reads the added page: its text is one more version.
    await expect.poll(() => host.archive.documents.get(slipNo).currentVersion, { timeout: 60_000, interval: 250 }).toBe(versionBefore + 4);
    await expect.poll(() => drawer.locator('.page-card').count()).toBe(2);
    await page.keyboard.press('PageDown');
    await expect.poll(() => drawer.locator('.page-position').innerText()).toBe('2 / 2');

    // --- drag the new page in front of the first: one reorder, one version ---
    const [firstId, addedId] = host.archive.documents.get(slipNo).pages.map((p) => p.pageId);
    await drawer.locator('.page-card').nth(1).dragTo(drawer.locator('.page-card').nth(0));
    await expect.poll(() => host.archive.documents.get(slipNo).pages.map((p) => p.pageId)).toEqual([addedId, firstId]);
    expect(host.archive.documents.get(slipNo).currentVersion).toBe(versionBefore + 5);
    await expect.poll(() => drawer.locator('.page-card').first().getAttribute('data-page-id')).toBe(String(addedId));

    await page.mouse.move(5, 400);
    await drawer.getByRole('tab', { name: '版本历史' }).click();
    await expect.poll(() => drawer.locator('.version-item').count()).toBe(versionBefore + 5);
    const history = await drawer.locator('.history-panel').innerText();
    expect(history).toContain('修改文本');
    expect(history).toContain('对照纸质单据更正');
    expect(history).toContain('添加页面');
    expect(history).toContain('旋转页面');
    expect(history).toContain('调整页序');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    // --- a PDF: pdfjs draws each page in a canvas; PageDown / PageUp page through it ---
    await page.keyboard.press('Alt+2');
    await page.locator('.archive-screen .ant-table-row', { hasText: pdfNo }).click();
    await drawer.getByRole('tab', { name: /页面/ }).click();
    const canvas = drawer.locator('canvas.page-surface');
    // Ink on the page: pdfjs drew the text line (black on white).
    const inked = () =>
      canvas.evaluate((element) => {
        // Read a copy made for reading, so the test's polling does not slow the page's own canvas.
        const browser = globalThis as unknown as {
          document: { createElement(tag: 'canvas'): CanvasLike };
        };
        interface CanvasLike {
          width: number;
          height: number;
          getContext(
            kind: '2d',
            options?: { willReadFrequently: boolean },
          ): {
            drawImage(source: unknown, x: number, y: number): void;
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        }
        const surface = element as unknown as CanvasLike;
        const copy = browser.document.createElement('canvas');
        copy.width = surface.width;
        copy.height = surface.height;
        const context = copy.getContext('2d', { willReadFrequently: true });
        context.drawImage(surface, 0, 0);
        const { data } = context.getImageData(0, 0, copy.width, copy.height);
        let dark = 0;
        for (let index = 0; index < data.length; index += 4) if (data[index]! < 100 && data[index + 3]! > 0) dark += 1;
        return dark;
      });
    await expect.poll(inked).toBeGreaterThan(50);
    expect(await drawer.locator('.page-position').innerText()).toBe('1 / 2');
    const firstSize = await box(drawer.locator('.page-stage'));
    // An A4 page is taller than wide.
    expect(firstSize.height / firstSize.width).toBeCloseTo(842 / 595, 1);
    await page.keyboard.press('PageDown');
    await expect.poll(() => drawer.locator('.page-position').innerText()).toBe('2 / 2');
    await expect.poll(() => drawer.locator('.ocr-text').innerText()).toContain('viewer-pdf page 2');
    await expect.poll(inked).toBeGreaterThan(50);
    await page.keyboard.press('PageUp');
    await expect.poll(() => drawer.locator('.ocr-text').innerText()).toContain('viewer-pdf page 1');
    await page.keyboard.press('+');
    await expect.poll(async () => (await box(drawer.locator('.page-stage'))).width).toBeGreaterThan(firstSize.width);
    expect(await drawer.locator('.ocr-status').innerText()).toContain('PDF 文字层');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    // --- a scanned PDF: the OCR read its 300 DPI rendering; the hit box still lands on the printed word ---
    await page.keyboard.press('Alt+4');
    await search.locator('.search-box input').fill('RECEIPT');
    await search.locator('.search-box input').press('Enter');
    // The scanned PDF, and the slip whose added page (a receipt) background OCR has read by now.
    await expect.poll(() => search.locator('.search-hit').count()).toBe(2);
    await search.locator(`.search-hit[data-archive-no="${scannedNo}"]`).click();
    await expect.poll(() => drawer.locator('.hit-box').count()).toBeGreaterThan(0);
    await expect.poll(inked).toBeGreaterThan(50);
    // "RECEIPT" is printed at x 40…, baseline y 80 of the 600 × 840 slip that fills the page.
    const receiptAt = await settledFractionIn(drawer.locator('.hit-box').first(), drawer.locator('.page-stage'));
    expect(receiptAt.left).toBeGreaterThan(0.03);
    expect(receiptAt.left).toBeLessThan(0.2);
    expect(receiptAt.top).toBeGreaterThan(0.03);
    expect(receiptAt.bottom).toBeLessThan(0.15);

    expect(pageErrors).toEqual([]);
  });
});
