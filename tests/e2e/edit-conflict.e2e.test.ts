/**
 * Two clerks on the same document in real Chromium against the preview host: while one types in the
 * document's form, another clerk saves the same document from another connection. The live update does not
 * wipe what was typed; the Save is refused with who changed it and what changed (nothing stored); "Keep my
 * changes" then saves the typed field on top of the other clerk's version, which keeps their change; what is typed
 * while that save is on its way stays in the form and is saved next.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');

let host: PreviewHost;
let browser: Browser;
let page: Page;
let archiveNo: string;
const pageErrors: string[] = [];
let slowAnswers = false;

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-conflict-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    backgroundOcr: false,
  });
  const [slip] = await writeSlips(tempDir('slipvault-e2e-conflict-slips-'), 1);
  archiveNo = (await host.archive.documents.importFile(slip!)).archiveNo;
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.routeWebSocket(/\/ws\?/, (socket) => {
    const host = socket.connectToServer();
    socket.onMessage((message) => host.send(message));
    // In order: a message held back is not overtaken by a later one.
    let delivered = Promise.resolve();
    host.onMessage((message) => {
      const delay = slowAnswers ? 1_000 : 0;
      delivered = delivered.then(() => new Promise((resolve) => setTimeout(resolve, delay))).then(() => socket.send(message));
    });
  });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const drawer = () => page.locator('.document-drawer .ant-drawer-section');

describe('an edit conflict in the document form', () => {
  it('keeps what was typed, refuses the save with the other change, then saves on top of it', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'clerk-wu', 'clerk');
    await page.locator('[data-screen="archive"]').click();
    await page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).click();
    await expect.poll(() => drawer().locator('.ant-drawer-title .mono').innerText()).toBe(archiveNo);

    const form = drawer().locator('.metadata-form');
    await form.locator('#slipNo').fill('DN-WU-1');
    const zhao = await clientAs(createApi(host.archive), host.archive, 'clerk', 'clerk-zhao');
    const theirs = await zhao.invoke('documents:edit', { ref: archiveNo, changes: { customer: 'Zhuhai Logistics' }, baseVersion: 1 });
    expect(theirs).toMatchObject({ ok: true, value: { currentVersion: 2 } });
    expect(await form.locator('#slipNo').inputValue()).toBe('DN-WU-1');

    await form.getByRole('button', { name: 'Save' }).click();
    const alert = form.locator('.edit-conflict');
    await expect.poll(() => alert.isVisible()).toBe(true);
    const text = await alert.innerText();
    expect(text).toMatch(/Changed by clerk-zhao at .+ \(now version 2\) — review the differences\. Nothing was saved\./);
    expect(text).toContain('Customer');
    expect(text).toContain('Zhuhai Logistics');
    expect(host.archive.documents.get(archiveNo)).toMatchObject({ currentVersion: 2, slipNo: null, customer: 'Zhuhai Logistics' });

    await alert.getByRole('button', { name: 'Keep my changes' }).click();
    // A slow network: what the host sends is held back while the clerk types after pressing Save.
    slowAnswers = true;
    await form.getByRole('button', { name: 'Save' }).click();
    await form.locator('#signer').fill('Wu Fang');
    slowAnswers = false;
    await expect.poll(() => host.archive.documents.get(archiveNo).currentVersion).toBe(3);
    expect(host.archive.documents.get(archiveNo)).toMatchObject({ slipNo: 'DN-WU-1', customer: 'Zhuhai Logistics' });
    expect(await form.locator('.edit-conflict').count()).toBe(0);
    await expect.poll(() => page.getByText('Saved as version 3.').isVisible()).toBe(true);
    expect(await form.locator('#signer').inputValue()).toBe('Wu Fang');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => host.archive.documents.get(archiveNo).currentVersion).toBe(4);
    expect(host.archive.documents.get(archiveNo)).toMatchObject({ slipNo: 'DN-WU-1', signer: 'Wu Fang' });

    // Another clerk's save shown live leaves the cursor where this clerk is typing (not in the title).
    await expect.poll(() => page.getByText('Saved as version 4.').isVisible()).toBe(true);
    await form.locator('#notes').focus();
    expect(await zhao.invoke('documents:edit', { ref: archiveNo, changes: { customer: 'Foshan Metals' }, baseVersion: 4 })).toMatchObject({ ok: true });
    await expect.poll(() => form.locator('#customer').inputValue()).toBe('Foshan Metals');
    await page.keyboard.type('checked by Wu');
    expect(await form.locator('#notes').inputValue()).toBe('checked by Wu');
    expect(await form.locator('#title').inputValue()).toBe(host.archive.documents.get(archiveNo).title);
    expect(pageErrors).toEqual([]);
  });
});
