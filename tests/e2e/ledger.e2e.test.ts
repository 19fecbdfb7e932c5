/**
 * The slip ledger's screens in real Chromium against the preview host (issue 17): the dashboard shows the
 * seeded aging and the top customers and a tile opens the filtered list; the due screen lists my chases and
 * the overdue groups, a reminder rings the bell; a CSV import goes through the column-mapping step with a
 * bad row listed and only the good rows imported; a near match is confirmed in the Inbox filing form.
 * Saves docs/screenshots/dashboard.png.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { tempDir } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const CLERK = 'clerk-li';

let host: PreviewHost;
let browser: Browser;
let page: Page;
let admin: ApiClient;
const pageErrors: string[] = [];

/** A calendar day `offset` days from today on this machine's clock, as the core's default asOf is. */
function day(offset: number): string {
  const date = new Date();
  date.setDate(date.getDate() + offset);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

async function call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await admin.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as OutputOf<M>;
}

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-ledger-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
  });
  admin = await adminClient(host.archive, 'admin');
  await call('users:create', { username: CLERK, role: 'clerk', password: 'correct horse battery staple' });
  // 30 and 85 days over, due back today (mine), not due yet, and one back at the branch.
  await call('ledger:create', { slipNo: 'A-1', customer: '华南贸易', issueDate: day(-45), expectedBackDate: day(-30), amount: '500.00', owner: CLERK });
  await call('ledger:create', { slipNo: 'B-1', customer: '东方物流', issueDate: day(-100), expectedBackDate: day(-85), amount: '1200.00' });
  await call('ledger:create', { slipNo: 'B-2', customer: '东方物流', issueDate: day(-15), expectedBackDate: day(0), amount: '80.00', owner: CLERK });
  await call('ledger:create', { slipNo: 'A-2', customer: '华南贸易', issueDate: day(-2), expectedBackDate: day(13) });
  await call('ledger:create', { slipNo: 'C-1', customer: '东方物流', issueDate: day(-20), custody: 'back_at_branch' });
  await call('ledger:create', { slipNo: 'SO-2026-0001', customer: '北方商贸', issueDate: day(-3), expectedBackDate: day(12), amount: '66.00' });
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.goto(host.url);
  await logIn(page, host.archive, CLERK, 'clerk');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const tile = (id: string) => page.locator(`.dashboard [data-tile="${id}"]`);
const ledgerSlips = () => page.locator('.ledger-table .ant-table-row td:first-child').allInnerTexts();

describe('the slip ledger in Chromium', () => {
  it('opens on the dashboard with the seeded numbers; a bucket opens the filtered list', async () => {
    const aging = tile('aging');
    await expect.poll(() => aging.locator('[data-bucket="not_due"] .tile-count').innerText()).toBe('3');
    expect(await aging.locator('[data-bucket="16-30"] .tile-count').innerText()).toBe('1');
    expect(await aging.locator('[data-bucket="61-90"] .tile-count').innerText()).toBe('1');
    expect(await aging.locator('[data-bucket="0-15"] .tile-count').innerText()).toBe('0');
    expect(await aging.locator('.ant-card-head-title').innerText()).toBe('Outstanding by age (5 slips)');
    const customers = await tile('top-customers').locator('li').allInnerTexts();
    expect(customers).toEqual(['东方物流 · 1 slip · 1200.00 CNY', '华南贸易 · 1 slip · 500.00 CNY']);
    expect(await tile('backup').innerText()).toContain('Never verified');
    // No authorization on file ends soon: nothing to renew.
    expect(await tile('authorizations').locator('.ant-statistic-content-value').innerText()).toBe('0');
    await aging.locator('canvas').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png') });

    await aging.locator('[data-bucket="61-90"] a').click();
    await expect.poll(ledgerSlips).toEqual(['B-1']);
    expect(await page.locator('.ledger-table .ledger-bucket').innerText()).toBe('85 days over');
    expect(await page.locator('.filter-bucket').innerText()).toBe('61–90 days over');
    // The filtered list exports as it is shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.export-csv').click()]);
    const exported = readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain('B-1');
    expect(exported).not.toContain('A-1');

    await page.locator('[data-screen="dashboard"]').click();
    await tile('top-customers').locator('li[data-customer="华南贸易"] a').click();
    await expect.poll(ledgerSlips).toEqual(['A-1']);
    expect(pageErrors).toEqual([]);
  });

  it('the due screen lists my chases, the overdue groups and unexpected slips; a reminder rings the bell', async () => {
    // A filed slip no row expected.
    const [slip] = await writeSlips(tempDir('slipvault-e2e-ledger-unexpected-'), 1);
    const unexpected = (await call('documents:import', { paths: [slip!] })).imported[0]!.document.archiveNo;
    await call('inbox:file', {
      ref: unexpected,
      changes: { type: 'delivery_receipt', signedDate: '2026-03-28', slipNo: 'ZZ-404', customer: '西部建材' },
      acceptSuggestions: false,
    });
    await page.locator('[data-screen="due"]').click();
    await expect.poll(() => page.locator('.due-mine .due-mine-row').allTextContents()).toEqual([`B-2 · 东方物流 · Due back ${day(0)}`]);
    expect(await page.locator('.due-my-overdue').innerText()).toBe('1 of my slips is overdue');
    expect(await page.locator('.due-by-customer .ant-table-row td:first-child').allInnerTexts()).toEqual(['东方物流', '华南贸易']);
    expect(await page.locator('.due-by-owner .ant-table-row td:first-child').allInnerTexts()).toEqual([CLERK, '(no owner)']);
    expect(await page.locator('.due-back-not-filed').innerText()).toContain('1 slip is back but not filed');
    expect(await page.locator('.due-backup').innerText()).toContain('No backup has ever been verified');
    expect(await page.locator('.due-unexpected').innerText()).toContain('1 filed slip was not expected by the ledger');
    await page.locator('.due-unexpected .show-unexpected').click();
    await page.locator('.due-unexpected li', { hasText: `${unexpected} · ZZ-404 · 西部建材` }).click();
    await expect.poll(() => page.locator('.document-drawer .ant-drawer-title').innerText()).toContain(unexpected);
    await page.keyboard.press('Escape');

    const bell = page.locator('.notification-bell');
    expect(await bell.locator('.ant-badge-count').count()).toBe(0);
    const run = await call('ledger:remind', {});
    expect(run.created.map((notification) => `${notification.recipient} ${notification.slipNo} ${notification.level}`)).toContain(`${CLERK} B-2 due`);
    await expect.poll(() => bell.locator('.ant-badge-count').innerText()).toBe(String(run.created.filter((n) => n.recipient === CLERK).length));
    await bell.locator('button').click();
    await page.locator('.notification-list .notification', { hasText: 'Slip B-2 (东方物流) is due back today' }).click();
    await expect.poll(ledgerSlips).toEqual(['B-2']);

    await page.locator('[data-screen="due"]').click();
    await page.locator('.due-by-customer a', { hasText: '东方物流' }).click();
    await expect.poll(ledgerSlips).toEqual(['B-1']);
    expect(pageErrors).toEqual([]);
  });

  it('imports a CSV through the mapping step: a bad row is listed, only the good rows are imported', async () => {
    const csv = join(tempDir('slipvault-e2e-ledger-csv-'), 'erp-export.csv');
    writeFileSync(
      csv,
      ['Ref,Client,Shipped,Value', 'IM-1,西部建材,2026-03-01,100.00', 'IM-2,西部建材,2026-03-02,-5', 'IM-3,东方物流,2026-03-03,7.50', ''].join('\n'),
    );
    await page.locator('[data-screen="ledgerImport"]').click();
    await page.locator('.ledger-import input[type="file"]').setInputFiles(csv);
    const step = page.locator('.mapping-step');
    await expect.poll(() => step.locator('.missing-columns').innerText()).toContain('Slip no., Issued');

    // Client is guessed as the customer column; the others are mapped by hand, each change previewed again.
    expect(await step.locator('.map-customer').innerText()).toBe('Client');
    for (const [field, header] of [
      ['slipNo', 'Ref'],
      ['issueDate', 'Shipped'],
      ['amount', 'Value'],
    ] as const) {
      await page.locator('.ledger-import[data-busy="false"]').waitFor();
      await step.locator(`.map-${field}`).click();
      await page.keyboard.type(header);
      await page.keyboard.press('Enter');
      await expect.poll(() => step.locator(`.map-${field}`).innerText()).toBe(header);
    }
    await expect.poll(() => step.locator('.missing-columns').count()).toBe(0);
    await expect.poll(() => page.locator('.preview-summary').innerText()).toBe('CSV, read as utf-8: 3 rows, 2 good, 1 problems.');
    expect(await page.locator('.preview-problems .ant-table-row').allInnerTexts()).toEqual([expect.stringMatching(/^3\tIM-2\tAmount\tNegative amount\t.+/)]);
    expect(await page.locator('.run-import').isDisabled()).toBe(true);

    await step.locator('.mapping-name').fill('ERP columns');
    await step.locator('.save-mapping').click();
    await expect.poll(async () => (await call('ledger:mappings', {})).map((mapping) => mapping.name)).toEqual(['ERP columns']);

    await page.locator('.import-mode').getByText('Import only the good rows').click();
    await page.locator('.run-import').click();
    await expect.poll(() => page.locator('.import-result').innerText()).toContain('Imported: 2 new, 0 updated, 0 unchanged, 1 bad rows left out.');
    const imported = await call('ledger:list', { filters: { customer: '西部建材' } });
    expect(imported.items.map((row) => row.slipNo)).toEqual(['IM-1']);
    expect(pageErrors).toEqual([]);
  });

  it('confirms a near match in the Inbox filing form, which links the slip to the document', async () => {
    const [slip] = await writeSlips(tempDir('slipvault-e2e-ledger-slips-'), 1);
    const imported = await call('documents:import', { paths: [slip!] });
    const archiveNo = imported.imported[0]!.document.archiveNo;
    // One character off the expected SO-2026-0001: the matcher must not link it by itself.
    await call('documents:edit', { ref: archiveNo, changes: { slipNo: 'SO-2026-0007' }, reason: 'typed from the paper' });
    expect((await call('ledger:get', { row: 'SO-2026-0001' })).row.documentId).toBeNull();

    await page.locator('[data-screen="inbox"]').click();
    const match = page.locator(`.filing-form[data-document="${archiveNo}"] .near-match`);
    await expect.poll(() => match.locator('.near-match-distance').innerText()).toBe('1 character off SO-2026-0007');
    await match.locator('[data-slip="SO-2026-0001"] .confirm-match').click();
    await expect.poll(() => page.locator('.near-match-linked').innerText()).toBe(`Slip SO-2026-0001 is linked to ${archiveNo}.`);
    const row = (await call('ledger:get', { row: 'SO-2026-0001' })).row;
    expect(row.archiveNo).toBe(archiveNo);
    expect(row.custody).toBe('at_office');
    const history = await call('documents:history', { ref: archiveNo });
    expect(history.map((version) => version.reason)).toContain(`clerk confirmed slip SO-2026-0001 for ${archiveNo} in the filing form`);
    expect(pageErrors).toEqual([]);
  });
});
