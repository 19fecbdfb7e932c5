/**
 * Issue 19 item 3 in real Chromium against the preview host: what a clerk typed and accepted in the Inbox is a
 * draft kept in the archive — still there after switching screens and after reloading the page (a restart of
 * the window), until it is filed or discarded. The Inbox opens in scan order with the cursor in the form; the
 * order chosen is kept on this computer.
 */
import { mkdirSync, rmSync } from 'node:fs';
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
/** The one folder tree this preview lets the page name (its hot folder among them). */
let folderRoot: string;
/** The three inbox documents in import (scan) order. */
const numbers: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-drafts-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [(folderRoot = tempDir('slipvault-e2e-drafts-root-'))],
  });
  // Filing here is about drafts, not about the filing rules (tests/integration/filing-rules.test.ts).
  for (const type of host.archive.types.list()) host.archive.types.save({ ...type, requiredFields: [] });
  for (const slip of await writeSlips(tempDir('slipvault-e2e-drafts-slips-'), 3)) {
    numbers.push((await host.archive.documents.importFile(slip)).archiveNo);
  }
  // Recognised before the page opens, so the suggestions the form shows do not change under the test.
  await host.archive.processQueue();
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
const focusIn = (selector: string) => page.evaluate<boolean>(`document.activeElement?.closest(${JSON.stringify(selector)}) !== null`);
const listed = async () => Promise.all((await inbox().locator('.inbox-item').all()).map((row) => row.getAttribute('data-archive-no')));
const item = (archiveNo: string) => inbox().locator(`.inbox-item[data-archive-no="${archiveNo}"]`);
const field = (name: string) => inbox().locator(`#filing-${name}`);
const savedDrafts = () =>
  host.archive.connection.sqlite.prepare('SELECT document_id AS id, field_values AS vals, accepted FROM inbox_drafts ORDER BY document_id').all();

/** Confirms the unsure suggestions the form shows (they hold back accepting, issue 19 item 1), by their ✓. */
async function confirmUnsure(): Promise<void> {
  for (let left = await inbox().locator('.confirm-suggestion').count(); left > 0; left--) {
    await inbox().locator('.confirm-suggestion').first().click();
    await expect.poll(() => inbox().locator('.confirm-suggestion').count()).toBe(left - 1);
  }
}

async function openScreen(key: string): Promise<void> {
  await page.locator(`.shell-sider [data-screen="${key}"]`).click();
}

/** The form shows the given document and its fields hold `values`. */
async function expectForm(archiveNo: string, values: Record<string, string>): Promise<void> {
  await expect.poll(() => inbox().locator('.filing-form').getAttribute('data-document')).toBe(archiveNo);
  for (const [name, value] of Object.entries(values)) await expect.poll(() => field(name).inputValue()).toBe(value);
}

describe('filing drafts in Chromium', () => {
  it('the Inbox opens in scan order with the cursor in the filing form', async () => {
    await openScreen('inbox');
    await expect.poll(listed).toEqual(numbers);
    await expect.poll(() => focusIn('.filing-form')).toBe(true);
    await expectForm(numbers[0]!, {});
  });

  it('typed and accepted fields survive a screen change and a reload, then filing ends the draft', async () => {
    // The first slip: a customer typed, not accepted. The second: a slip number typed, then accepted (Enter).
    await field('customer').fill('Acme Trading');
    await item(numbers[1]!).click();
    await expectForm(numbers[1]!, {});
    await field('title').fill('Delivery 0419 (torn corner)');
    await field('type').fill('other');
    await confirmUnsure();
    await field('type').press('Enter');
    await expect.poll(() => item(numbers[1]!).getAttribute('data-accepted')).toBe('true');
    await expect.poll(() => inbox().locator('.draft-state').getAttribute('data-draft-state')).toBe('saved');
    await expect.poll(() => savedDrafts().length).toBe(2);

    await openScreen('archive');
    await page.locator('.archive-screen').waitFor();
    await openScreen('inbox');
    await expect.poll(() => item(numbers[1]!).getAttribute('data-accepted')).toBe('true');
    await item(numbers[0]!).click();
    await expectForm(numbers[0]!, { customer: 'Acme Trading' });
    expect(await item(numbers[0]!).getAttribute('data-accepted')).toBe('false');

    // A reload is a new window on the same archive: a new login, drafts read back from the archive.
    await field('signedDate').fill('2026-04-17');
    await expect.poll(() => savedDrafts().some((draft) => JSON.parse((draft as { vals: string }).vals).signedDate === '2026-04-17')).toBe(true);
    await page.reload();
    await logIn(page, host.archive, 'clerk-zhou', 'clerk');
    await openScreen('inbox');
    await expect.poll(() => item(numbers[1]!).getAttribute('data-accepted')).toBe('true');
    await item(numbers[0]!).click();
    await expectForm(numbers[0]!, { customer: 'Acme Trading', signedDate: '2026-04-17' });
    await item(numbers[1]!).click();
    await expectForm(numbers[1]!, { title: 'Delivery 0419 (torn corner)', type: 'other' });

    // Filing the accepted one (Ctrl+Enter) ends its draft in the archive; the other draft stays.
    await field('title').press('Control+Enter');
    await expect.poll(() => inbox().locator('.file-outcome').innerText(), { timeout: 30_000 }).toContain('1 filed, 0 not filed.');
    expect(host.archive.documents.summary(numbers[1]!)).toMatchObject({ status: 'filed', title: 'Delivery 0419 (torn corner)' });
    await expect.poll(() => savedDrafts().map((draft) => (draft as { id: number }).id)).toEqual([host.archive.documents.summary(numbers[0]!).id]);
  });

  it('a discarded draft is gone from the form and the archive, and the discard is audited', async () => {
    await item(numbers[0]!).click();
    await expectForm(numbers[0]!, { customer: 'Acme Trading' });
    await inbox().locator('.discard-draft').click();
    await expectForm(numbers[0]!, { customer: '', signedDate: '' });
    await expect.poll(() => savedDrafts()).toEqual([]);
    const discarded = host.archive.audit.list(0, 10_000).filter((event) => event.action === 'document.draft.discard');
    expect(discarded).toMatchObject([{ actor: 'clerk-zhou', targetId: numbers[0] }]);
    expect(await inbox().locator('.discard-draft').isDisabled()).toBe(true);
  });

  it('newest first, once chosen, is kept after a reload', async () => {
    const open = [numbers[0]!, numbers[2]!];
    await expect.poll(listed).toEqual(open);
    await inbox().locator('.inbox-order').getByText('Newest first').click();
    await expect.poll(listed).toEqual([...open].reverse());
    await page.reload();
    await logIn(page, host.archive, 'clerk-zhou', 'clerk');
    await openScreen('inbox');
    await expect.poll(listed).toEqual([...open].reverse());
    expect(pageErrors).toEqual([]);
  });

  it('the hot folder: a folder outside the allowed ones is refused with its reason; a scan folder is watched and imports; stop', async () => {
    const panel = inbox().locator('.hot-folder-panel');
    const pathInput = panel.getByLabel('Hot folder path');
    await pathInput.fill('/etc');
    await panel.getByRole('button', { name: 'Watch' }).click();
    await expect.poll(() => panel.locator('.ant-alert-error').innerText()).toContain('/etc');
    const documentCount = () => (host.archive.connection.sqlite.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    expect(documentCount()).toBe(3);

    // A fourth slip, not one of the three the archive holds (a copy would be a duplicate, not an import).
    const scans = join(folderRoot, 'scans');
    mkdirSync(scans);
    for (const slip of (await writeSlips(scans, 4)).slice(0, 3)) rmSync(slip);
    await pathInput.fill(scans);
    await pathInput.press('Enter');
    await expect.poll(() => panel.locator('.ant-tag').innerText()).toBe('Watching');
    expect(await panel.locator('.ant-alert-error').count()).toBe(0);
    await expect.poll(() => panel.locator('.hot-folder-counts').innerText(), { timeout: 30_000 }).toBe('1 imported · 0 failed');
    expect(documentCount()).toBe(4);
    await panel.getByRole('button', { name: 'Stop watching' }).click();
    await expect.poll(() => panel.getByLabel('Hot folder path').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
