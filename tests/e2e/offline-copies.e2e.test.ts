/**
 * A clerk's window on a SlipVault server, in real Chromium, when the server goes away: the documents the
 * clerk opened while it answered open again from this workstation's offline copies — entered from the login
 * once the server cannot be reached, with the clerk's password — under a banner saying whose copies they
 * are, from when, and that nothing can be changed; a document not opened before is not among them.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { ServerChoiceFile } from '../../src/main/host/server-choice';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { parseServerUrl } from '../../src/main/network/server-address';
import { TEST_PASSWORD } from '../helpers/sessions';
import { tempDir } from '../helpers/fixtures';
import { serveArchive, type ServedArchive } from '../helpers/served-archive';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');

let server: ServedArchive;
let host: PreviewHost;
let browser: Browser;
let page: Page;
const archiveNos: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await serveArchive(tempDir('slipvault-e2e-offline-server-'), { admin: 'admin', 'clerk-li': 'clerk' });
  for (const slip of await writeSlips(tempDir('slipvault-e2e-offline-slips-'), 3)) archiveNos.push((await server.archive.documents.importFile(slip)).archiveNo);
  // This workstation worked on the server before: its address and fingerprint are remembered.
  const config = tempDir('slipvault-e2e-offline-config-');
  const address = parseServerUrl(server.url);
  new KnownServerStore(config).trust(address, server.fingerprint);
  new ServerChoiceFile(config).remember({ address, fingerprint: server.fingerprint });
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-offline-pc-'), 'archive'),
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

/** The SHA-256 of what the page gets at an image's URL, computed in the page. */
function hashInPage(image: ReturnType<Page['locator']>): Promise<string> {
  return image.evaluate(async (element) => {
    const bytes = await (await fetch((element as unknown as { src: string }).src)).arrayBuffer();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  });
}

async function openOnline(archiveNo: string): Promise<void> {
  const drawer = page.locator('.document-drawer .ant-drawer-section');
  await page.locator('[data-screen="archive"]').click();
  await page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).click();
  await expect.poll(() => drawer.locator('.ant-drawer-title .mono').innerText()).toBe(archiveNo);
  await drawer.getByRole('tab', { name: /Pages/ }).click();
  const hash = server.archive.documents.get(archiveNo).pages[0]!.blobHash;
  const image = drawer.locator(`img[src*="${hash}"]`).first();
  await expect.poll(() => image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  await drawer.getByRole('tab', { name: 'History' }).click();
  await expect.poll(() => drawer.innerText()).toContain('Imported');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.document-drawer .ant-drawer-section').count()).toBe(0);
}

describe('a window whose server went away', () => {
  it('reads the documents opened before from the offline copies, read-only, after the password', async () => {
    const [first, second, notOpened] = archiveNos as [string, string, string];
    await page.goto(host.url);
    await logIn(page, server.archive, 'clerk-li', 'clerk');
    await openOnline(first);
    await openOnline(second);
    const online = server.archive.documents.get(first);
    await server.close();

    await page.reload();
    const door = page.locator('.door');
    await door.locator('input[autocomplete="username"]').fill('clerk-li');
    await door.locator('input[type="password"]').first().fill(TEST_PASSWORD);
    await door.locator('button[type="submit"]').first().click();
    await expect.poll(() => door.locator('[role="alert"]').first().innerText()).toContain('Cannot reach the SlipVault server');

    await door.locator('.offline-door-open').click();
    await door.locator('.offline-door-password input').fill('not the password');
    await door.locator('.offline-door-submit').click();
    await expect.poll(() => door.locator('.offline-door [role="alert"]').innerText()).toContain('Wrong password for the offline copies of clerk-li');
    await door.locator('.offline-door-password input').fill(TEST_PASSWORD);
    await door.locator('.offline-door-submit').click();

    const banner = page.locator('.offline-banner');
    await expect.poll(() => banner.innerText()).toContain(`Offline: ${server.url} cannot be reached`);
    expect(await banner.innerText()).toContain('Nothing can be changed here');
    const list = page.locator('.offline-list');
    await expect.poll(() => list.locator('.ant-table-row').count()).toBe(2);
    expect(await list.innerText()).toContain(first);
    expect(await list.innerText()).toContain(second);
    expect(await list.innerText()).not.toContain(notOpened);

    await list.locator('.ant-table-row', { hasText: first }).click();
    const drawer = page.locator('.offline-document .ant-drawer-section');
    await expect.poll(() => drawer.locator('.offline-copy-from').innerText()).toContain('Offline copy from');
    await expect.poll(() => drawer.locator('.offline-details').innerText()).toContain(online.title);
    expect(await drawer.locator('.offline-versions').innerText()).toContain('Imported');
    const image = drawer.locator('.offline-page img').first();
    await expect.poll(() => image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(await hashInPage(image)).toBe(online.pages[0]!.blobHash);
    expect(pageErrors).toEqual([]);
  });
});
