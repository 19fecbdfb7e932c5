/**
 * The Settings screen in real Chromium against the preview host on a temp archive: change archive
 * settings and a document type (keywords and required fields), see them persisted after a reload (and in the core), and see the
 * validation message for an unsafe slip-number pattern (the core refuses it too).
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, openCheckedPage, type Browser, logIn } from './browser';

const ROOT = resolve(__dirname, '..', '..');
/** Stored only, never watched here; under the temp folder, the one folder this preview lets the page name. */
const HOT_FOLDER = join(tmpdir(), 'scans');

let host: PreviewHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-settings-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    // The folders this test types are made in the temp folder: the page may name folders under it.
    folderRoots: [tmpdir()],
    actor: 'admin-wang',
  });
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const settingsCard = () => page.locator('.archive-settings');

async function openSettings(): Promise<void> {
  await page.locator('[data-screen="settings"]').click();
  await expect.poll(() => settingsCard().locator('.ocr-languages').innerText()).toContain('English');
}

describe('Settings screen in Chromium via the preview host', () => {
  it('saves archive settings and a document type that survive a reload; an unsafe pattern is refused with its reason', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'admin-wang');
    await openSettings();
    const card = settingsCard();
    expect(await card.locator('.archive-location').innerText()).toBe(host.archive.dir);

    // OCR languages: English only; review threshold; hot folder; a custom slip-number pattern.
    await card.getByLabel('Simplified Chinese', { exact: true }).uncheck();
    await card.locator('#review-threshold').fill('55');
    await card.locator('#hot-folder').fill(HOT_FOLDER);
    await card.getByRole('button', { name: 'Add pattern' }).click();
    const patterns = card.locator('.slip-pattern input');
    const added = patterns.last();
    await added.fill('(\\d)\\1');
    await expect.poll(() => card.locator('.pattern-error').innerText()).toContain('Backreferences (\\1, \\k<…>) are not available');
    expect(await card.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await added.fill('DN-(\\d{6}');
    await expect.poll(() => card.locator('.pattern-error').innerText()).toContain('Not a valid regular expression');
    await added.fill('DN-\\d{6}');
    await expect.poll(() => card.locator('.pattern-error').count()).toBe(0);
    await card.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('Settings saved.');
    expect(host.archive.settings.get()).toMatchObject({ ocrLanguages: ['eng'], reviewConfidenceThreshold: 55, hotFolderPath: HOT_FOLDER });
    expect(host.archive.settings.get().slipNumberPatterns.at(-1)).toBe('DN-\\d{6}');

    // A document type: new keywords on an existing type, saved per row.
    const types = page.locator('.document-types');
    const invoiceRow = types.locator('.ant-table-row', { hasText: 'invoice' });
    await invoiceRow.locator('.type-keywords input').fill('VAT bill');
    await invoiceRow.locator('.type-keywords input').press('Enter');
    // …and a field it requires to be filed (docs/filing-rules.md): the seeded rule plus the slip number.
    expect(await invoiceRow.locator('.type-required-fields').innerText()).not.toContain('Slip no.');
    const required = invoiceRow.locator('.type-required-fields input');
    await required.focus();
    await required.fill('slip');
    await required.press('Enter');
    await required.press('Escape');
    await invoiceRow.locator('.save-type').click();
    await expect.poll(() => page.locator('.ant-message').innerText()).toContain('Type invoice saved.');
    const invoice = host.archive.documentTypes().find((type) => type.code === 'invoice')!;
    expect(invoice.keywords).toContain('VAT bill');
    expect(invoice.requiredFields).toEqual(['customer', 'signedDate', 'slipNo', 'amount']);

    // Everything is still there after a reload.
    await page.reload();
    await logIn(page, host.archive, 'admin-wang');
    await openSettings();
    expect(await card.getByLabel('Simplified Chinese', { exact: true }).isChecked()).toBe(false);
    expect(await card.getByLabel('English', { exact: true }).isChecked()).toBe(true);
    expect(await card.locator('#review-threshold').inputValue()).toBe('55');
    expect(await card.locator('#hot-folder').inputValue()).toBe(HOT_FOLDER);
    expect(await patterns.last().inputValue()).toBe('DN-\\d{6}');
    expect(await types.locator('.ant-table-row', { hasText: 'invoice' }).innerText()).toContain('VAT bill');
    expect(await types.locator('.ant-table-row', { hasText: 'invoice' }).locator('.type-required-fields').innerText()).toContain('Slip no.');

    // The core refuses what the form refuses, with the same reason: the UI check is a convenience only.
    expect(() => host.archive.settings.update({ slipNumberPatterns: ['(\\d)\\1'] })).toThrow(/uses a backreference/);
    expect(pageErrors).toEqual([]);
  });
});
