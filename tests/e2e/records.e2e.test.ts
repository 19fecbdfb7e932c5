/**
 * The Customers and Authorizations screens in real Chromium against the preview host on a temp archive:
 * create a customer, merge another into it (its document gets a new version and the old name becomes an
 * alias), import a CSV after its preview, add a signer with specimen images, then create an authorization
 * with verification attachments and revoke it; keep the paper
 * location list in Settings, file a document's paper in a box from its drawer and download the box label.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';

const ROOT = resolve(__dirname, '..', '..');

let host: PreviewHost;
let browser: Browser;
let page: Page;
let files: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-records-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    actor: 'admin-wang',
  });
  files = tempDir('slipvault-e2e-records-files-');
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** Picks `label` in the antd Select whose input has this id. */
async function choose(id: string, label: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${label}"]`).click();
}

const rowOf = (screen: string, text: string) => page.locator(`${screen} .ant-table-row`, { hasText: text });

describe('Customers and Authorizations screens in Chromium via the preview host', () => {
  it('creates, merges and imports customers', async () => {
    const slip = await writeJpeg(files, 'slip.jpg');
    const [imported] = await host.archive.documents.importBatch(slip);
    host.archive.documents.edit(imported!.id, { customer: '华南贸易有限公同' }, null);

    await page.goto(host.url);
    await logIn(page, host.archive, 'admin-wang');
    await page.locator('[data-screen="customers"]').click();
    await rowOf('.customers-screen', '华南贸易有限公同').waitFor();

    await page.getByRole('button', { name: 'New customer' }).click();
    await page.locator('#customer-name').fill('华南贸易');
    await page.locator('#customer-code').fill('C001');
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'OK' }).click();
    await rowOf('.customers-screen', 'C001').waitFor();

    await page.getByRole('button', { name: 'Merge… 华南贸易有限公同' }).click();
    await choose('merge-into', '华南贸易');
    await page.locator('#merge-reason').fill('typo');
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'Merge' }).click();
    await expect.poll(() => page.locator('.customers-screen .ant-table-row').count()).toBe(1);
    expect(await rowOf('.customers-screen', 'C001').locator('.ant-tag').innerText()).toBe('华南贸易有限公同');
    const merged = host.archive.documents.get(imported!.id);
    expect(merged.metadata.customer).toBe('华南贸易');
    expect(host.archive.documents.history(imported!.id).at(-1)).toMatchObject({ action: 'customer.merge', actor: 'admin-wang', reason: 'typo' });

    const csv = join(files, 'customers.csv');
    writeFileSync(csv, 'name,code,crmId\r\n北方物流,C002,FX-2\r\n华南贸易,C001,FX-1\r\n');
    await page.getByRole('button', { name: 'Import CSV / XLSX…' }).click();
    await page.locator('.ant-modal:visible input[type="file"]').setInputFiles(csv);
    const preview = page.locator('.import-preview');
    await preview.locator('.ant-table-row').first().waitFor();
    expect(await preview.locator('.ant-table-row').allInnerTexts()).toEqual([
      expect.stringMatching(/^2\s+create\s+北方物流\s+C002\s+FX-2$/),
      expect.stringMatching(/^3\s+update\s+华南贸易\s+C001\s+FX-1$/),
    ]);
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'Import all rows' }).click();
    await rowOf('.customers-screen', '北方物流').waitFor();
    expect(host.archive.records.customers.get('华南贸易').crmId).toBe('FX-1');

    // A signer with scanned specimens of the signature and the seal, handed to the host as uploads.
    await page.getByRole('button', { name: 'Add signer 华南贸易' }).click();
    await page.locator('#signer-name').fill('王伟');
    const signerDialog = page.locator('.ant-modal:visible');
    await signerDialog
      .locator('input[type="file"]')
      .nth(0)
      .setInputFiles(await writePng(files, 'signature.png', 240, 90));
    await signerDialog
      .locator('input[type="file"]')
      .nth(1)
      .setInputFiles(await writePng(files, 'seal.png', 160, 160));
    await expect.poll(() => signerDialog.locator('.picked-file').allInnerTexts()).toEqual(['signature.png', 'seal.png']);
    await signerDialog.getByRole('button', { name: 'OK' }).click();
    await expect.poll(() => host.archive.records.signers.list().length).toBe(1);
    const [signer] = host.archive.records.signers.list();
    expect(signer).toMatchObject({ name: '王伟', signatureBlob: expect.stringMatching(/^[0-9a-f]{64}$/), sealBlob: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(signer!.signatureBlob).not.toBe(signer!.sealBlob);
  });

  it('creates an authorization, shows its state and revokes it', async () => {
    await page.locator('[data-screen="authorizations"]').click();
    await page.getByRole('button', { name: 'New authorization' }).click();
    await choose('auth-customer', '华南贸易');
    await page.locator('#auth-agents').fill('王伟');
    await page.locator('#auth-agents').press('Enter');
    await choose('auth-types', 'Delivery receipt');
    await page.locator('#auth-cap').fill('50000');
    await page.locator('#auth-from').fill('2020-01-01');
    await page.locator('#auth-to').fill('2099-12-31');
    await page.locator('#auth-verification').fill('ID card');
    await page
      .locator('.ant-modal:visible input[type="file"]')
      .setInputFiles([await writePng(files, 'id-front.png', 320, 200), await writePng(files, 'id-back.png', 320, 201)]);
    await expect.poll(() => page.locator('.ant-modal:visible .picked-file').allInnerTexts()).toEqual(['id-front.png', 'id-back.png']);
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'OK' }).click();
    const row = rowOf('.authorizations-screen', '王伟');
    await row.waitFor();
    expect(await row.locator('.auth-state').innerText()).toBe('active');
    expect(await row.innerText()).toMatch(/Delivery receipt · ≤ 50000\.00/);

    await page.getByRole('button', { name: /^Revoke \d+$/ }).click();
    await page.locator('#revoke-on').fill('2026-01-15');
    await page.locator('#revoke-reason').fill('left the company');
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.locator('.auth-state').innerText()).toBe('revoked');
    const [stored] = host.archive.records.authorizations.list({}, '2026-06-01');
    expect(stored).toMatchObject({ state: 'revoked', revokedOn: '2026-01-15', revokeReason: 'left the company' });
    expect(stored!.verificationAttachments).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(pageErrors).toEqual([]);
  });

  it("keeps the location list in Settings, files a document's paper in a box and downloads its label", async () => {
    const [slip] = await host.archive.documents.importBatch(await writeJpeg(files, 'boxed.jpg'));
    await page.locator('[data-screen="settings"]').click();
    const card = page.locator('.locations-card');
    await page.locator('#location-code').fill('A');
    await choose('location-kind', 'Cabinet');
    await page.locator('#location-label').fill('Finance room');
    await card.getByRole('button', { name: 'Save location' }).click();
    await card.locator('.ant-table-row', { hasText: 'Finance room' }).waitFor();
    await page.locator('#location-code').fill('B1');
    await choose('location-kind', 'Box');
    await choose('location-parent', 'A');
    await page.locator('#location-label').fill('Receipts 2026');
    await card.getByRole('button', { name: 'Save location' }).click();
    await card.locator('.ant-table-row', { hasText: 'A / B1' }).waitFor();
    // A box holds nothing, so it is not offered as the place of a shelf.
    await page.locator('#location-code').fill('S9');
    await choose('location-kind', 'Shelf');
    await choose('location-parent', 'A');
    await page.locator('#location-parent').click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible .ant-select-item-option').allInnerTexts()).toEqual(['A']);
    await page.keyboard.press('Escape');
    expect(host.archive.records.locations.list().map((location) => [location.path.join(' / '), location.kind, location.label])).toEqual([
      ['A', 'cabinet', 'Finance room'],
      ['A / B1', 'box', 'Receipts 2026'],
    ]);

    await page.locator('[data-screen="archive"]').click();
    await page.locator('.archive-screen .ant-table-row', { hasText: slip!.archiveNo }).click();
    const drawer = page.locator('.document-drawer.ant-drawer-open');
    await drawer.locator('.paper-location-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option[title="B1"]').click();
    await expect.poll(() => host.archive.documents.get(slip!.id).location).toBe('B1');
    expect(host.archive.documents.history(slip!.id).at(-1)).toMatchObject({ action: 'location', actor: 'admin-wang' });
    const placed = host.archive.documents.get(slip!.id).currentVersion;
    await expect.poll(() => drawer.locator('.ant-drawer-title').innerText()).toContain(`Version ${placed}`);

    const [download] = await Promise.all([page.waitForEvent('download'), drawer.locator('button.box-label').click()]);
    expect(download.suggestedFilename()).toBe('box-B1.pdf');
    const saved = join(tempDir('slipvault-e2e-box-label-'), 'box-B1.pdf');
    await download.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageErrors).toEqual([]);
  });
});
