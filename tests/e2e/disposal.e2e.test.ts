/**
 * A disposal batch in real Chromium (preview host): one administrator requests it on the Disposal screen,
 * cannot approve it herself, a second administrator approves it in another tab and saves the certificate.
 * The files are gone from the archive, `check` still passes, the certificate's hash is the audited one.
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
let files: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-disposal-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tmpdir()],
  });
  const [slip] = await writeSlips(tempDir('slipvault-e2e-disposal-slips-'), 1);
  const document = await host.archive.documents.importFile(slip!);
  archiveNo = document.archiveNo;
  // Signed in 1990: 30 years from the end of fiscal 1990 ended on 2021-01-01.
  host.archive.documents.edit(archiveNo, { type: 'delivery_receipt', signedDate: '1990-05-01', customer: '华南贸易' } as never, null);
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

describe('disposal approval by a second administrator', () => {
  it('is requested by one administrator and approved by another, who saves the certificate', async () => {
    const requester = await openCheckedPage(browser, pageErrors);
    await requester.goto(host.url);
    await logIn(requester, host.archive, 'li.na', 'admin');
    await requester.locator('[data-screen="disposal"]').click();
    await requester.locator('button.disposal-show-due').click();
    const row = requester.locator('.disposal-due .ant-table-row', { hasText: archiveNo });
    await expect.poll(() => row.innerText()).toContain('2021-01-01');
    await expect.poll(() => row.locator('.disposal-decision').innerText()).toContain('Dispose of');
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
