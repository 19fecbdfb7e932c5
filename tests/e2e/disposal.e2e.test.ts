/**
 * Retention in real Chromium (preview host), in order: a clerk puts one due slip on hold from the document
 * drawer (and cannot shorten its retention); then one administrator requests disposal of the other on the
 * Disposal screen — the held one is shown held and left out —, cannot approve it herself, and a second
 * administrator approves it in another tab and saves the certificate. The files are gone from the archive,
 * `check` still passes, the certificate's hash is the audited one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');

let host: PreviewHost;
let browser: Browser;
const pageErrors: string[] = [];
let archiveNo = '';
let heldNo = '';
let files: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-disposal-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tmpdir()],
  });
  const [slip, other] = await writeSlips(tempDir('slipvault-e2e-disposal-slips-'), 2);
  const document = await host.archive.documents.importFile(slip!);
  archiveNo = document.archiveNo;
  heldNo = (await host.archive.documents.importFile(other!)).archiveNo;
  // Signed in 1990: 30 years from the end of fiscal 1990 ended on 2021-01-01.
  for (const ref of [archiveNo, heldNo]) {
    host.archive.documents.edit(ref, { type: 'delivery_receipt', signedDate: '1990-05-01', customer: '华南贸易' } as never, null);
  }
  files = host.archive.connection.sqlite
    .prepare(
      'SELECT blob_hash FROM source_files WHERE document_id = @id UNION SELECT thumbnail_hash FROM pages WHERE document_id = @id AND thumbnail_hash IS NOT NULL',
    )
    .pluck()
    .all({ id: document.id }) as string[];
  browser = await launchBrowser('en-US');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe('retention and disposal in the UI', () => {
  it('a clerk puts a document on hold from the drawer and cannot shorten its retention', async () => {
    const page = await openCheckedPage(browser, pageErrors);
    await page.goto(host.url);
    await logIn(page, host.archive, 'zhao.clerk', 'clerk');
    await page.locator('[data-screen="archive"]').click();
    await page.locator('.archive-screen .ant-table-row', { hasText: heldNo }).click();
    await page.locator('.document-drawer .ant-tabs-tab', { hasText: 'Retention' }).click();
    const panel = page.locator('.retention-panel');
    await expect.poll(() => panel.locator('.retention-due').innerText()).toBe('2021-01-01');

    await panel.locator('.retention-until input').fill('2019-01-01');
    await panel.locator('.retention-until input').press('Enter');
    await panel.locator('input.retention-extend-reason').fill('shorter');
    await panel.locator('button.retention-extend').click();
    await expect.poll(() => panel.locator('[role="alert"]').innerText()).toContain('must be kept until 2021-01-01; an extension must end later than that.');

    await panel.locator('input.hold-reason').fill('Customer disputes the delivered quantity');
    await panel.locator('button.hold-add').click();
    await expect.poll(() => panel.locator('.retention-holds').innerText()).toContain('Customer disputes the delivered quantity');
    expect(await panel.locator('button.hold-lift').count()).toBe(0);
    expect(host.archive.audit.list(0, 10_000).filter((event) => event.action === 'hold.add')).toMatchObject([{ actor: 'zhao.clerk', targetId: heldNo }]);
    await page.close();
  });

  it('is requested by one administrator and approved by another, who saves the certificate', async () => {
    const requester = await openCheckedPage(browser, pageErrors);
    await requester.goto(host.url);
    await logIn(requester, host.archive, 'li.na', 'admin');
    await requester.locator('[data-screen="disposal"]').click();
    await requester.locator('button.disposal-show-due').click();
    const row = requester.locator('.disposal-due .ant-table-row', { hasText: archiveNo });
    await expect.poll(() => row.innerText()).toContain('2021-01-01');
    await expect.poll(() => row.locator('.disposal-decision').innerText()).toContain('Dispose of');
    await expect.poll(() => requester.locator('.disposal-due .ant-table-row', { hasText: heldNo }).innerText()).toContain('On hold: Dispute');
    await requester.locator('input.disposal-reason').fill('Yearly disposal 2026');
    await requester.locator('button.disposal-request').click();
    await expect.poll(() => requester.locator('.disposal-requested').innerText()).toContain('Batch 1 requested');
    const ownBatch = requester.locator('.disposal-batch-1');
    await expect.poll(() => ownBatch.innerText()).toContain('another administrator must approve it');
    expect(await ownBatch.locator('button.disposal-approve').count()).toBe(0);

    const approver = await openCheckedPage(browser, pageErrors);
    await approver.goto(host.url);
    await logIn(approver, host.archive, 'wang.fang', 'admin');
    await approver.locator('[data-screen="disposal"]').click();
    const batch = approver.locator('.disposal-batch-1');
    await batch.locator('input.disposal-decision-reason').fill('Appraised: may be destroyed');
    await batch.locator('button.disposal-approve').click();
    await expect.poll(() => batch.locator('.disposal-approved').innerText()).toContain('1 document(s) disposed of');
    expect(await batch.innerText()).not.toContain(heldNo);
    expect(await batch.getAttribute('data-status')).toBe('approved');

    const out = join(tempDir('slipvault-e2e-disposal-out-'), 'certificate.pdf');
    await batch.locator('input.disposal-certificate-out').fill(out);
    await batch.locator('button.disposal-certificate').click();
    await expect.poll(() => batch.locator('.disposal-certificate-written').innerText()).toContain(out);

    const approval = host.archive.audit.list(0, 10_000).find((event) => event.action === 'disposal.approve');
    expect(approval).toMatchObject({ actor: 'wang.fang', details: { requestedBy: 'li.na' } });
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(approval!.details.certificateSha256);
    expect(files.some((hash) => host.archive.blobs.has(hash))).toBe(false);
    expect((await host.archive.check()).ok).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
