/**
 * The Backup screen in real Chromium against the preview host on a temp archive: passphrase strength
 * feedback, a backup to a temp folder, the restore wizard (a wrong passphrase and a non-empty folder each
 * refused with their own message, then a restore into a new empty folder that the CLI's `check` passes),
 * and public-key entry: an invalid recipient refused in the form, a backup to an `age-keygen` key pair
 * that Debian's `age -d` decrypts to a tar stream. Saves docs/screenshots/restore-wizard.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import type { CheckReport } from '../../src/shared/model';
import { slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, openCheckedPage, type Browser, logIn } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
const PASSPHRASE = 'lantern copper 47 river';

let host: PreviewHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-backup-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    // The folders this test types are made in the temp folder: the page may name folders under it.
    folderRoots: [tmpdir()],
    actor: 'admin-zhao',
    // The pages' text does not matter here; keep the machine free for the backup work.
    backgroundOcr: false,
  });
  for (const slip of await writeSlips(tempDir('slipvault-e2e-backup-slips-'), 3)) await host.archive.documents.importFile(slip);
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe('Backup screen in Chromium via the preview host', () => {
  it('backs up with a passphrase and restores through the wizard; wrong passphrase and non-empty folder are refused', async () => {
    await page.goto(host.url);
    await logIn(page, host.archive, 'admin-zhao');
    await page.locator('[data-screen="backup"]').click();
    const backup = page.locator('.backup-screen');
    await expect.poll(() => backup.locator('.last-backup').innerText()).toContain('Never');

    // Strength feedback while typing: visible words, not only a colour.
    const strength = backup.locator('.passphrase-strength');
    const passphrase = backup.locator('#backup-passphrase');
    await passphrase.fill('123456789012');
    expect(await strength.getAttribute('data-strength')).toBe('weak');
    expect(await strength.innerText()).toContain('Weak — use at least 12 characters');
    await passphrase.fill('lantern river');
    expect(await strength.getAttribute('data-strength')).toBe('fair');
    expect(await strength.innerText()).toContain('Acceptable');
    await passphrase.fill(PASSPHRASE);
    expect(await strength.getAttribute('data-strength')).toBe('strong');
    expect(await strength.innerText()).toContain('Strong');

    const target = tempDir('slipvault-e2e-backup-target-');
    await backup.locator('#backup-target').fill(target);
    await backup.getByRole('button', { name: 'Run backup' }).click();
    await expect.poll(() => backup.locator('.backup-created').innerText(), { timeout: 30_000 }).toContain('3 documents');
    const setId = host.archive.status().lastBackup!.setId;

    // --- the wizard: target → set (newest preselected) → key → destination → result ---
    const wizard = backup.locator('.restore-wizard');
    await wizard.locator('#restore-target').fill(target);
    await wizard.getByRole('button', { name: 'Find backup sets' }).click();
    await expect.poll(() => wizard.locator('.restore-sets tbody tr').count()).toBe(1);
    expect(await wizard.locator('.restore-sets').innerText()).toContain(setId);
    await wizard.getByRole('button', { name: 'Next', exact: true }).click();

    // A wrong passphrase: the core's specific refusal, nothing written into the new folder.
    const into = join(tempDir('slipvault-e2e-restore-'), 'restored');
    await wizard.locator('#restore-passphrase').fill('lantern copper 47 rivet');
    await wizard.getByRole('button', { name: 'Next', exact: true }).click();
    await wizard.locator('#restore-into').fill(into);
    await wizard.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect
      .poll(() => wizard.locator('.restore-error').innerText(), { timeout: 30_000 })
      .toContain(`The passphrase or identity does not open backup set ${setId}; nothing was restored.`);
    expect(await wizard.locator('.restore-result').count()).toBe(0);

    // A folder that already holds something: refused before anything is decrypted.
    const occupied = tempDir('slipvault-e2e-occupied-');
    writeFileSync(join(occupied, 'notes.txt'), 'keep me');
    await wizard.getByRole('button', { name: 'Back', exact: true }).click(); // result → destination
    await wizard.getByRole('button', { name: 'Back', exact: true }).click(); // destination → key
    await wizard.locator('#restore-passphrase').fill(PASSPHRASE);
    await wizard.getByRole('button', { name: 'Next', exact: true }).click();
    await wizard.locator('#restore-into').fill(occupied);
    await wizard.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect
      .poll(() => wizard.locator('.restore-error').innerText(), { timeout: 30_000 })
      .toContain(`${occupied} is not empty; restore only into an empty or new folder, nothing was changed.`);
    expect(readdirSync(occupied)).toEqual(['notes.txt']);

    // The right passphrase and a new folder: success in the UI, and the copy is a sound archive.
    await wizard.getByRole('button', { name: 'Back', exact: true }).click();
    await wizard.locator('#restore-into').fill(into);
    await wizard.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => wizard.locator('.restore-result').innerText(), { timeout: 60_000 }).toContain(`Restored set ${setId} into ${into}`);
    expect(await wizard.locator('.restore-error').count()).toBe(0);
    await wizard.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'restore-wizard.png') });
    const check = slipvaultJson<CheckReport>(['--archive', into, 'check'], { SLIPVAULT_USER: 'admin-zhao' });
    expect(check.ok).toBe(true);
    expect(slipvaultJson<{ items: unknown[] }>(['--archive', into, 'list'], { SLIPVAULT_USER: 'admin-zhao' }).items).toHaveLength(3);
    expect(pageErrors).toEqual([]);
  });

  it('backs up to an age-keygen public key that `age -d` opens; an invalid recipient is refused in the form', async () => {
    const keyDir = tempDir('slipvault-e2e-age-');
    const identityFile = join(keyDir, 'key.txt');
    execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
    expect(recipient).toMatch(/^age1/);

    const backup = page.locator('.backup-screen');
    const target = tempDir('slipvault-e2e-age-target-');
    await backup.locator('#backup-target').fill(target);
    await backup.locator('.backup-key-mode').getByText('Public keys (age1…)').click();
    const recipients = backup.locator('#backup-recipients');
    const run = backup.getByRole('button', { name: 'Run backup' });

    // Not an age public key: the form says so and will not start the backup.
    await recipients.fill(`${recipient}\nage1notakey`);
    await expect.poll(() => backup.locator('.backup-key-fields').innerText()).toContain('1 entry is not an age public key (age1… with 58 more characters)');
    expect(await backup.locator('.recipient-invalid').innerText()).toBe('age1notakey');
    expect(await run.isDisabled()).toBe(true);
    // The right shape but a broken checksum: the core refuses it with its reason, nothing is written.
    const lastChar = recipient.at(-1) === 'q' ? 'p' : 'q';
    await recipients.fill(recipient.slice(0, -1) + lastChar);
    await expect.poll(() => run.isDisabled()).toBe(false);
    await run.click();
    await expect.poll(() => backup.locator('.backup-error').innerText(), { timeout: 30_000 }).toMatch(/^A public key is unusable: .*age1/);
    expect(readdirSync(target)).toEqual([]);

    await backup.locator('.backup-error .ant-alert-close-icon').click();
    await recipients.fill(recipient);
    await expect.poll(() => backup.locator('.backup-key-fields').innerText()).toContain('1 key');
    await run.click();
    await expect.poll(() => host.archive.status().lastBackup?.target, { timeout: 30_000 }).toBe(target);
    const setDir = host.archive.status().lastBackup!.setId;
    await expect.poll(() => backup.locator('.backup-created').innerText()).toContain(`Backup set ${setDir} written`);
    expect(readdirSync(target)).toEqual([setDir]);
    const volumes = readdirSync(join(target, setDir))
      .filter((name) => name.endsWith('.age'))
      .sort()
      .map((name) => join(target, setDir, name));
    expect(volumes.length).toBeGreaterThan(0);

    // Debian's age opens it with the secret key; inside is a tar stream with the database and the blobs.
    const tarStream = execFileSync('sh', ['-c', 'cat "$@" | age -d -i "$0"', identityFile, ...volumes], { maxBuffer: 256 * 1024 * 1024 });
    const tarFile = join(keyDir, 'set.tar');
    writeFileSync(tarFile, tarStream);
    const entries = execFileSync('tar', ['-tf', tarFile], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(entries).toContain('slipvault.db');
    expect(entries).toContain('backup-manifest.json');
    expect(entries.filter((entry) => entry.startsWith('blobs/')).length).toBeGreaterThanOrEqual(3);
    // Without the key, age refuses.
    const otherKey = join(keyDir, 'other.txt');
    execFileSync('age-keygen', ['-o', otherKey], { stdio: 'ignore' });
    expect(() => execFileSync('sh', ['-c', 'cat "$@" | age -d -i "$0"', otherKey, ...volumes], { stdio: 'pipe' })).toThrow(/no identity matched/);
    expect(pageErrors).toEqual([]);
  });
});
