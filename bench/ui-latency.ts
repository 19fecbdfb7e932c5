/**
 * `npm run bench:ui-latency [-- --n 100000 --pages 200 --development]`: does the window wait while the archive
 * works? Builds the app (the renderer as `npm run dist` ships it, minified React in production mode; with
 * `--development`, as `npm run build` makes it, React's development build under StrictMode), a synthetic archive (bench/search-corpus.ts), serves it with the preview host and drives the real
 * renderer in Chromium, logged in: typing into the search box and into the Inbox's filing form, first with
 * the archive idle, then while a batch of scanned pages (the OCR datasets of bench:ocr) is recognised and
 * the whole search index is rebuilt, over and over. In the page it measures each keystroke's keydown → next
 * paint (requestAnimationFrame, then a message that runs after that frame), the Event Timing API's worst
 * keydown, and long tasks (PerformanceObserver, > 50 ms on the renderer's main thread); in this process, the
 * event-loop delay of the process that holds the core. Writes bench/results/ui-latency.md and .json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { initArchive } from '../src/main/core/archive';
import type { ApiClient } from '../src/main/core/api';
import { startPreviewHost } from '../src/main/host/preview';
import type { ImportResult } from '../src/shared/model';
import { launchBrowser, logIn } from '../tests/e2e/browser';
import { adminClient } from '../tests/helpers/sessions';
import { receipts, slips } from './ocr-datasets.mjs';
import { generateCorpus } from './search-corpus';
import { loadCorpus } from './search-fixture';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] ?? 0) || fallback;
const DOCUMENTS = option('--n', 100_000);
const OCR_PAGES = option('--pages', 200);
const RENDERER_BUILD = args.includes('--development') ? 'development' : 'production';
/** About 8 keys a second: a clerk typing, each key its own interaction. */
const KEY_GAP_MS = 120;
const SEARCH_TEXT = ['pallet received', 'urgent carton', 'invoice signed'];
const FILING_TEXT = ['Delivery note', 'Pacific Rim', 'signed back'];
const TARGET_P95_MS = 100;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (busy: number, idle: number) => (idle > 0 ? round(busy / idle, 2) : 0);

/** Installed once in the page (as source text: this file is type-checked without the DOM library). */
const INSTALL_PROBES = `(() => {
  const m = { keys: [], events: [], longTasks: [] };
  window.__uiLatency = m;
  addEventListener('keydown', (event) => {
    const pressed = event.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => m.keys.push(performance.now() - pressed);
      channel.port2.postMessage(null);
    });
  }, true);
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => {
    if (entry.name === 'keydown') m.events.push(entry.duration);
  })).observe({ type: 'event', durationThreshold: 16 });
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => m.longTasks.push(entry.duration))).observe({ type: 'longtask' });
})()`;
const RESET_PROBES = '(() => { const m = window.__uiLatency; m.keys.length = 0; m.events.length = 0; m.longTasks.length = 0; })()';
const READ_PROBES = 'JSON.stringify(window.__uiLatency)';

interface Probes {
  keys: number[];
  events: number[];
  longTasks: number[];
}

interface PhaseResult {
  phase: string;
  keys: number;
  p50: number;
  p95: number;
  max: number;
  eventTimingWorst: number;
  longTasks: number;
  longestTask: number;
  coreLoopDelayP95: number;
  coreLoopDelayMax: number;
  seconds: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function typeSlowly(page: Page, text: string): Promise<void> {
  for (const key of text) {
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    await sleep(KEY_GAP_MS);
  }
}

/** The measured work: the search box, then the filing form of the first inbox item, each typed into and cleared. */
async function typeIntoTheUi(page: Page): Promise<void> {
  // Alt+N opens the N-th screen of the side menu (screens/registry.tsx): dashboard, archive, inbox, search.
  await page.keyboard.press('Alt+4');
  const searchBox = page.locator('.search-screen .search-box input');
  await searchBox.click();
  for (const text of SEARCH_TEXT) {
    await typeSlowly(page, ` ${text}`);
    await searchBox.press('Enter');
    await sleep(KEY_GAP_MS);
  }
  await searchBox.fill('');
  await page.keyboard.press('Alt+3');
  await page.locator('.inbox-screen .inbox-item').first().click();
  const title = page.locator('#filing-title');
  await title.click();
  for (const text of FILING_TEXT) await typeSlowly(page, ` ${text}`);
  await title.fill('');
}

async function measure(page: Page, phase: string): Promise<PhaseResult> {
  await page.evaluate(RESET_PROBES);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  await typeIntoTheUi(page);
  await sleep(500);
  loop.disable();
  const probes = JSON.parse((await page.evaluate(READ_PROBES)) as string) as Probes;
  const keys = [...probes.keys].sort((a, b) => a - b);
  return {
    phase,
    keys: keys.length,
    p50: round(percentile(keys, 50)),
    p95: round(percentile(keys, 95)),
    max: round(keys.at(-1) ?? 0),
    // Event Timing reports only keydowns of 16 ms or more (rounded to 8 ms); none means all were faster.
    eventTimingWorst: round(Math.max(0, ...probes.events)),
    longTasks: probes.longTasks.length,
    longestTask: round(Math.max(0, ...probes.longTasks)),
    coreLoopDelayP95: round(loop.percentile(95) / 1e6),
    coreLoopDelayMax: round(loop.max / 1e6),
    seconds: round((performance.now() - started) / 1000),
  };
}

/** `count` distinct scan files from the OCR datasets: each a JPEG with its copy number in an APP15 segment. */
async function scanFiles(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const sources = await Promise.all([...receipts(), ...slips()].map((item) => sharp(readFileSync(item.file)).jpeg({ quality: 90 }).toBuffer()));
  return Array.from({ length: count }, (_, index) => {
    const jpeg = sources[index % sources.length]!;
    const note = Buffer.from(`slipvault bench copy ${index}`);
    const segment = Buffer.concat([Buffer.from([0xff, 0xef, 0, note.length + 2]), note]);
    const file = join(dir, `scan-${String(index).padStart(4, '0')}.jpg`);
    writeFileSync(file, Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]));
    return file;
  });
}

async function importScans(client: ApiClient, files: string[]): Promise<void> {
  const result = await client.invoke('documents:import', { paths: files });
  if (!result.ok) throw new Error(`import failed: ${result.error.message}`);
  // ApiClient.invoke is typed for every method at once.
  const { failed } = result.value as ImportResult;
  if (failed.length > 0) throw new Error(`import refused ${failed.length} file(s): ${failed[0]!.message}`);
}

/**
 * Rebuilds the search index from the first document, again and again, until stopped. A rebuild refused
 * because OCR holds the write lock ("the archive is busy, try again") is tried again, as a user would.
 */
function keepReindexing(client: ApiClient): { counts(): { rebuilds: number; busyRefusals: number }; stop(): Promise<void> } {
  let stopped = false;
  let rebuilds = 0;
  let busyRefusals = 0;
  const running = (async () => {
    while (!stopped) {
      const result = await client.invoke('search:reindex', { restart: true });
      if (result.ok) rebuilds += 1;
      else if (result.error.code === 'ARCHIVE_IN_USE') {
        busyRefusals += 1;
        await sleep(250);
      } else throw new Error(`reindex failed: ${result.error.message}`);
    }
  })();
  // Awaited in stop(); until then a failure must not end the process as an unhandled rejection.
  running.catch(() => undefined);
  return {
    counts: () => ({ rebuilds, busyRefusals }),
    async stop() {
      stopped = true;
      await running;
    },
  };
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), `slipvault-bench-ui-latency-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const archiveDir = join(dir, 'archive');
  const loadAtStart = loadavg()[0]!;
  let setupSeconds = performance.now();
  console.error(`building the app (renderer: ${RENDERER_BUILD})…`);
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), ...(RENDERER_BUILD === 'production' ? ['--production'] : [])], {
    cwd: root,
    stdio: 'ignore',
  });
  console.error(`generating and indexing ${DOCUMENTS} documents…`);
  const setup = await initArchive(archiveDir, { actor: 'bench' });
  loadCorpus(setup.connection.sqlite, generateCorpus(DOCUMENTS));
  setup.search.reindex(() => undefined, { restart: true });
  setup.close();
  const files = await scanFiles(join(dir, 'scans'), OCR_PAGES + 1);
  setupSeconds = (performance.now() - setupSeconds) / 1000;

  const host = await startPreviewHost({ archiveDir, rendererRoot: join(__dirname, '..', 'dist', 'renderer'), actor: 'bench' });
  const browser = await launchBrowser('en-US');
  try {
    const client = await adminClient(host.archive);
    // On a loaded machine the wait for OCR between the phases can pass the default 10 idle minutes, and a
    // locked window has no search box to type into.
    const unlocked = await client.invoke('settings:update', { changes: { idleLockMinutes: 240 } });
    if (!unlocked.ok) throw new Error(`settings:update failed: ${unlocked.error.message}`);
    // One scan filed through the inbox in both phases; recognised before the idle phase starts.
    await importScans(client, files.slice(0, 1));
    while (host.archive.ocrQueue.counts().done < 1) await sleep(200);

    const page = await browser.context.newPage();
    await page.goto(host.url);
    await logIn(page, host.archive);
    await page.evaluate(INSTALL_PROBES);
    // A first pass loads the screens and their code, so that neither phase pays for it.
    await typeIntoTheUi(page);

    console.error('idle archive: typing…');
    const idle = await measure(page, 'idle');

    console.error(`importing ${OCR_PAGES} pages, rebuilding the index of ${DOCUMENTS} documents…`);
    await importScans(client, files.slice(1));
    const reindexing = keepReindexing(client);
    while (host.archive.ocrQueue.counts().done < 2) await sleep(200);
    const ocrDoneBefore = host.archive.ocrQueue.counts().done;
    console.error('busy archive: typing…');
    const busy = await measure(page, 'OCR + reindex');
    const ocrDoneAfter = host.archive.ocrQueue.counts();
    const reindex = reindexing.counts();
    await reindexing.stop();

    const result = {
      date: new Date().toISOString(),
      documents: DOCUMENTS,
      ocrPages: OCR_PAGES,
      renderer: RENDERER_BUILD,
      setupSeconds: round(setupSeconds),
      busyWindow: {
        ocrPagesRecognised: ocrDoneAfter.done - ocrDoneBefore,
        ocrPagesStillQueued: ocrDoneAfter.queued + ocrDoneAfter.preprocessing + ocrDoneAfter.ocr,
        reindexRebuildsFinished: reindex.rebuilds,
        reindexRefusedBusy: reindex.busyRefusals,
      },
      phases: [idle, busy],
      targetP95Ms: TARGET_P95_MS,
      targetMet: busy.p95 <= TARGET_P95_MS && idle.p95 <= TARGET_P95_MS,
      machine: { cpus: cpus().length, loadAtStart: round(loadAtStart), loadAtEnd: round(loadavg()[0]!) },
      chromium: browser.context.browser()?.version() ?? 'chromium',
      node: process.version,
    };
    const markdown = report(result);
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'ui-latency.md'), markdown);
    writeFileSync(join(out, 'ui-latency.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(markdown);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(result: {
  documents: number;
  ocrPages: number;
  renderer: string;
  busyWindow: { ocrPagesRecognised: number; ocrPagesStillQueued: number; reindexRebuildsFinished: number; reindexRefusedBusy: number };
  phases: PhaseResult[];
  targetMet: boolean;
  machine: { cpus: number; loadAtStart: number; loadAtEnd: number };
  chromium: string;
  node: string;
}): string {
  const [idle, busy] = result.phases as [PhaseResult, PhaseResult];
  const { busyWindow, machine } = result;
  return [
    `# bench:ui-latency — typing while ${result.ocrPages} pages are recognised and ${result.documents.toLocaleString('en')} documents re-indexed`,
    '',
    `Real Chromium (headless, no GPU) on the preview host, logged in, the renderer built for ${result.renderer}${
      result.renderer === 'production' ? ' (as `npm run dist` ships it)' : ' (React development build under StrictMode, as `npm run build` makes it)'
    }. Each phase types ${SEARCH_TEXT.length} phrases into the search`,
    `box (Enter after each) and ${FILING_TEXT.length} into the Inbox filing form's title, one key every ~${KEY_GAP_MS} ms. Busy: while the keys were`,
    `typed, ${busyWindow.ocrPagesRecognised} pages were recognised (${busyWindow.ocrPagesStillQueued} still queued at the end) and the search index was`,
    `rebuilt from the first document over and over (${busyWindow.reindexRebuildsFinished} full rebuilds finished, one more under way; a rebuild`,
    `was refused ${busyWindow.reindexRefusedBusy} times with "the archive is busy" while OCR was writing, and asked for again 250 ms later).`,
    '',
    '| archive | keys | keydown → paint p50 ms | p95 ms | max ms | worst keydown (Event Timing) ms | long tasks | longest task ms | core event-loop delay p95 / max ms |',
    '|---|---|---|---|---|---|---|---|---|',
    ...[idle, busy].map(
      (phase) =>
        `| ${phase.phase} | ${phase.keys} | ${phase.p50} | ${phase.p95} | ${phase.max} | ${phase.eventTimingWorst} | ${phase.longTasks} | ${phase.longestTask} | ${phase.coreLoopDelayP95} / ${phase.coreLoopDelayMax} |`,
    ),
    '',
    `**Target p95 ≤ ${TARGET_P95_MS} ms: ${result.targetMet ? 'met' : 'not met'}** (idle ${idle.p95} ms, busy ${busy.p95} ms; busy / idle in this run: p50 ${ratio(busy.p50, idle.p50)}×, p95 ${ratio(busy.p95, idle.p95)}×).`,
    '',
    '## What this shows about the Electron window, and what it does not',
    '',
    'The preview host runs the core (SQLite, the OCR queue, the index rebuild) in the same Node process as its HTTP and',
    "WebSocket server, while the renderer runs in Chromium's own renderer process. So the keydown → paint figures and the",
    "long tasks above are the renderer's own: its work on every keystroke plus what the archive's events make it do",
    '(`documents:changed` after each recognised page refreshes the lists), on a machine whose cores the OCR and the',
    "rebuild compete for. A blocked core can only slow the answers to the page's calls (search results, the form's",
    'suggestions), not the echo of a key — the last column is how long that process stopped answering.',
    '',
    "The desktop app runs the core in its own owner process (`owner/`), not in Electron's main process, which receives",
    "the operating system's input events and presents the window's frames: a stall of the core delays the answers to",
    'calls there too, never the delivery of a key, so the Electron window is in the position measured here.',
    '',
    `Machine: ${machine.cpus} cores, load average ${machine.loadAtStart} at the start and ${machine.loadAtEnd} at the end${
      machine.loadAtStart > machine.cpus ? ': other work competed with this run for the cores, so the figures are noisy' : ''
    }.`,
    `Chromium ${result.chromium}, Node ${result.node}.`,
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
