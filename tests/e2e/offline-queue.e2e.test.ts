/**
 * A clerk's window on a SlipVault server keeps a scan while the server is down, in real Chromium: a preview
 * host routed to a server on 127.0.0.1, the server stopped under the logged-in window, a file dropped on the
 * Inbox — kept on this computer, the top bar saying 1 waiting — then the server started again, the clerk logs
 * in, and the queued file becomes the server's document, shown in the window.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { ServerChoiceFile } from '../../src/main/host/server-choice';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { parseServerUrl } from '../../src/main/network/server-address';
import { tempDir, writePng } from '../helpers/fixtures';
import { serveAgain, serveArchive, type ServedArchive } from '../helpers/served-archive';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';

const ROOT = resolve(__dirname, '..', '..');

let server: ServedArchive;
let host: PreviewHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await serveArchive(tempDir('slipvault-e2e-queue-server-'), { admin: 'admin', 'clerk-li': 'clerk' });
  const config = tempDir('slipvault-e2e-queue-config-');
  const address = parseServerUrl(server.url);
  new KnownServerStore(config).trust(address, server.fingerprint);
  new ServerChoiceFile(config).remember({ address, fingerprint: server.fingerprint });
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-queue-pc-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    backgroundOcr: false,
    configFolder: config,
  });
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.close();
});

describe('a scan made while the server is down', () => {
  it('is kept on this computer, shown as waiting, and imported on the server after the next login', async () => {
    await page.goto(host.url);
    await logIn(page, server.archive, 'clerk-li', 'clerk');
    await server.close();

    await page.locator('.shell-sider [data-screen="inbox"]').click();
    const file = await writePng(tempDir('slipvault-e2e-queue-files-'), 'scanned-offline.png');
    await page.locator('.inbox-import input[type="file"]').setInputFiles(file);
    const outcome = page.locator('.import-outcome');
    await expect.poll(() => outcome.innerText()).toContain('scanned-offline.png was kept on this computer (1 waiting)');
    expect(await outcome.innerText()).toContain('0 imported, 1 kept on this computer until the server is back, 0 not imported.');
    const badge = page.locator('.upload-queue-badge');
    await expect.poll(() => badge.innerText()).toBe('1 import waiting to upload');

    server = await serveAgain(server);
    // Back on the server, the window logs in again (its login there went with the server).
    await page.reload();
    await logIn(page, server.archive, 'clerk-li', 'clerk');
    await expect.poll(() => server.archive.documents.list({ includeVoided: false, limit: 10, offset: 0 }).items.length).toBe(1);
    const archiveNo = server.archive.documents.list({ includeVoided: false, limit: 10, offset: 0 }).items[0]!.archiveNo;
    await expect.poll(() => badge.count()).toBe(0);
    await page.locator('.shell-sider [data-screen="archive"]').click();
    await expect.poll(() => page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});
