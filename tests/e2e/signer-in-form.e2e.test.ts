/**
 * Issue 19 item 2 in real Chromium against the preview host: the signer in the Inbox's filing form. A letter
 * of authority drawn with @napi-rs/canvas names a registered customer and one of its registered signers; the
 * real OCR reads it, the form shows the signer suggested with its confidence, completes the signer from the
 * customer's registered signers, turns a typed start into the registered name, and files the 授权书 — whose
 * rule requires a signer — without an override.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';

const ROOT = resolve(__dirname, '..', '..');
const CUSTOMER = 'ACME TRADING CO., LTD.';

const ROWS = [
  { text: 'AUTHORIZATION', y: 140, size: 64 },
  { text: CUSTOMER, y: 300, size: 44 },
  { text: 'Date: 2026-05-12', y: 420, size: 44 },
  { text: 'Signed by: ZHANG WEI', y: 540, size: 44 },
];

function slipImage(path: string): void {
  const canvas = createCanvas(1000, 1400);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 1000, 1400);
  context.fillStyle = '#000000';
  for (const row of ROWS) {
    context.font = `${row.size}px sans-serif`;
    context.fillText(row.text, 80, row.y);
  }
  writeFileSync(path, canvas.toBuffer('image/png'));
}

let host: PreviewHost;
let browser: Browser;
let page: Page;
let archiveNo: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-signer-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tempDir('slipvault-e2e-signer-root-')],
  });
  const customer = host.archive.records.customers.save({ name: CUSTOMER });
  for (const name of ['ZHANG WEI', 'LI NA']) await host.archive.records.signers.save({ customerId: customer.id, name });
  const path = join(tempDir('slipvault-e2e-signer-slip-'), 'authorization.png');
  slipImage(path);
  archiveNo = (await host.archive.documents.importFile(path)).archiveNo;
  await host.archive.processQueue();
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.goto(host.url);
  await logIn(page, host.archive, 'clerk-fang', 'clerk');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const inbox = () => page.locator('.inbox-screen');
const field = (name: string) => inbox().locator(`#filing-${name}`);
const row = () => inbox().locator(`.inbox-item[data-archive-no="${archiveNo}"]`);

describe('the signer in the filing form in Chromium', () => {
  it('shows the suggested signer with its confidence and completes from the customer’s signers', async () => {
    const suggestions = host.archive.inbox.list(10)[0]!.suggestions;
    // The fixture is what the test says: the signer is suggested from the page.
    expect(suggestions.find((suggestion) => suggestion.field === 'signer')).toMatchObject({ value: 'ZHANG WEI' });

    await page.locator('.shell-sider [data-screen="inbox"]').click();
    await expect.poll(() => inbox().locator('.filing-form').getAttribute('data-document')).toBe(archiveNo);
    await field('customer').fill(CUSTOMER);
    await field('type').fill('authorization');
    await field('signedDate').fill('2026-05-12');
    await expect.poll(() => field('signer').inputValue()).toBe('ZHANG WEI');
    const signerField = inbox().locator('.filing-field[data-field="signer"]');
    await expect.poll(() => signerField.locator('.suggested-tag, .suggestion-unconfirmed').innerText()).toMatch(/^(Suggested|Check) · \d+%$/);
    expect(await signerField.locator('label').innerText()).toBe('Signer');
    const options = inbox().locator('#inbox-signers option');
    const offered = await Promise.all((await options.all()).map((option) => option.getAttribute('value')));
    expect(offered.sort()).toEqual(['LI NA', 'ZHANG WEI']);
    // With the signer shown, the authorization's rule is met: no "missing" warning, no override field.
    await expect.poll(() => inbox().locator('.filing-missing').count()).toBe(0);
    expect(await inbox().locator('#filing-override').count()).toBe(0);
    // Emptying the signer brings the warning back.
    await field('signer').fill('');
    await expect.poll(() => inbox().locator('.filing-missing').innerText()).toContain('Signer');
  });

  it('turns a typed start into the registered name on Enter and files the authorization without an override', async () => {
    await field('signer').fill('zh');
    await field('signer').press('Enter');
    await expect.poll(() => row().getAttribute('data-accepted')).toBe('true');
    expect(await field('signer').inputValue()).toBe('ZHANG WEI');
    const since = host.archive.audit.head().seq;
    await field('signer').press('Control+Enter');
    await expect.poll(() => inbox().locator('.file-outcome').innerText(), { timeout: 30_000 }).toContain('1 filed, 0 not filed.');
    expect(host.archive.documents.summary(archiveNo)).toMatchObject({ status: 'filed', type: 'authorization', customer: CUSTOMER, signer: 'ZHANG WEI' });
    const actions = host.archive.audit.list(since, 100).map((event) => event.action);
    expect(actions).toContain('document.edit');
    expect(actions).not.toContain('document.filing-override');
    expect(pageErrors).toEqual([]);
  });
});
