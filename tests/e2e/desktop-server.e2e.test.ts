/**
 * Two clerks' windows on one SlipVault server, in real Chromium: two preview hosts — each its own
 * workstation with its own archive and configuration folder — routed to a server on 127.0.0.1. One connects
 * from the login door (the fingerprint shown to compare, then trusted), the other starts already connected
 * (its choice remembered); each logs in on the server as its own clerk. An edit saved in one window shows up
 * in the other without a reload; a save there from the stale version is refused with the edit-conflict
 * message, and nothing is overwritten. Settings → Server then takes the first window back to its own archive.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { ServerChoiceFile } from '../../src/main/host/server-choice';
import { KnownServerStore } from '../../src/main/network/known-servers';
import { parseServerUrl } from '../../src/main/network/server-address';
import { tempDir } from '../helpers/fixtures';
import { serveArchive, type ServedArchive } from '../helpers/served-archive';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');

let server: ServedArchive;
let hostLi: PreviewHost;
let hostWang: PreviewHost;
let browser: Browser;
let li: Page;
let wang: Page;
let archiveNo: string;
const pageErrors: string[] = [];

async function workstation(name: string, configFolder: string): Promise<PreviewHost> {
  return startPreviewHost({
    archiveDir: join(tempDir(`slipvault-e2e-${name}-`), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    backgroundOcr: false,
    configFolder,
  });
}

beforeAll(async () => {
  server = await serveArchive(tempDir('slipvault-e2e-server-'), { admin: 'admin', 'clerk-li': 'clerk', 'clerk-wang': 'clerk' });
  const [slip] = await writeSlips(tempDir('slipvault-e2e-server-slips-'), 1);
  archiveNo = (await server.archive.documents.importFile(slip!)).archiveNo;

  hostLi = await workstation('pc-li', tempDir('slipvault-e2e-config-li-'));
  // Wang's workstation was connected before: the server and its fingerprint are remembered there.
  const wangConfig = tempDir('slipvault-e2e-config-wang-');
  const address = parseServerUrl(server.url);
  new KnownServerStore(wangConfig).trust(address, server.fingerprint);
  new ServerChoiceFile(wangConfig).remember({ address, fingerprint: server.fingerprint });
  hostWang = await workstation('pc-wang', wangConfig);

  browser = await launchBrowser('en-US');
  li = await openCheckedPage(browser, pageErrors);
  wang = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await hostLi?.close();
  await hostWang?.close();
  await server?.close();
});

const drawerOf = (page: Page) => page.locator('.document-drawer .ant-drawer-section');

async function openDocument(page: Page): Promise<void> {
  await page.locator('[data-screen="archive"]').click();
  await page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).click();
  await expect.poll(() => drawerOf(page).locator('.ant-drawer-title .mono').innerText()).toBe(archiveNo);
}

describe('two windows on one SlipVault server', () => {
  it('connects from the door after comparing the fingerprint, and logs in on the server', async () => {
    expect(hostLi.server).toBeNull();
    expect(hostWang.server).toBe(server.url);
    await li.goto(hostLi.url);
    const door = li.locator('.door-connection');
    await expect.poll(() => door.innerText()).toContain('Logging in to the archive on this computer.');
    await door.locator('.door-server-toggle').click();
    await door.locator('.server-address').fill(server.url);
    await door.locator('.server-connect').click();
    const probe = door.locator('.server-probe');
    await expect.poll(() => probe.isVisible()).toBe(true);
    expect(await probe.innerText()).toContain(`The server ${server.url} presents a certificate with the SHA-256 fingerprint`);
    expect(await probe.locator('.server-fingerprint').innerText()).toContain(server.fingerprint);
    await probe.locator('.server-trust').click();

    // The window reloads onto the server: its login is now the server's.
    await expect.poll(() => li.locator('.door-connection').innerText()).toContain(`Logging in on the server ${server.url}`);
    await logIn(li, server.archive, 'clerk-li', 'clerk');
    expect(hostLi.server).toBe(server.url);

    await wang.goto(hostWang.url);
    await expect.poll(() => wang.locator('.door-connection').innerText()).toContain(server.url);
    // The way back to this computer's archive needs no login on the server (it may be unreachable).
    expect(await wang.locator('.door-use-local').isVisible()).toBe(true);
    await logIn(wang, server.archive, 'clerk-wang', 'clerk');
  });

  it('shows one clerk’s save live in the other window, and refuses a save from the stale version', async () => {
    await openDocument(li);
    await openDocument(wang);
    const liForm = drawerOf(li).locator('.metadata-form');
    const wangForm = drawerOf(wang).locator('.metadata-form');

    await liForm.locator('#slipNo').fill('DN-LI-1');
    await liForm.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => server.archive.documents.get(archiveNo).currentVersion).toBe(2);
    // Li's own window has the save's answer before Li saves again (a Save pressed while one is on its way is ignored).
    await expect.poll(() => li.getByText('Saved as version 2.').isVisible()).toBe(true);
    await expect.poll(() => drawerOf(li).locator('.ant-drawer-title').innerText()).toContain('Version 2');
    // Wang's window hears the server's event and shows the new version without a reload.
    await expect.poll(() => wangForm.locator('#slipNo').inputValue()).toBe('DN-LI-1');

    await wangForm.locator('#slipNo').fill('DN-WANG-1');
    await liForm.locator('#slipNo').fill('DN-LI-2');
    await liForm.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => server.archive.documents.get(archiveNo).currentVersion).toBe(3);
    expect(await wangForm.locator('#slipNo').inputValue()).toBe('DN-WANG-1');

    await wangForm.getByRole('button', { name: 'Save' }).click();
    const alert = wangForm.locator('.edit-conflict');
    await expect.poll(() => alert.isVisible()).toBe(true);
    expect(await alert.innerText()).toMatch(/Changed by clerk-li at .+ \(now version 3\) — review the differences\. Nothing was saved\./);
    // Each version Li made changed the slip number only, to what Li typed (compared as changes, so a failure shows them).
    const changedBy = (version: number) => ({
      actor: server.archive.documents.history(archiveNo)[version - 1]?.actor,
      fields: server.archive.documents.diff(archiveNo, version - 1, version).fields,
    });
    expect([changedBy(2), changedBy(3)]).toEqual([
      { actor: 'clerk-li', fields: [{ field: 'slipNo', from: null, to: 'DN-LI-1' }] },
      { actor: 'clerk-li', fields: [{ field: 'slipNo', from: 'DN-LI-1', to: 'DN-LI-2' }] },
    ]);
    expect(server.archive.documents.get(archiveNo)).toMatchObject({ currentVersion: 3, slipNo: 'DN-LI-2' });
  });

  it('takes a window back to the archive on its own computer from Settings → Server', async () => {
    await li.keyboard.press('Escape');
    await li.locator('[data-screen="settings"]').click();
    const card = li.locator('.server-card');
    await expect.poll(() => card.innerText()).toContain(server.url);
    await card.locator('.server-use-local').click();
    await expect.poll(() => li.locator('.door-connection').innerText()).toContain('Logging in to the archive on this computer.');
    // The other window stays on the server.
    expect(await wang.locator('.door').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
