/**
 * bench:filing's scripted clerk (issue 19 item 2): a keyboard-only clerk files the slips of a new archive in
 * real Chromium against the preview host, from import to filed, and every key and click is counted.
 *
 * What the clerk does, as a person at the keyboard would:
 * - import: one click on "Choose files…", then in the system's file dialog Ctrl+A and Enter (counted as two
 *   keystrokes; the dialog itself is the operating system's, so Playwright hands the files over);
 * - waits for the background OCR, touching nothing;
 * - per slip, in the Inbox form (the cursor starts in its first field): for every field whose shown value is not
 *   the slip's ground truth, ↓/↑ to it and type the right value (one keystroke per character; Chinese would be
 *   typed through an IME, which costs more — here every correction of a Chinese value counts its characters
 *   only; a type as the shortest start of its code that names it alone, as the form takes it), then Enter
 *   (accept and go to the next slip);
 * - Ctrl+Enter files every accepted slip;
 * - a slip the filing rules refuse (a required field the form does not show, a signature not found) gets an
 *   override reason: Tab to the override field, type it, Enter, Ctrl+Enter.
 * A chord (Ctrl+Enter) is one keystroke; modifiers held with a key are not counted separately.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startPreviewHost } from '../src/main/host/preview';
import type { DocumentTypeRecord } from '../src/shared/model';
import { resolveTypeCode } from '../src/renderer/inbox/type-choice';
import { launchBrowser, logIn } from '../tests/e2e/browser';

export interface ClerkSlip {
  /** File stem, e.g. slip-0000 (the inbox document's title). */
  name: string;
  file: string;
}

/** The ground truth the clerk files, from NAME.fields.json, as the form's fields hold it. */
interface Truth {
  customer: string;
  type: string;
  signedDate: string;
  slipNo: string;
  amount: string;
  signer: string;
}

/** The form's fields in the order ↑/↓ walk them (src/shared/inbox-draft.ts INBOX_FORM_FIELDS). */
const FORM_FIELDS = ['title', 'customer', 'type', 'signedDate', 'slipNo', 'amount', 'currency', 'signer'] as const;
const CHECKED: (keyof Truth)[] = ['customer', 'type', 'signedDate', 'slipNo', 'amount'];
/** The signer is checked where filing needs it: the types whose filing rules require one (docs/filing-rules.md). */
const SIGNER_REQUIRED_TYPES = new Set(['authorization']);
/** The dataset's type names that differ from the archive's codes. */
const TYPE_CODES: Record<string, string> = { signback: 'signed_back' };
const OVERRIDE_REASON = '见原件';
const MAX_TABS = 12;

export interface SlipEffort {
  name: string;
  archiveNo: string;
  /** Fields the clerk had to type, with what the form showed. */
  corrected: { field: string; shown: string; typed: string }[];
  keystrokes: number;
  overridden: boolean;
}

export interface ClerkResult {
  slips: number;
  filed: number;
  keystrokes: number;
  clicks: number;
  /** Where the keystrokes went. */
  breakdown: { import: number; navigate: number; typed: number; accept: number; file: number; override: number };
  ocrSeconds: number;
  filingSeconds: number;
  perSlip: SlipEffort[];
}

function truthOf(dir: string, name: string): Truth {
  const fields = JSON.parse(readFileSync(join(dir, `${name}.fields.json`), 'utf8')) as {
    type: string;
    customer: string;
    slipNo: string;
    date: string;
    amount: number;
    signer: string;
  };
  return {
    customer: fields.customer,
    type: TYPE_CODES[fields.type] ?? fields.type,
    signedDate: fields.date,
    slipNo: fields.slipNo,
    amount: fields.amount.toFixed(2),
    signer: fields.signer,
  };
}

function matches(field: keyof Truth, shown: string, truth: string): boolean {
  const value = shown.replace(/\s+/g, ' ').trim();
  if (field === 'amount') return value !== '' && Number(value.replace(/,/g, '')) === Number(truth);
  return value === truth;
}

/** Keys and clicks, counted as they are made. */
class CountingClerk {
  keystrokes = 0;
  clicks = 0;
  readonly breakdown = { import: 0, navigate: 0, typed: 0, confirm: 0, accept: 0, file: 0, override: 0 };

  constructor(private readonly page: Page) {}

  async press(key: string, kind: keyof CountingClerk['breakdown']): Promise<void> {
    await this.page.keyboard.press(key);
    this.count(1, kind);
  }

  async type(text: string, kind: keyof CountingClerk['breakdown']): Promise<void> {
    await this.page.keyboard.type(text);
    this.count([...text].length, kind);
  }

  async click(target: Locator): Promise<void> {
    await target.click();
    this.clicks += 1;
  }

  count(keys: number, kind: keyof CountingClerk['breakdown']): void {
    this.keystrokes += keys;
    this.breakdown[kind] += keys;
  }
}

/** What the clerk types for a type: the shortest start of its code the form resolves to it. */
function typedType(code: string, types: DocumentTypeRecord[]): string {
  for (let length = 1; length < code.length; length += 1) {
    if (resolveTypeCode(code.slice(0, length), types) === code) return code.slice(0, length);
  }
  return code;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function runKeyboardClerk(options: { slips: ClerkSlip[]; datasetDir: string; workDir: string; rendererRoot: string }): Promise<ClerkResult> {
  const { slips, datasetDir, workDir, rendererRoot } = options;
  const host = await startPreviewHost({ archiveDir: join(workDir, 'clerk-archive'), rendererRoot, folderRoots: [] });
  const browser = await launchBrowser('zh-CN');
  try {
    const page = await browser.context.newPage();
    await page.goto(host.url);
    await logIn(page, host.archive, 'li.na', 'clerk');
    const clerk = new CountingClerk(page);
    const inbox = page.locator('.inbox-screen');
    await clerk.press('Alt+3', 'navigate');
    await inbox.waitFor();

    const started = performance.now();
    const chooser = page.waitForEvent('filechooser');
    await clerk.click(inbox.locator('.inbox-import button').first());
    await (await chooser).setFiles(slips.map((slip) => slip.file));
    clerk.count(2, 'import'); // Ctrl+A and Enter in the system's file dialog
    const items = inbox.locator('.inbox-item');
    await waitFor(async () => (await items.count()) === slips.length, 120_000, 'the import');
    await waitFor(async () => (await inbox.locator('.inbox-item[data-ocr="pending"]').count()) === 0, 900_000, 'OCR of every page');
    const ocrSeconds = (performance.now() - started) / 1000;

    const filingStarted = performance.now();
    const form = inbox.locator('.filing-form');
    const nameOf = new Map(slips.map((slip) => [slip.name, slip]));
    const types = host.archive.types.list();
    const perSlip: SlipEffort[] = [];
    for (let index = 0; index < slips.length; index += 1) {
      const archiveNo = (await form.getAttribute('data-document'))!;
      const name = host.archive.documents.summary(archiveNo).title;
      if (!nameOf.has(name)) throw new Error(`${archiveNo} (${name}) is not a slip of the set`);
      const truth = truthOf(datasetDir, name);
      const before = clerk.keystrokes;
      const effort: SlipEffort = { name, archiveNo, corrected: [], keystrokes: 0, overridden: false };
      let at = 0;
      const checked: (keyof Truth)[] = SIGNER_REQUIRED_TYPES.has(truth.type) ? [...CHECKED, 'signer'] : CHECKED;
      for (const field of checked) {
        const shown = await inbox.locator(`#filing-${field}`).inputValue();
        if (matches(field, shown, truth[field])) continue;
        const target = FORM_FIELDS.indexOf(field);
        for (; at < target; at += 1) await clerk.press('ArrowDown', 'navigate');
        const typed = field === 'type' ? typedType(truth.type, types) : truth[field];
        await clerk.type(typed, 'typed');
        effort.corrected.push({ field, shown, typed });
      }
      // An unsure suggestion the clerk leaves as it is must be confirmed: Enter goes to it, Enter confirms it.
      for (let presses = 0; presses < 2 * FORM_FIELDS.length && (await form.locator('.filing-field-unconfirmed').count()) > 0; presses += 1) {
        await clerk.press('Enter', 'confirm');
      }
      await clerk.press('Enter', 'accept');
      effort.keystrokes = clerk.keystrokes - before;
      perSlip.push(effort);
      if (index < slips.length - 1) await waitFor(async () => (await form.getAttribute('data-document')) !== archiveNo, 10_000, `${archiveNo} to be accepted`);
    }
    await clerk.press('Control+Enter', 'file');
    await waitFor(async () => (await inbox.locator('.file-outcome').count()) > 0, 120_000, 'filing');

    // What the filing rules refused: an override reason each, then file again.
    const inboxLeft = () => host.archive.documents.list({ status: 'inbox', includeVoided: false, limit: 1, offset: 0 }).total;
    for (let round = 0; round < slips.length; round += 1) {
      const left = inboxLeft();
      if (left === 0) break;
      // The list reloads after filing: the clerk looks at it once it shows what is left.
      await waitFor(async () => (await items.count()) === left, 30_000, 'the inbox list after filing');
      const archiveNo = (await form.getAttribute('data-document'))!;
      const effort = perSlip.find((entry) => entry.archiveNo === archiveNo)!;
      const before = clerk.keystrokes;
      let tabs = 0;
      while ((await page.evaluate<string | undefined>('document.activeElement?.id')) !== 'filing-override') {
        if (tabs >= MAX_TABS) throw new Error(`${archiveNo}: no override field within ${MAX_TABS} Tabs`);
        await clerk.press('Tab', 'override');
        tabs += 1;
      }
      await clerk.type(OVERRIDE_REASON, 'override');
      await clerk.press('Enter', 'override');
      await clerk.press('Control+Enter', 'override');
      await waitFor(async () => inboxLeft() < left, 60_000, `${archiveNo} to be filed with an override`);
      effort.overridden = true;
      effort.keystrokes += clerk.keystrokes - before;
    }
    const filed = host.archive.documents.list({ includeVoided: false, limit: 1000, offset: 0, status: 'filed' }).total;
    return {
      slips: slips.length,
      filed,
      keystrokes: clerk.keystrokes,
      clicks: clerk.clicks,
      breakdown: clerk.breakdown,
      ocrSeconds: Number(ocrSeconds.toFixed(1)),
      filingSeconds: Number(((performance.now() - filingStarted) / 1000).toFixed(1)),
      perSlip,
    };
  } finally {
    await browser.close();
    await host.close();
  }
}
