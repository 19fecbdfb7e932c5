/**
 * Batch filing (issue 19 item 6) in real Chromium against the preview host: inbox documents picked with
 * Shift+click, Ctrl+click, Space and Shift+↓, their shared fields filled once in the dialog (Ctrl+Shift+Enter,
 * then Enter), each filed as a version of its own with one audit event each; the filing rules apply to each
 * document, and one refused is listed with its reason while the others are filed.
 */
import { join, resolve } from 'node:path';
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
/** The five inbox documents in scan order. */
const numbers: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-batch-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tempDir('slipvault-e2e-batch-root-')],
  });
  // A type whose rule needs the signer, which the Inbox form does not show: only a document that has one passes.
  host.archive.types.save({ code: 'signed_note', nameZh: '签字便条', nameEn: 'Signed note', keywords: [], requiredFields: ['signer'] });
  for (const slip of await writeSlips(tempDir('slipvault-e2e-batch-slips-'), 5)) {
    numbers.push((await host.archive.documents.importFile(slip)).archiveNo);
  }
  host.archive.documents.edit(numbers[4]!, { signer: '王五' }, 'signer read off the slip');
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.goto(host.url);
  await logIn(page, host.archive, 'clerk-zhou', 'clerk');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const inbox = () => page.locator('.inbox-screen');
const item = (archiveNo: string) => inbox().locator(`.inbox-item[data-archive-no="${archiveNo}"]`);
const picked = async () => Promise.all((await inbox().locator('.inbox-item[data-selected="true"]').all()).map((row) => row.getAttribute('data-archive-no')));
const dialog = () => page.locator('.batch-file-dialog');
const eventsOf = (archiveNo: string, since: number) => host.archive.audit.list(since, 10_000).filter((event) => event.targetId === archiveNo);

describe('batch filing in Chromium', () => {
  it('picks with Shift+click, Ctrl+click, Space and Shift+↓, and files the picked documents together', async () => {
    await page.locator('.shell-sider [data-screen="inbox"]').click();
    await expect.poll(() => inbox().locator('.inbox-item').count()).toBe(5);
    await item(numbers[0]!).click();
    await item(numbers[2]!).click({ modifiers: ['Shift'] });
    await expect.poll(picked).toEqual(numbers.slice(0, 3));
    await item(numbers[1]!).click({ modifiers: ['Control'] });
    await expect.poll(picked).toEqual([numbers[0], numbers[2]]);
    await item(numbers[1]!).click({ modifiers: ['Control'] });
    await expect.poll(picked).toEqual(numbers.slice(0, 3));
    // The cursor is in the current document's form (the last one clicked); Shift+↓ picks the next one as it walks there.
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => inbox().locator('.filing-form').getAttribute('data-document')).toBe(numbers[2]);
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(picked).toEqual(numbers.slice(0, 4));
    await expect.poll(() => inbox().locator('.filing-form').getAttribute('data-document')).toBe(numbers[3]);
    // Space on the list drops the current document again.
    await inbox().locator('.inbox-list').focus();
    await page.keyboard.press('Space');
    await expect.poll(picked).toEqual(numbers.slice(0, 3));
    await expect.poll(() => inbox().locator('.file-selected').innerText()).toContain('File 3 selected');

    const since = host.archive.audit.head().seq;
    await page.keyboard.press('Control+Shift+Enter');
    await dialog().locator('#batch-file-customer').waitFor();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('batch-file-customer');
    await page.keyboard.type('华南贸易有限公司');
    await dialog().locator('#batch-file-type').fill('other');
    await dialog().locator('#batch-file-signedDate').fill('2026-04-17');
    await page.keyboard.press('Enter');
    await expect.poll(() => inbox().locator('.file-outcome').innerText(), { timeout: 30_000 }).toContain('3 filed, 0 not filed.');
    await expect.poll(() => inbox().locator('.inbox-item').count()).toBe(2);
    await expect.poll(picked).toEqual([]);

    for (const archiveNo of numbers.slice(0, 3)) {
      const document = host.archive.documents.get(archiveNo);
      expect(document.status).toBe('filed');
      expect(document.metadata).toMatchObject({ customer: '华南贸易有限公司', type: 'other', signedDate: '2026-04-17' });
      // Background OCR may add its own version meanwhile (acting as system); filing is one edit by the clerk.
      expect(
        eventsOf(archiveNo, since)
          .filter((event) => event.actor === 'clerk-zhou')
          .map((event) => event.action),
      ).toEqual(['document.edit']);
    }
  });

  it('applies the filing rules to each document: the one without a signer is listed, the other is filed', async () => {
    const since = host.archive.audit.head().seq;
    await item(numbers[3]!).click();
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(picked).toEqual(numbers.slice(3, 5));
    await inbox().locator('.file-selected').click();
    await dialog().locator('#batch-file-type').fill('signed_note');
    await dialog().locator('#batch-file-customer').fill('青岛众诚纺织有限公司');
    await dialog().locator('#batch-file-signedDate').fill('2026-04-18');
    await dialog().locator('.batch-file-submit').click();
    const outcome = inbox().locator('.file-outcome');
    await expect.poll(() => outcome.innerText(), { timeout: 30_000 }).toContain('1 filed, 1 not filed.');
    expect(await outcome.innerText()).toContain(`${numbers[3]}: The document cannot be filed yet`);
    expect(await outcome.innerText()).toContain('missing: signer');
    expect(host.archive.documents.summary(numbers[3]!).status).toBe('inbox');
    // Nothing was written for it; showing its page beside the form is a page view, audited as such (docs/clerk-day.md).
    expect(
      eventsOf(numbers[3]!, since)
        .filter((event) => event.actor === 'clerk-zhou' && event.action !== 'page.view')
        .map((event) => event.action),
    ).toEqual([]);
    expect(host.archive.documents.get(numbers[4]!)).toMatchObject({ status: 'filed', metadata: { type: 'signed_note', signer: '王五' } });
    await expect.poll(() => inbox().locator('.inbox-item').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
