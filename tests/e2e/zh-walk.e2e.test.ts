/**
 * One language at a time (issue 19, item 4), in real Chromium against the preview host: a clerk switches the
 * UI to 简体中文 in Settings and walks every screen — dashboard, archive, the document drawer and a diff, the
 * inbox with an OCR suggestion and a refused field, search with results, due and the ledger, customers,
 * authorizations, retention, audit, backup with a refusal from the core, settings and users, the shortcut
 * help, a running job in the header. The visible text of each is collected, and every Latin word in it must
 * be data or one of the few words a Chinese UI writes in Latin letters (ALLOWED below, each with its why).
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/main/core/api';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { tempDir } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';
import { writeSlips } from './slips';

const ROOT = resolve(__dirname, '..', '..');
const ADMIN = 'admin-li';
const CLERK = 'clerk-wu';

/**
 * Latin words that are proper in a Chinese UI. Everything else Latin on screen must be data (below).
 * - SlipVault: the product's name.
 * - CNY, PDF, JPEG, PNG, TIFF, WebP, HEIC, OCR, CSV, XLSX, ZIP, ERP, CRM, SANE: currency and format codes and acronyms Chinese office
 *   software writes as they are (人民币 amounts print "CNY" on the slips themselves; "导出 PDF", "OCR 识别").
 * - KB, MB, GB, dpi: byte and scan-resolution units, written in Latin letters in Chinese software.
 * - English: the language switcher names each language in itself (简体中文 / English), as every OS does.
 * - age1: the prefix every age public key starts with, shown as the format the field expects.
 * - Tesseract, PP-OCR: the OCR engines' own names (Settings' engine choice), which have no Chinese names.
 * - Ctrl, Alt, Shift, Enter, Esc, Tab, PageUp, PageDown, Home, End, Space, F5 and single letters: key caps as
 *   printed on the keyboard (Ctrl+K, the viewer's w and r).
 */
const ALLOWED = new Set([
  'SlipVault',
  'CNY',
  'PDF',
  'OCR',
  'CSV',
  'XLSX',
  'ZIP',
  'ERP',
  'CRM',
  'SANE',
  'KB',
  'MB',
  'GB',
  'JPEG',
  'PNG',
  'TIFF',
  'WebP',
  'HEIC',
  'dpi',
  'English',
  'age1',
  'Tesseract',
  'PP-OCR',
]);
const KEY_CAPS = new Set(['Ctrl', 'Alt', 'Shift', 'Enter', 'Esc', 'Tab', 'PageUp', 'PageDown', 'Home', 'End', 'Space', 'F5']);
/**
 * Literal text a user types elsewhere, quoted in a hint: `slipvault <command>` in a terminal, a command-line
 * option such as `--folder-root`, an environment variable such as `SLIPVAULT_BACKUP_PASSPHRASE`, a slip-number
 * pattern in the pattern editor.
 */
const TYPED = [/slipvault [a-z]+/g, /--[a-z]+(?:-[a-z]+)*/g, /\bSLIPVAULT_[A-Z_]+/g, /DN-\\d\{6\}/g];

let host: PreviewHost;
let browser: Browser;
let page: Page;
let admin: ApiClient;
let folderRoot: string;
const pageErrors: string[] = [];
const numbers: string[] = [];
/** Data the fixtures put on screen, in Latin letters: slip numbers, file names, user names, folders. */
const data: string[] = [ADMIN, CLERK];
const typeData: string[] = [];
/** The inbox slip's recognised words, laid over its page beside the filing form: data on the Inbox only. */
const pageWords: string[] = [];
const texts = new Map<string, string>();

async function call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = await admin.invoke(method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as OutputOf<M>;
}

function day(offset: number): string {
  const date = new Date();
  date.setDate(date.getDate() + offset);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

beforeAll(async () => {
  folderRoot = tempDir('slipvault-e2e-walk-root-');
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-walk-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [folderRoot],
  });
  data.push(folderRoot, host.archive.dir);
  admin = await adminClient(host.archive, ADMIN);
  await call('users:create', { username: CLERK, role: 'clerk', password: 'correct horse battery staple' });
  const slips = await writeSlips(tempDir('slipvault-e2e-walk-slips-'), 3);
  // A document's title is its file name until someone gives it another.
  data.push(
    ...slips.flatMap((path) => [
      path.split('/').pop()!,
      path
        .split('/')
        .pop()!
        .replace(/\.\w+$/, ''),
    ]),
    'DN-2026-0417',
    'RC-2026-0418',
    'DN-2026-0419',
    'LD-0001',
  );
  for (const slip of slips) numbers.push((await call('documents:import', { paths: [slip] })).imported[0]!.document.archiveNo);
  // Two filed (one edited again, for a diff), the third left in the inbox for OCR to suggest from.
  const filed = {
    customer: '华南贸易有限公司',
    type: 'delivery_receipt',
    slipNo: 'DN-2026-0417',
    amount: '1280.50',
    currency: 'CNY',
    signedDate: '2026-04-17',
  };
  await call('documents:edit', { ref: numbers[0]!, changes: { ...filed, status: 'filed' } });
  await call('documents:edit', { ref: numbers[0]!, changes: { amount: '1380.50', signer: '张三' }, reason: '按纸质单据更正' });
  await call('documents:edit', {
    ref: numbers[1]!,
    changes: { customer: '珠海物流', type: 'signed_back', slipNo: 'RC-2026-0418', amount: '356.00', signedDate: '2026-04-18', status: 'filed' },
    filingOverride: '纸质原件已核对',
  });
  // The document type editor (Settings) shows each type's stored code, English name and keywords for the
  // administrator to edit: data of this archive, not words of the UI.
  for (const type of host.archive.types.list()) typeData.push(...type.keywords, type.nameEn, type.code);
  for (const list of [data, typeData]) list.sort((a, b) => b.length - a.length);
  await call('authorizations:save', { customer: '华南贸易有限公司', agents: [{ name: '张三' }], scope: {}, validFrom: '2026-01-01', validTo: day(20) });
  await call('ledger:create', { slipNo: 'LD-0001', customer: '珠海物流', issueDate: day(-60), expectedBackDate: day(-45), amount: '900.00', owner: CLERK });

  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.goto(host.url);
  await logIn(page, host.archive, ADMIN, 'admin');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

/** The page's visible text once it stops changing (lists and cards load after the screen opens). */
async function settledText(): Promise<string> {
  let previous = '';
  for (let round = 0; round < 40; round += 1) {
    await page.waitForTimeout(250);
    const text = await page.locator('body').innerText();
    if (text === previous && !(await page.locator('.ant-spin-spinning').count())) return text;
    previous = text;
  }
  return previous;
}

async function collect(name: string, only?: string): Promise<void> {
  const text = await settledText();
  texts.set(name, only ? await page.locator(only).innerText() : text);
}

async function openScreen(key: string): Promise<void> {
  await page.locator(`.shell-sider [data-screen="${key}"]`).click();
  await collect(key);
}

/** The Latin words of `text` that are neither data nor allowed, each with a little context. */
function foreignWords(screen: string, text: string): string[] {
  let rest = text.replace(/SV-\d{4}-\d{6}/g, ' ').replace(/\b[0-9a-f]{8,}\b/gi, ' ');
  for (const pattern of TYPED) rest = rest.replace(pattern, ' ');
  const shown = screen === 'settings' ? [...data, ...typeData] : screen.startsWith('inbox') ? [...data, ...pageWords] : data;
  for (const value of shown) rest = rest.split(value).join(' ');
  const found: string[] = [];
  for (const match of rest.matchAll(/[A-Za-z][A-Za-z0-9]*(?:[-_.'’][A-Za-z0-9]+)*/g)) {
    const word = match[0];
    if (ALLOWED.has(word) || KEY_CAPS.has(word) || word.length === 1) continue;
    found.push(`${word} «${rest.slice(Math.max(0, match.index - 20), match.index + word.length + 20).replace(/\s+/g, ' ')}»`);
  }
  return found;
}

describe('the zh-CN walk', () => {
  it('switches to 简体中文 in Settings', async () => {
    // The inbox slip's suggestions come from background OCR, which the preview host runs by itself.
    await expect.poll(() => host.archive.ocrQueue.counts().queued + host.archive.ocrQueue.counts().ocr, { timeout: 120_000 }).toBe(0);
    expect(host.archive.ocrQueue.counts().done).toBeGreaterThanOrEqual(1);
    await page.locator('.shell-sider [data-screen="settings"]').click();
    await page.locator('.settings-screen').waitFor();
    await page.getByText('简体中文', { exact: true }).click();
    await expect.poll(() => page.locator('.shell-sider').innerText()).toContain('档案库');
    await collect('settings');
  });

  it('walks every screen', async () => {
    await openScreen('dashboard');
    await openScreen('archive');
    await page.locator(`.archive-screen [data-archive-no="${numbers[0]}"]`).click();
    const drawer = page.locator('.document-drawer.ant-drawer-open');
    await expect.poll(() => drawer.innerText()).toContain('华南贸易有限公司');
    await collect('document drawer');
    await drawer.getByRole('tab', { name: '版本历史' }).click();
    await drawer.getByLabel('起始版本').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await expect.poll(() => drawer.locator('.diff').getAttribute('data-from')).toBe('1');
    // The text diff shows the slip's own recognised words: data, like the fields' values.
    data.push(
      ...host.archive.documents
        .get(numbers[0]!)
        .pages.flatMap((slipPage) => (slipPage.text ?? '').split('\n'))
        .filter((line) => line.trim() !== ''),
    );
    data.sort((a, b) => b.length - a.length);
    await collect('diff');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);

    await page.locator('.shell-sider [data-screen="inbox"]').click();
    const inbox = page.locator('.inbox-screen');
    await expect.poll(() => inbox.locator('.suggested-tag').count()).toBeGreaterThan(0);
    // The page beside the form carries the slip's recognised words (to click into a field): data, as in the diff.
    await expect.poll(() => inbox.locator('.inbox-page .page-word').count()).toBeGreaterThan(0);
    pageWords.push(...(await inbox.locator('.inbox-page .page-word').allInnerTexts()).filter((word) => word.trim() !== ''));
    pageWords.sort((a, b) => b.length - a.length);
    await inbox.locator('#filing-amount').fill('12,80');
    await inbox.locator('#filing-amount').press('Enter');
    // A suggestion below 70 % must be confirmed first (docs/clerk-day.md): Enter goes to it and says why. Its amber
    // label and that sentence are on the walk too; once each is confirmed (its ✓), Enter checks the typed amount.
    const confirmButtons = inbox.locator('.confirm-suggestion');
    if ((await confirmButtons.count()) > 0) {
      await expect.poll(() => inbox.innerText()).toContain('请确认这条把握不大的建议');
      await collect('inbox, unsure suggestion');
      for (let left = await confirmButtons.count(); left > 0; left -= 1) {
        await confirmButtons.first().click();
        await expect.poll(() => confirmButtons.count()).toBe(left - 1);
      }
      await inbox.locator('#filing-amount').press('Enter');
    }
    await expect.poll(() => inbox.innerText()).toContain('须为非负数，最多两位小数');
    await collect('inbox');

    await page.locator('.shell-sider [data-screen="search"]').click();
    await page.locator('.search-screen input').first().fill('华南');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.search-screen').innerText()).toContain(numbers[0]!);
    await collect('search');

    for (const key of ['due', 'ledger', 'ledgerImport', 'customers', 'authorizations', 'disposal', 'audit']) await openScreen(key);

    await page.locator('.shell-sider [data-screen="backup"]').click();
    const backup = page.locator('.backup-screen');
    await backup.locator('#backup-passphrase').fill('lantern copper 47 river');
    await backup.locator('#backup-target').fill(join(folderRoot, 'no-such-drive'));
    data.unshift(join(folderRoot, 'no-such-drive'));
    await backup.getByRole('button', { name: '开始备份' }).click();
    await expect.poll(() => backup.locator('.backup-error').count()).toBe(1);
    await collect('backup');

    await openScreen('settings');
    await page.locator('.brand').click();
    await page.keyboard.press('?');
    await page.locator('.shortcut-help .ant-modal').waitFor();
    await collect('shortcut help', '.shortcut-help .ant-modal');
    await page.keyboard.press('Escape');

    host.archive.events.emit('jobs:progress', { jobId: 'walk-ocr', phase: 'ocr', done: 3, total: 20, etaMs: 103_000 });
    await page.locator('.job-progress').waitFor();
    await collect('job header', '.job-progress');
    expect(await page.locator('.job-progress').innerText()).toContain('文字识别：3 / 20');
  });

  it('shows no English, no code and no raw status on any screen', () => {
    const problems = [...texts].flatMap(([screen, text]) => foreignWords(screen, text).map((word) => `${screen}: ${word}`));
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
