/**
 * The document's Pages tab in real Chromium against the preview host on a temp archive: pages scanned
 * straight into a document with SANE's `test` backend (the inbox's scanner controls, a scanner error kept
 * in the dialog, then one new version; the Inbox's own scan with the same controls), and typing that stays
 * responsive while a very large page image is being decoded. Saves docs/screenshots/scan-pages.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { saneTestConfig } from '../helpers/sane';
import { launchBrowser, openCheckedPage, type Browser, logIn } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const savedSaneConfig = process.env.SANE_CONFIG_DIR;

let host: PreviewHost;
let browser: Browser;
let page: Page;
let slipNo: string;
let bigNo: string;
const pageErrors: string[] = [];

/** A page photographed at high resolution: 6000 × 8500 px of grainy paper, about 51 megapixels. */
async function writeBigPage(dir: string): Promise<string> {
  const path = join(dir, 'huge-photo.jpg');
  const grain = await sharp({ create: { width: 6000, height: 8500, channels: 3, background: '#f4f1e8', noise: { type: 'gaussian', mean: 200, sigma: 40 } } })
    .jpeg({ quality: 85 })
    .toBuffer();
  writeFileSync(path, grain);
  return path;
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The preview host runs in this process; scanimage reads its SANE configuration from the environment.
  process.env.SANE_CONFIG_DIR = saneTestConfig(1);
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-pages-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    actor: 'clerk-zhou',
    // Version numbers below are the clerk's alone; recognising the pages is not what is tested here.
    backgroundOcr: false,
  });
  const [slip] = await writeSlips(tempDir('slipvault-e2e-pages-slips-'), 1);
  slipNo = (await host.archive.documents.importFile(slip!)).archiveNo;
  bigNo = (await host.archive.documents.importFile(await writeBigPage(tempDir('slipvault-e2e-big-')))).archiveNo;
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (savedSaneConfig === undefined) delete process.env.SANE_CONFIG_DIR;
  else process.env.SANE_CONFIG_DIR = savedSaneConfig;
});

const drawer = () => page.locator('.document-drawer .ant-drawer-section');

async function openDocument(archiveNo: string): Promise<void> {
  await page.locator('[data-screen="archive"]').click();
  await page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).click();
  await expect.poll(() => drawer().locator('.ant-drawer-title .mono').innerText()).toBe(archiveNo);
}

describe('the Pages tab in Chromium via the preview host', () => {
  it('scans pages straight into a document with the SANE test scanner: an error stays in the dialog, a scan is one version', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'clerk-zhou');
    await openDocument(slipNo);
    const before = host.archive.documents.get(slipNo);
    await drawer().getByRole('tab', { name: /Pages/ }).click();
    await drawer().getByRole('button', { name: 'Scan pages' }).click();
    const dialog = page.locator('.scan-pages-dialog .ant-modal');
    await expect.poll(() => dialog.innerText()).toContain(`Scan pages into ${slipNo}`);
    await dialog.getByRole('button', { name: 'Find scanners' }).click();
    await expect.poll(() => dialog.locator('.scan-device').innerText()).toContain('(test:0)');
    await page.waitForTimeout(300); // let antd's motion settle
    await page.screenshot({ path: join(SCREENSHOTS, 'scan-pages.png') });

    // The test scanner cannot scan both sides: its error is shown here and the document is left alone.
    await dialog.locator('.scan-source').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Document feeder' }).click();
    await dialog.getByText('Both sides').click();
    await dialog.locator('.scan-resolution input').fill('50');
    await dialog.getByRole('button', { name: 'Scan and add' }).click();
    await expect.poll(() => dialog.locator('.scan-message').innerText(), { timeout: 30_000 }).toContain('The scanner reported an error');
    expect(host.archive.documents.get(slipNo).currentVersion).toBe(before.currentVersion);

    // One sheet from the flatbed: added as the second page, one new version, and the dialog closes.
    await dialog.locator('.scan-source').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Flatbed' }).click();
    await dialog.getByRole('button', { name: 'Scan and add' }).click();
    await expect.poll(() => host.archive.documents.get(slipNo).pages.length, { timeout: 30_000 }).toBe(2);
    const after = host.archive.documents.get(slipNo);
    expect(after.currentVersion).toBe(before.currentVersion + 1);
    expect(after.pages[0]!.pageId).toBe(before.pages[0]!.pageId);
    expect(host.archive.documents.history(slipNo).at(-1)).toMatchObject({ action: 'page.add', actor: 'clerk-zhou' });
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain(`Added 1 scanned page as version ${after.currentVersion}.`);
    await expect.poll(() => page.locator('.scan-pages-dialog .ant-modal:visible').count()).toBe(0);
    await expect.poll(() => drawer().locator('.page-card').count()).toBe(2);
    await expect.poll(() => drawer().innerText()).toContain(`Version ${after.currentVersion}`);
    expect((await host.archive.check()).ok).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    // The Inbox scans with the same controls: one flatbed sheet becomes one new inbox document.
    const documents = host.archive.status().documents;
    await page.locator('[data-screen="inbox"]').click();
    const inboxScan = page.locator('.inbox-screen .scan-panel');
    await inboxScan.getByRole('button', { name: 'Find scanners' }).click();
    await inboxScan.locator('.scan-source').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Flatbed' }).click();
    // At 50 dpi the test scanner's sheet would be the one just added to the document: a duplicate.
    await inboxScan.locator('.scan-resolution input').fill('100');
    await inboxScan.locator('.ant-btn-primary').click();
    await expect.poll(() => inboxScan.locator('.scan-message').innerText(), { timeout: 30_000 }).toContain('Scanned 1 pages into 1 documents.');
    expect(host.archive.status().documents).toBe(documents + 1);
    expect(pageErrors).toEqual([]);
  });

  it('keeps typing responsive while a 51-megapixel page image is decoding', async () => {
    await openDocument(bigNo);
    // Measure in the page, for each key: how long it waited for the main thread (event time → our handler)
    // and until the next animation frame; and when the big image has finished decoding.
    await page.evaluate(() => {
      const scope = globalThis as unknown as {
        document: {
          addEventListener(type: string, listener: (event: { timeStamp: number }) => void, capture: boolean): void;
          querySelector(selector: string): { decode(): Promise<void> } | null;
        };
        requestAnimationFrame(callback: () => void): void;
        performance: { now(): number };
        typing: Typing;
      };
      interface Typing {
        inputDelays: number[];
        frameGaps: number[];
        firstKeyAt: number | null;
        decodedAt: number | null;
      }
      const typing: Typing = { inputDelays: [], frameGaps: [], firstKeyAt: null, decodedAt: null };
      scope.typing = typing;
      scope.document.addEventListener(
        'keydown',
        (event) => {
          typing.firstKeyAt ??= event.timeStamp;
          typing.inputDelays.push(scope.performance.now() - event.timeStamp);
          scope.requestAnimationFrame(() => typing.frameGaps.push(scope.performance.now() - event.timeStamp));
        },
        true,
      );
    });
    await drawer().getByRole('tab', { name: /Pages/ }).click();
    await drawer().getByRole('button', { name: 'Edit text' }).click();
    const editor = drawer().locator('.ocr-text-input');
    await editor.focus();
    // The page image may have finished decoding while the editor opened (it did, 45 ms before the first key,
    // on a fast run): load it again under a new URL so that a whole decode starts as the typing does.
    await page.locator('.page-viewport img.page-surface').waitFor();
    await page.evaluate(() => {
      const scope = globalThis as unknown as {
        document: { querySelector(selector: string): { src: string; decode(): Promise<void> } | null };
        performance: { now(): number };
        typing: { decodedAt: number | null };
      };
      const image = scope.document.querySelector('.page-viewport img.page-surface')!;
      const url = new URL(image.src);
      url.searchParams.set('decode', String(scope.performance.now()));
      image.src = url.href;
      image.decode().then(
        () => (scope.typing.decodedAt = scope.performance.now()),
        () => (scope.typing.decodedAt = -1),
      );
    });
    const typed = 'Delivery note DN-2026-0417 received in good order';
    await page.keyboard.type(typed, { delay: 25 });
    expect(await editor.inputValue()).toBe(typed);
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { typing: { decodedAt: number | null } }).typing.decodedAt), { timeout: 60_000 })
      .not.toBeNull();
    const typing = await page.evaluate(
      () => (globalThis as unknown as { typing: { inputDelays: number[]; frameGaps: number[]; firstKeyAt: number; decodedAt: number } }).typing,
    );
    // The typing really overlapped the decoding, and the image did decode.
    expect(typing.decodedAt).toBeGreaterThan(typing.firstKeyAt);
    expect(typing.inputDelays.length).toBe(typed.length);
    const longestDelay = Math.max(...typing.inputDelays);
    const longestFrameGap = Math.max(...typing.frameGaps);
    console.info(
      `typing during a 51 MP decode (decoded ${(typing.decodedAt - typing.firstKeyAt).toFixed(0)} ms after the first key): ` +
        `longest input delay ${longestDelay.toFixed(1)} ms, longest key-to-frame gap ${longestFrameGap.toFixed(1)} ms`,
    );
    // A decode on the main thread would hold a key back for about as long as the decode took; on a shared
    // machine a starved renderer alone has held one back 0.7 s. So: under 200 ms, or under half the decode.
    // The key-to-frame gap is logged, not asserted: headless Chromium rasterises in software, and on this
    // shared machine the first raster of the huge image has held frames back for seconds in some runs.
    expect(longestDelay).toBeLessThan(Math.max(200, (typing.decodedAt - typing.firstKeyAt) / 2));
    await drawer().getByRole('button', { name: 'Cancel' }).click();
    expect(pageErrors).toEqual([]);
  });
});
