/**
 * A viewer exports a proof package of one document from the document drawer in real Chromium (preview host),
 * into a folder under the host's --folder-root; the package verifies on its own and the export is one audit
 * event by that viewer. A folder outside the root is refused by the host.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProofPackage } from '../../src/main/core/proof/verify';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');

let host: PreviewHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
let archiveNo = '';

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-proof-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tmpdir()],
  });
  const [slip] = await writeSlips(tempDir('slipvault-e2e-proof-slips-'), 1);
  archiveNo = (await host.archive.documents.importFile(slip!)).archiveNo;
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe('proof package from the document drawer', () => {
  it('a viewer exports one that verifies; a folder outside the allowed root is refused', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'sun.viewer', 'viewer');
    await page.locator('[data-screen="archive"]').click();
    await page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).click();
    await page.locator('.document-drawer button.proof-export').click();
    const dialog = page.locator('.proof-export-dialog .ant-modal');
    const input = dialog.locator('input');

    await input.fill('/proof-outside-the-root.zip');
    await dialog.getByRole('button', { name: 'Proof package' }).click();
    await expect.poll(() => dialog.locator('[role="alert"]').innerText()).toContain('was not chosen by the user');

    const out = join(tempDir('slipvault-e2e-proof-out-'), `${archiveNo}-proof.zip`);
    const before = host.archive.audit.head().seq;
    await input.fill(out);
    await dialog.getByRole('button', { name: 'Proof package' }).click();
    await expect.poll(() => dialog.locator('[role="status"]').innerText()).toContain(`Written to ${out}.`);

    const report = verifyProofPackage(out);
    expect(report).toMatchObject({ ok: true, exportedBy: 'sun.viewer', documents: [{ archiveNo }] });
    expect(report.signedBy).toMatch(/^[0-9a-f]{16}$/);
    expect(host.archive.audit.list(before, 100).filter((event) => event.action === 'proof.export')).toMatchObject([{ actor: 'sun.viewer' }]);
    expect(pageErrors).toEqual([]);
  });
});
