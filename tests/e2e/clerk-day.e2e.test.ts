/**
 * Issue 19 in real Chromium against the preview host: the header's search box from any screen (Ctrl+K and
 * /, a plain amount, result rows that say what the slip is, ↑/↓/Enter into the document drawer), the Search
 * screen's keyboard walk with its suggestions out of the way, void and un-void with a reason, the slip as a
 * PDF (download read back with pdf-lib) and printed (cover and pages as print sheets), batch edit from the
 * archive's filter and ticks, the focus on opening a screen, and the shortcut help on ?.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');

let host: PreviewHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const numbers: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-clerk-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tempDir('slipvault-e2e-clerk-root-')],
  });
  const slips = await writeSlips(tempDir('slipvault-e2e-clerk-slips-'), 3);
  const filed = [
    { customer: 'Acme Trading', type: 'delivery_receipt', slipNo: 'DN-2026-0417', amount: '1280.50', signedDate: '2026-04-17' },
    { customer: 'Zhuhai Logistics', type: 'signed_back', slipNo: 'DN-2026-0419', amount: '9900.00', signedDate: '2026-04-19' },
    { customer: 'Acme Trading', type: 'invoice', slipNo: 'INV-2026-0420', amount: '356.00', signedDate: '2026-04-20' },
  ];
  for (const [index, slip] of slips.entries()) {
    const { archiveNo } = await host.archive.documents.importFile(slip);
    host.archive.documents.edit(archiveNo, { ...filed[index]!, status: 'filed' }, null);
    numbers.push(archiveNo);
  }
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.goto(host.url);
  await logIn(page, host.archive, 'clerk-wu', 'clerk');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** Whether the keyboard focus is inside `selector` (evaluated in the page, which has a DOM; this file has none). */
const focusIn = (selector: string) => page.evaluate<boolean>(`document.activeElement?.closest(${JSON.stringify(selector)}) !== null`);
const drawer = () => page.locator('.document-drawer.ant-drawer-open');
const drawerTitle = () => drawer().locator('.ant-drawer-title').innerText();
const actionsOf = (archiveNo: string) =>
  host.archive.audit
    .list(0, 10_000)
    .filter((event) => event.targetId === archiveNo)
    .map((event) => event.action);

describe("a clerk's day in Chromium", () => {
  it('the archive screen opens with the cursor in its filter; ? shows the shortcuts the screens bind', async () => {
    await page.locator('.dashboard').waitFor(); // the home screen
    await page.keyboard.press('Alt+2');
    await expect.poll(() => focusIn('.archive-filter')).toBe(true);
    await expect.poll(() => page.locator('.archive-screen .ant-table-row').count()).toBe(3);
    const header = await page.locator('.archive-screen .ant-table-thead').innerText();
    expect(header).toContain('Slip no.');
    expect(header).toContain('Type');
    expect(await page.locator('.archive-screen .ant-table-row', { hasText: numbers[1]! }).innerText()).toContain('Signed-back slip');

    // Typed into the filter, ? is text; outside a field it opens the help.
    await page.keyboard.type('?');
    expect(await page.locator('.shortcut-help .ant-modal').count()).toBe(0);
    await page.locator('.archive-filter input').fill('');
    await page.locator('.brand').click();
    await page.keyboard.press('?');
    const help = page.locator('.shortcut-help .ant-modal');
    await expect.poll(() => help.innerText()).toContain('Ctrl+K');
    const text = await help.innerText();
    for (const expected of ['Alt+1 … Alt+9', 'Put the cursor in the search box', 'Ctrl+Enter', 'File every accepted document', 'PageDown', 'Enter']) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('Start the import');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
  });

  it('finds from any screen: Ctrl+K or /, an amount as typed on the slip, rows that say what it is, ↑/↓/Enter open', async () => {
    await page.keyboard.press('Alt+6'); // Settings (a clerk's sixth screen, after the dashboard): the box is there too
    await page.locator('.settings-screen').waitFor();
    await page.keyboard.press('Control+k');
    expect(await focusIn('.quick-search')).toBe(true);
    await page.keyboard.type('1,280.50');
    const rows = page.locator('.quick-results .quick-hit');
    await expect.poll(() => rows.count()).toBe(1);
    const row = await rows.first().innerText();
    for (const expected of [numbers[0]!, 'Acme Trading', 'Delivery receipt', '2026-04-17', '1280.50 CNY', 'DN-2026-0417', 'Filed'])
      expect(row).toContain(expected);
    expect(row).not.toContain('delivery_receipt');

    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.quick-results').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Acme');
    await expect.poll(() => rows.count()).toBe(2);
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('.quick-hit[aria-selected="true"]').getAttribute('data-archive-no');
    await page.keyboard.press('Enter');
    await expect.poll(drawerTitle).toContain(second!);
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer().isVisible()).toBe(false);
  });

  it('the Search screen focuses its box, keeps suggestions off the first result, and walks results by keyboard', async () => {
    await page.keyboard.press('Alt+4');
    await expect.poll(() => focusIn('.search-screen .search-box')).toBe(true);
    // slip: only: background OCR may meanwhile read DN-… off the third slip's page too.
    await page.keyboard.type('slip:DN');
    await page.keyboard.press('Enter');
    const results = page.locator('.search-screen .search-hit');
    await expect.poll(() => results.count()).toBe(2);
    const openDropdowns = () =>
      page.evaluate<number>(
        `[...document.querySelectorAll('.ant-select-dropdown')].filter((element) => element.getBoundingClientRect().height > 0 && getComputedStyle(element).visibility !== 'hidden').length`,
      );
    await expect.poll(openDropdowns).toBe(0);
    expect(await results.first().innerText()).not.toMatch(/score/i);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const chosen = await page.locator('.search-screen .search-hit.hit-selected').getAttribute('data-archive-no');
    expect(chosen).toBe(await results.nth(1).getAttribute('data-archive-no'));
    await page.keyboard.press('Enter');
    await expect.poll(drawerTitle).toContain(chosen!);
  });

  it('voids with a reason and un-voids as a new version', async () => {
    const archiveNo = (await page.locator('.search-screen .search-hit.hit-selected').getAttribute('data-archive-no'))!;
    await drawer().locator('button.slip-void').click();
    const dialog = page.locator('.void-dialog .ant-modal');
    await dialog.getByRole('button', { name: 'Void' }).click();
    await expect.poll(() => dialog.innerText()).toContain('Give a reason.');
    await dialog.locator('input').fill('scanned twice');
    await dialog.getByRole('button', { name: 'Void' }).click();
    await expect.poll(drawerTitle).toContain('Voided');
    expect(host.archive.documents.summary(archiveNo).status).toBe('voided');

    await drawer().locator('button.slip-unvoid').click();
    const undo = page.locator('.unvoid-dialog .ant-modal');
    await undo.locator('input').fill('not a duplicate');
    await undo.getByRole('button', { name: 'Un-void' }).click();
    await expect.poll(drawerTitle).toContain('Filed');
    const history = host.archive.documents.history(archiveNo);
    expect(history.slice(-2).map((version) => [version.action, version.reason])).toEqual([
      ['void', 'scanned twice'],
      ['unvoid', 'not a duplicate'],
    ]);
    expect(actionsOf(archiveNo).slice(-2)).toEqual(['document.void', 'document.unvoid']);
  });

  it('saves the slip as a PDF with its cover page and prints cover and pages', async () => {
    const archiveNo = (await page.locator('.search-screen .search-hit.hit-selected').getAttribute('data-archive-no'))!;
    const [download] = await Promise.all([page.waitForEvent('download'), drawer().locator('button.slip-export').click()]);
    expect(download.suggestedFilename()).toBe(`${archiveNo}.pdf`);
    const saved = join(tempDir('slipvault-e2e-clerk-pdf-'), download.suggestedFilename());
    await download.saveAs(saved);
    expect((await PDFDocument.load(readFileSync(saved))).getPageCount()).toBe(2);

    // The print dialog cannot be driven headless: what would be printed is what the sheets hold when it opens.
    await page.evaluate(`window.print = () => {
      document.body.dataset.printedSheets = String(document.querySelectorAll('body > .slip-print-sheet img').length);
    }`);
    await drawer().locator('button.slip-print').click();
    await expect.poll(() => page.evaluate<string | undefined>('document.body.dataset.printedSheets')).toBe('2');
    expect(actionsOf(archiveNo).slice(-2)).toEqual(['document.export', 'document.print']);
    await page.keyboard.press('Escape');
  });

  it('edits the documents ticked in the filtered archive together, each as its own version', async () => {
    await page.keyboard.press('Alt+2');
    await expect.poll(() => focusIn('.archive-filter')).toBe(true);
    await page.keyboard.type('acme');
    const rows = page.locator('.archive-screen .ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.nth(0).locator('.ant-checkbox-input').check();
    await rows.nth(1).locator('.ant-checkbox-input').check();
    await page.locator('button.batch-edit').click();
    const dialog = page.locator('.batch-edit-dialog .ant-modal');
    const field = (label: string) => dialog.locator('.ant-form-item', { has: page.locator(`label:text-is("${label}")`) }).locator('input');
    await field('Customer').fill('Acme Trading Co., Ltd.');
    await field('Reason for the change').fill('full name from the contract');
    await dialog.getByRole('button', { name: 'Apply to 2 documents' }).click();
    await expect.poll(() => dialog.locator('[role="status"]').innerText()).toContain('2 edited, 0 refused');
    for (const archiveNo of [numbers[0]!, numbers[2]!]) {
      expect(host.archive.documents.get(archiveNo).metadata.customer).toBe('Acme Trading Co., Ltd.');
      expect(actionsOf(archiveNo).filter((action) => action === 'document.edit')).toHaveLength(2);
    }
    expect(host.archive.documents.get(numbers[1]!).metadata.customer).toBe('Zhuhai Logistics');
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.locator('button.batch-edit').innerText()).toContain('(0)');
    expect(pageErrors).toEqual([]);
  });
});
