/**
 * Logins in real Chromium against the preview host: the first start creates the first administrator, a
 * wrong password is refused in the user's language, a viewer sees no write screens and the core refuses a
 * crafted write call, and the window locks after the idle time — logged out in the core — keeping what was
 * typed for the same user.
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';
import { TEST_PASSWORD } from '../helpers/sessions';
import { callFromPage, launchBrowser, logIn, openCheckedPage, type Browser } from './browser';

const ROOT = resolve(__dirname, '..', '..');

let host: PreviewHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({ archiveDir: join(tempDir('slipvault-e2e-auth-'), 'archive'), rendererRoot: join(ROOT, 'dist', 'renderer') });
  browser = await launchBrowser('zh-CN');
  page = await openCheckedPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const door = () => page.locator('.door');

async function submitDoor(fields: Record<string, string>): Promise<void> {
  for (const [selector, value] of Object.entries(fields)) await door().locator(selector).fill(value);
  await door().locator('button[type="submit"]').click();
}

describe('logging in', () => {
  it('first start: the first administrator is created at the door; nothing of the archive shows before', async () => {
    await page.goto(host.url);
    await expect.poll(() => door().innerText()).toContain('创建第一个管理员');
    expect(await page.locator('.shell-sider').count()).toBe(0);
    // The core hears nothing from a page that has not logged in.
    expect(await callFromPage(page, 'documents:list', {})).toBe('UNAUTHENTICATED');

    await submitDoor({ '#username': 'li.na', '#displayName': '李娜', '#password': 'short', '#repeat': 'short' });
    await expect.poll(() => door().innerText()).toContain('密码至少 8 个字符');
    await submitDoor({ '#password': TEST_PASSWORD, '#repeat': TEST_PASSWORD });
    await expect.poll(() => page.locator('[data-testid="session-user"]').innerText()).toBe('李娜 · 管理员');
    expect(host.archive.accounts.list()).toMatchObject([{ username: 'li.na', role: 'admin' }]);
    // An administrator sees every screen and the Users card.
    for (const screen of ['archive', 'inbox', 'search', 'backup', 'settings']) expect(await page.locator(`[data-screen="${screen}"]`).count()).toBe(1);
    await page.locator('[data-screen="settings"]').click();
    await expect.poll(() => page.locator('[data-testid="users-card"]').innerText()).toContain('li.na');
  });

  it('a wrong password is refused in Chinese; a viewer sees no write screens and the core refuses a crafted write', async () => {
    await page.locator('.shell-header button[aria-label="退出登录"]').click();
    await expect.poll(() => door().innerText()).toContain('登录 SlipVault');
    await submitDoor({ '#username': 'li.na', '#password': 'not my password' });
    await expect.poll(() => door().locator('[role="alert"]').innerText()).toContain('用户名或密码错误。');

    await logIn(page, host.archive, 'zhao.viewer', 'viewer');
    await expect.poll(() => page.locator('[data-testid="session-user"]').innerText()).toContain('查看者');
    // A viewer reads: no Inbox (filing) and no Backup screen; settings are shown but cannot be changed.
    for (const screen of ['inbox', 'backup']) expect(await page.locator(`[data-screen="${screen}"]`).count()).toBe(0);
    await page.locator('[data-screen="settings"]').click();
    await expect.poll(() => page.locator('.shell-content').innerText()).toContain('设置');
    expect(await page.locator('[data-testid="users-card"]').count()).toBe(0);
    await expect.poll(() => page.locator('.archive-settings button').first().isDisabled()).toBe(true);
    const before = host.archive.audit.head().seq;
    expect(await callFromPage(page, 'settings:update', { changes: { reviewConfidenceThreshold: 5 } })).toBe('FORBIDDEN');
    expect(host.archive.settings.get().reviewConfidenceThreshold).not.toBe(5);
    expect(host.archive.audit.list(before, 10)).toMatchObject([{ action: 'call.forbidden', actor: 'zhao.viewer', details: { method: 'settings:update' } }]);
  });

  it('locks after the idle time, logged out in the core, and unlocks for the same user with what was typed kept', async () => {
    host.archive.settings.update({ idleLockMinutes: 1 });
    // The page's timers run on a clock the test moves; a reload makes the page start on it.
    await page.clock.install();
    await page.reload();
    await logIn(page, host.archive, 'li.na');
    await page.locator('[data-screen="search"]').click();
    const query = page.locator('.search-screen input').first();
    await query.fill('送货单 customer:华南');

    await page.clock.runFor(65_000);
    await expect.poll(() => door().innerText()).toContain('已锁定');
    expect(await page.locator('.shell').isVisible()).toBe(false);
    expect(await callFromPage(page, 'documents:list', {})).toBe('UNAUTHENTICATED');
    expect(await door().locator('#username').inputValue()).toBe('li.na');

    await submitDoor({ '#password': TEST_PASSWORD });
    await page.locator('.shell-sider').waitFor();
    expect(await query.inputValue()).toBe('送货单 customer:华南');
    expect(host.archive.audit.list(0, 10_000).filter((event) => event.action === 'user.logout' && event.actor === 'li.na').length).toBeGreaterThanOrEqual(2);
    expect(pageErrors).toEqual([]);
  });
});
