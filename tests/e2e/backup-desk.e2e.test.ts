/**
 * The Backup screen as a desktop app has it (issue 19 item 7), in real Chromium against the preview host: the
 * preview explains why the folder is typed and that the passphrase is not kept; "Test restore" restores the
 * newest set into a temporary folder, checks it and reports it passed (recorded as the last test restore);
 * a wrong passphrase and an unplugged drive are refused with their own message; the folder is remembered
 * after a reload, and the whole screen speaks Chinese in zh-CN. Saves docs/screenshots/backup-test-restore.png.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const PASSPHRASE = 'lantern copper 47 river';

let host: PreviewHost;
let browser: Browser;
let page: Page;
let folderRoot: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  folderRoot = tempDir('slipvault-e2e-desk-root-');
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-desk-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [folderRoot],
    backgroundOcr: false,
  });
  for (const slip of await writeSlips(tempDir('slipvault-e2e-desk-slips-'), 2)) await host.archive.documents.importFile(slip);
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const screen = () => page.locator('.backup-screen');
const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('slipvault-test-restore-'));

async function openBackup(): Promise<void> {
  await page.keyboard.press('Alt+5');
  await screen().waitFor();
}

describe('the Backup screen in Chromium', () => {
  it('explains the typed folder and the passphrase that is not kept, backs up, and test-restores', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'clerk-wu', 'clerk');
    await openBackup();
    expect(await screen().locator('.choose-folder').count()).toBe(0);
    expect(await screen().locator('.folder-typed-hint').first().innerText()).toContain('cannot open the system');
    expect(await screen().locator('.passphrase-kept-note').innerText()).toContain('not kept anywhere');

    const target = join(folderRoot, 'backups');
    mkdirSync(target);
    await screen().locator('#backup-target').fill(target);
    await screen().locator('#backup-passphrase').fill(PASSPHRASE);
    await screen().getByRole('button', { name: 'Run backup' }).click();
    await expect.poll(() => screen().locator('.backup-created').innerText(), { timeout: 30_000 }).toContain('2 documents');
    const setId = host.archive.status().lastBackup!.setId;

    await screen().locator('.test-restore').click();
    const result = screen().locator('.test-restore-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 60_000 }).toBe('true');
    expect(await result.innerText()).toContain(`Test restore passed: set ${setId}`);
    expect(await result.innerText()).toContain('2 documents');
    expect(await result.innerText()).toContain('The temporary folder was removed.');
    expect(leftovers()).toEqual([]);
    await expect.poll(() => screen().locator('.last-verified-restore').innerText()).toContain(setId);
    expect(host.archive.audit.list(0, 10_000).filter((event) => event.action === 'backup.last_verified_restore')).toMatchObject([
      { actor: 'clerk-wu', details: { setId, testRestore: true } },
    ]);
    await page.mouse.move(1300, 10);
    await page.locator('.ant-tooltip').first().waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(SCREENSHOTS, 'backup-test-restore.png') });
  });

  it('refuses a wrong passphrase and names an unplugged drive', async () => {
    await screen().locator('#backup-passphrase').fill('not the passphrase at all');
    await screen().locator('.test-restore').click();
    const error = screen().locator('.backup-error');
    await expect.poll(() => error.innerText(), { timeout: 60_000 }).toContain('The passphrase or identity does not open backup set');
    await error.locator('.ant-alert-close-icon').click();

    const unplugged = join(folderRoot, 'BACKUP-B', 'SlipVault');
    await screen().locator('#backup-target').fill(unplugged);
    await screen().locator('#backup-passphrase').fill(PASSPHRASE);
    await screen().locator('.test-restore').click();
    await expect.poll(() => error.innerText(), { timeout: 30_000 }).toContain('is the drive connected?');
    expect(await error.innerText()).toContain(unplugged);
    expect(leftovers()).toEqual([]);
  });

  it('remembers the folder last backed up to, and speaks Chinese in zh-CN', async () => {
    await page.reload();
    await logIn(page, host.archive, 'clerk-wu', 'clerk');
    await openBackup();
    await expect.poll(() => screen().locator('#backup-target').inputValue()).toBe(join(folderRoot, 'backups'));
    // The passphrase is not among what is remembered.
    expect(await screen().locator('#backup-passphrase').inputValue()).toBe('');

    await page.keyboard.press('Alt+L');
    await expect.poll(() => screen().locator('.test-restore').innerText()).toContain('测试恢复');
    expect(await screen().locator('.folder-typed-hint').first().innerText()).toContain('浏览器预览无法打开系统的文件夹选择框');
    expect(await screen().locator('.passphrase-kept-note').innerText()).toContain('不会保存在任何地方');
    await page.keyboard.press('Alt+L');
    expect(pageErrors).toEqual([]);
  });
});
