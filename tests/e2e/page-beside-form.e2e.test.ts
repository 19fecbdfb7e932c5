/**
 * Issue 19 item 1 in real Chromium against the preview host: filing while looking at the slip. A slip
 * drawn with @napi-rs/canvas (known text, known places) is imported and recognised by the real OCR; the Inbox
 * shows its page beside the filing form with the region of each suggestion boxed, the focused field's box
 * standing out; the unlabelled amount (an unsure suggestion) must be confirmed before the item is accepted;
 * clicking a word or selecting words on the page fills the focused field, normalised as the field expects.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { CONFIRM_BELOW } from '../../src/renderer/inbox/suggestion-review';
import { tempDir } from '../helpers/fixtures';
import { launchBrowser, logIn, openCheckedPage, type Browser } from './browser';

const ROOT = resolve(__dirname, '..', '..');
const WIDTH = 1000;
const HEIGHT = 1400;

/** Rows of the slip: text and the baseline it is printed on, large and black so the OCR reads them exactly. */
const ROWS = [
  { text: 'DELIVERY NOTE', y: 140, size: 64 },
  { text: 'No. DN-2026-0512', y: 300, size: 44 },
  { text: 'Date: 12/05/2026', y: 420, size: 44 },
  // No label on the figure: the extractor is unsure it is the total (an unlabelled largest figure scores 0.5).
  { text: 'Goods 3,150.00', y: 540, size: 44 },
];

function slipImage(path: string): void {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, WIDTH, HEIGHT);
  context.fillStyle = '#000000';
  for (const row of ROWS) {
    context.font = `${row.size}px sans-serif`;
    context.fillText(row.text, 80, row.y);
  }
  writeFileSync(path, canvas.toBuffer('image/png'));
}

let host: PreviewHost;
let browser: Browser;
let page: Page;
let archiveNo: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  host = await startPreviewHost({
    archiveDir: join(tempDir('slipvault-e2e-pageform-'), 'archive'),
    rendererRoot: join(ROOT, 'dist', 'renderer'),
    folderRoots: [tempDir('slipvault-e2e-pageform-root-')],
  });
  // This test is about the page beside the form, not the filing rules (tests/integration/filing-rules.test.ts).
  for (const type of host.archive.types.list()) host.archive.types.save({ ...type, requiredFields: [] });
  const path = join(tempDir('slipvault-e2e-pageform-slip-'), 'delivery-0512.png');
  slipImage(path);
  archiveNo = (await host.archive.documents.importFile(path)).archiveNo;
  await host.archive.processQueue();
  browser = await launchBrowser('en-US');
  page = await openCheckedPage(browser, pageErrors);
  await page.goto(host.url);
  await logIn(page, host.archive, 'clerk-fang', 'clerk');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const inbox = () => page.locator('.inbox-screen');
const field = (name: string) => inbox().locator(`#filing-${name}`);
const focusedId = () => page.evaluate<string>("document.activeElement?.id ?? ''");

async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('element has no box');
  return found;
}

/** The vertical middle of `inner` as a fraction of the page's height on screen. */
async function heightFraction(inner: Locator): Promise<number> {
  const [box, stage] = [await boxOf(inner), await boxOf(inbox().locator('.inbox-page .page-stage'))];
  return (box.y + box.height / 2 - stage.y) / stage.height;
}

/** The page word the OCR read as `text` (a locator on its transparent span). */
const word = (text: string) => inbox().locator('.inbox-page .page-word').filter({ hasText: text }).first();

describe('the page beside the filing form in Chromium', () => {
  it('shows the page beside the form with each suggestion boxed; the focused field’s box stands out', async () => {
    const amount = host.archive.inbox.list(10)[0]!.suggestions.find((suggestion) => suggestion.field === 'amount');
    // The fixture is what the test says: the amount is suggested, unsure, from words on the page.
    expect(amount).toMatchObject({ value: '3150.00', box: { pageId: expect.any(Number) } });
    expect(amount!.confidence).toBeLessThan(CONFIRM_BELOW);

    await page.locator('.shell-sider [data-screen="inbox"]').click();
    await expect.poll(() => inbox().locator('.filing-form').getAttribute('data-document')).toBe(archiveNo);
    await expect.poll(() => inbox().locator('.inbox-page .page-viewport').getAttribute('data-scale')).not.toBe('');
    const [pageBox, formBox] = [await boxOf(inbox().locator('.inbox-page')), await boxOf(inbox().locator('.inbox-detail'))];
    expect(pageBox.x + pageBox.width).toBeLessThanOrEqual(formBox.x);
    expect(pageBox.y).toBeLessThan(formBox.y + formBox.height);
    expect(formBox.y).toBeLessThan(pageBox.y + pageBox.height);
    await expect.poll(() => inbox().locator('.suggestion-box').count()).toBeGreaterThanOrEqual(3);
    // The cursor starts in the form.
    await expect.poll(focusedId).toBe('filing-title');

    // Focusing the date frames the date line (baseline y 420 of 1400); hovering the amount frames its line (540).
    await field('signedDate').focus();
    const active = inbox().locator('.suggestion-box-active');
    await expect.poll(() => active.count()).toBe(1);
    expect(await active.getAttribute('aria-label')).toBe('Signed date was read here');
    const dateAt = await heightFraction(active);
    expect(dateAt).toBeGreaterThan(0.24);
    expect(dateAt).toBeLessThan(0.32);
    await inbox().locator('.filing-field[data-field="amount"]').hover();
    await expect.poll(() => active.getAttribute('aria-label')).toBe('Amount was read here');
    const amountAt = await heightFraction(active);
    expect(amountAt).toBeGreaterThan(0.33);
    expect(amountAt).toBeLessThan(0.4);
    // The viewer's zoom works here too and the boxes follow it; with the mouse off the form, the focused date's box is framed again.
    const scale = () => inbox().locator('.inbox-page .page-viewport').getAttribute('data-scale').then(Number);
    const fitted = await scale();
    await inbox().getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(scale).toBeGreaterThan(fitted);
    await expect.poll(() => active.getAttribute('aria-label')).toBe('Signed date was read here');
    await expect.poll(() => heightFraction(active)).toBeCloseTo(dateAt, 2);
    await inbox().getByRole('button', { name: 'Fit page' }).click();
  });

  it('an unsure suggestion looks different and must be confirmed before the item is accepted', async () => {
    const amountField = inbox().locator('.filing-field[data-field="amount"]');
    expect(await amountField.locator('.suggestion-unconfirmed').innerText()).toBe('Check · 50%');
    expect(await amountField.locator('.anticon-exclamation-circle').count()).toBe(1);
    expect(await field('amount').getAttribute('aria-describedby')).toBe('filing-amount-review');
    expect(await inbox().locator('.suggestion-box-unconfirmed').count()).toBe(1);
    // Confident suggestions are pre-accepted as before: no confirmation asked for the date.
    expect(await inbox().locator('.filing-field[data-field="signedDate"] .suggestion-unconfirmed').count()).toBe(0);

    // Enter in another field does not accept the item: the cursor goes to the unsure amount, which says why.
    await field('title').focus();
    await field('title').press('Enter');
    await expect.poll(focusedId).toBe('filing-amount');
    expect(await amountField.locator('.ant-form-item-explain').innerText()).toContain('Confirm this unsure suggestion');
    expect(await inbox().locator(`.inbox-item[data-archive-no="${archiveNo}"]`).getAttribute('data-accepted')).toBe('false');

    // Enter in the amount confirms it; the next Enter accepts the item.
    await field('amount').press('Enter');
    await expect.poll(() => amountField.locator('.suggestion-unconfirmed').count()).toBe(0);
    expect(await inbox().locator('.suggestion-box-unconfirmed').count()).toBe(0);
    expect(await field('amount').inputValue()).toBe('3150.00');
    await field('amount').press('Enter');
    await expect.poll(() => inbox().locator(`.inbox-item[data-archive-no="${archiveNo}"]`).getAttribute('data-accepted')).toBe('true');
  });

  it('clicking a word or selecting words on the page fills the focused field, normalised for it', async () => {
    // A date picked as printed (day first) arrives as an ISO date.
    await field('signedDate').fill('');
    await word('12/05/2026').click();
    await expect.poll(() => field('signedDate').inputValue()).toBe('2026-05-12');
    await expect.poll(focusedId).toBe('filing-signedDate');
    // An amount with a thousands separator arrives as the amount field writes it.
    await field('amount').fill('');
    await word('3,150.00').click();
    await expect.poll(() => field('amount').inputValue()).toBe('3150.00');
    await field('slipNo').fill('');
    await word('DN-2026-0512').click();
    await expect.poll(() => field('slipNo').inputValue()).toBe('DN-2026-0512');

    // Dragging a frame across two words picks both, in reading order; the cursor stays in the field.
    await field('title').focus();
    const [from, to] = [await boxOf(word('DELIVERY')), await boxOf(word('NOTE'))];
    await page.mouse.move(from.x + 2, from.y + 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width - 2, to.y + to.height - 2, { steps: 8 });
    await expect.poll(() => inbox().locator('.page-word-marked').count()).toBe(2);
    await page.mouse.up();
    await expect.poll(() => field('title').inputValue()).toBe('DELIVERY NOTE');
    expect(await focusedId()).toBe('filing-title');

    // Picking edited the item, so it is accepted again, then filed with what was picked.
    await field('title').press('Enter');
    await expect.poll(() => inbox().locator(`.inbox-item[data-archive-no="${archiveNo}"]`).getAttribute('data-accepted')).toBe('true');
    await field('title').press('Control+Enter');
    await expect.poll(() => inbox().locator('.file-outcome').innerText(), { timeout: 30_000 }).toContain('1 filed, 0 not filed.');
    expect(host.archive.documents.summary(archiveNo)).toMatchObject({
      status: 'filed',
      title: 'DELIVERY NOTE',
      signedDate: '2026-05-12',
      amount: '3150.00',
      slipNo: 'DN-2026-0512',
    });
    expect(pageErrors).toEqual([]);
  });
});
