/**
 * Debian's Chromium driven by playwright-core (never `npx playwright install`: no downloads, CI installs
 * the `chromium` apt package from scripts/test-all.sh). Fresh profile per run, everything that could phone
 * home switched off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { Archive } from '../../src/main/core/archive';
import type { Method } from '../../src/shared/contract';
import type { Role } from '../../src/shared/model';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

export const CHROMIUM = process.env.SLIPVAULT_CHROMIUM ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(locale: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'slipvault-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    locale,
    viewport: { width: 1360, height: 820 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page whose uncaught errors and console errors/warnings are collected into `errors` (tests expect none). */
export async function openCheckedPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.text()} ${message.location().url}`);
  });
  return page;
}

/**
 * Logs the page in through the login screen, as a clerk would (the account is created first when missing;
 * the first account of an archive is its administrator). Call after every goto or reload.
 */
export async function logIn(page: Page, archive: Archive, username = 'clerk-li', role: Role = 'admin'): Promise<void> {
  await ensureUser(archive, username, role);
  const door = page.locator('.door');
  await door.locator('input[autocomplete="username"]').waitFor();
  // A page that loaded before the archive had any account shows the first-admin form: load it again.
  if ((await door.locator('#repeat').count()) > 0) {
    await page.reload();
    await door.locator('input[autocomplete="username"]').waitFor();
  }
  await door.locator('input[autocomplete="username"]').fill(username);
  await door.locator('input[type="password"]').fill(TEST_PASSWORD);
  await door.locator('button[type="submit"]').click();
  await page.locator('.shell-sider').waitFor();
}

/** Makes a contract call from inside the page (as a crafted script would); 'answered' or the refusal's code. */
export function callFromPage(page: Page, method: Method, input: unknown): Promise<string> {
  return page.evaluate(
    ([name, body]) =>
      (globalThis as unknown as { slipvault: { call(method: string, input: unknown): Promise<unknown> } }).slipvault.call(name, body).then(
        () => 'answered',
        (error: { code: string }) => error.code,
      ),
    [method, input] as const,
  );
}
