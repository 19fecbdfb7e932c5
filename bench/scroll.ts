/**
 * `npm run bench:scroll [-- --n 100000]`: scrolling through a long result list in real Chromium. Builds a
 * synthetic archive (bench/search-corpus.ts), serves it with the preview host, searches for `status:filed`
 * (nearly every document) and then, in the page, (1) scrolls steadily at 4,000 px/s for 6 s, (2) jumps to
 * 25 %, 50 %, 90 % and the end of the list. Measures frame intervals (requestAnimationFrame), long tasks
 * (PerformanceObserver, > 50 ms on the UI thread) and, after each jump, how long until the rows in view
 * show their hits. Writes bench/results/scroll.md and scroll.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initArchive } from '../src/main/core/archive';
import { startPreviewHost } from '../src/main/host/preview';
import { launchBrowser, logIn } from '../tests/e2e/browser';
import { generateCorpus } from './search-corpus';
import { loadCorpus } from './search-fixture';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--n') + 1] ?? 0) || 100_000;
const QUERY = 'status:filed';
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Runs in the page (as source text: this file is type-checked without the DOM library). */
interface PageMeasure {
  frames: number[];
  longTasks: number[];
  jumps: { at: string; fillMs: number }[];
  scrolledPx: number;
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), `slipvault-bench-scroll-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const archiveDir = join(dir, 'archive');
  console.error(`generating and indexing ${count} documents…`);
  const setup = await initArchive(archiveDir, { actor: 'bench' });
  loadCorpus(setup.connection.sqlite, generateCorpus(count));
  setup.search.reindex(() => undefined, { restart: true });
  setup.close();

  const host = await startPreviewHost({ archiveDir, rendererRoot: join(__dirname, '..', 'dist', 'renderer'), actor: 'bench' });
  const browser = await launchBrowser('en-US');
  try {
    const page = await browser.context.newPage();
    await page.goto(host.url);
    await logIn(page, host.archive);
    await page.locator('.shell-sider').waitFor();
    await page.keyboard.press('Alt+3');
    const box = page.locator('.search-screen .search-box input');
    await box.fill(QUERY);
    const searchStarted = Date.now();
    await box.press('Enter');
    await page.locator('.search-results[data-total] .search-hit').first().waitFor({ timeout: 60_000 });
    const firstResultMs = Date.now() - searchStarted;
    const total = Number(await page.locator('.search-results[data-total]').getAttribute('data-total'));
    console.error(`${total} results; scrolling…`);

    const measure = (await page.evaluate(`(async () => {
      const scroller = document.querySelector('.search-results[data-total]');
      const longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => longTasks.push(entry.duration))).observe({ type: 'longtask', buffered: false });
      const frames = [];
      const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      let previous = await nextFrame();
      const startTop = scroller.scrollTop;
      // Steady scrolling, driven per frame like a wheel fling.
      const until = previous + 6000;
      while (previous < until) {
        const now = await nextFrame();
        frames.push(now - previous);
        scroller.scrollTop += (4000 * (now - previous)) / 1000;
        previous = now;
      }
      const scrolledPx = scroller.scrollTop - startTop;
      // Jumps (the scrollbar dragged): time until no row in view is still a placeholder.
      const jumps = [];
      for (const fraction of [0.25, 0.5, 0.9, 1]) {
        scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * fraction;
        const started = performance.now();
        let now = await nextFrame();
        while (scroller.querySelector('.search-row-loading') && now - started < 10_000) {
          const next = await nextFrame();
          frames.push(next - now);
          now = next;
        }
        jumps.push({ at: \`\${fraction * 100} %\`, fillMs: now - started });
      }
      return { frames, longTasks, jumps, scrolledPx };
    })()`)) as PageMeasure;

    const sorted = [...measure.frames].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
    const result = {
      documents: count,
      query: QUERY,
      results: total,
      firstResultMs,
      frames: measure.frames.length,
      frameP50: round(pct(50)),
      frameP95: round(pct(95)),
      frameP99: round(pct(99)),
      frameMax: round(sorted.at(-1)!),
      framesOver50ms: measure.frames.filter((frame) => frame > 50).length,
      longTasks: measure.longTasks.length,
      longTaskMaxMs: round(Math.max(0, ...measure.longTasks)),
      scrolledRows: Math.round(measure.scrolledPx / 84),
      jumps: measure.jumps.map((jump) => ({ at: jump.at, fillMs: round(jump.fillMs) })),
      chromium: browser.context.browser()?.version() ?? 'chromium',
    };
    const markdown = [
      `# bench:scroll — ${count.toLocaleString('en')} documents, "${QUERY}" → ${total.toLocaleString('en')} results`,
      '',
      `Real Chromium (headless, no GPU) on the preview host. First page shown ${firstResultMs} ms after Enter. Steady scroll 4,000 px/s for 6 s (${result.scrolledRows} rows), then jumps to 25/50/90/100 %.`,
      'The machine was shared with other work while this ran; frame times include that noise.',
      '',
      '| frames | p50 ms | p95 ms | p99 ms | max ms | frames > 50 ms | long tasks | longest task ms |',
      '|---|---|---|---|---|---|---|---|',
      `| ${result.frames} | ${result.frameP50} | ${result.frameP95} | ${result.frameP99} | ${result.frameMax} | ${result.framesOver50ms} | ${result.longTasks} | ${result.longTaskMaxMs} |`,
      '',
      '| jump to | rows filled after ms |',
      '|---|---|',
      ...result.jumps.map((jump) => `| ${jump.at} | ${jump.fillMs} |`),
      '',
      `Chromium ${result.chromium}, Node ${process.version}.`,
      '',
    ].join('\n');
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'scroll.md'), markdown);
    writeFileSync(join(out, 'scroll.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(markdown);
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
