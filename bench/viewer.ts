/**
 * `npm run bench:viewer`: does a very large scan block typing while it opens in the page viewer? Real
 * Chromium (Debian's) against the preview host on a temp archive. For a small slip (the floor) and a 48 MP
 * scan, RUNS times each: open the document, switch to the Pages tab, start typing into the text editor at
 * once, and record how long until the page is shown, the longest main-thread task (PerformanceObserver
 * 'longtask') from the tab click to one second after the page is shown, and whether every typed
 * character arrived. Writes bench/results/viewer.md and viewer.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { startPreviewHost } from '../src/main/host/preview';
import { launchBrowser, logIn } from '../tests/e2e/browser';
import { tempDir } from '../tests/helpers/fixtures';

const ROOT = resolve(__dirname, '..');
const RUNS = 3;
const TYPED = 'typing while the scan decodes';
const SIZES = [
  { name: 'slip 600×840 (floor)', width: 600, height: 840 },
  { name: 'scan 6000×8000 (48 MP)', width: 6000, height: 8000 },
];

interface Run {
  shownMs: number;
  longestTaskMs: number;
  typedIntact: boolean;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const host = await startPreviewHost({ archiveDir: join(tempDir('slipvault-bench-viewer-'), 'archive'), rendererRoot: join(ROOT, 'dist', 'renderer') });
  const browser = await launchBrowser('zh-CN');
  const results: { name: string; runs: Run[] }[] = [];
  try {
    for (const size of SIZES) {
      const runs: Run[] = [];
      for (let run = 0; run < RUNS; run++) {
        const file = join(tempDir('slipvault-bench-viewer-img-'), `scan-${size.width}-${run}.jpg`);
        // Noise, so the JPEG is as costly to decode as a real scan (a flat image decodes trivially).
        const scan = sharp({
          create: { width: size.width, height: size.height, channels: 3, background: '#ffffff', noise: { type: 'gaussian', mean: 200, sigma: 30 } },
        });
        writeFileSync(file, await scan.jpeg({ quality: 75 }).toBuffer());
        const archiveNo = (await host.archive.documents.importFile(file)).archiveNo;
        const page = await browser.context.newPage();
        await page.goto(host.url);
        await logIn(page, host.archive);
        await page.locator('.archive-screen .ant-table-row', { hasText: archiveNo }).click();
        const drawer = page.locator('.document-drawer .ant-drawer-section');
        await drawer.getByRole('tab', { name: /页面/ }).waitFor();
        await page.evaluate(() => {
          const scope = globalThis as unknown as {
            longTasks: number[];
            PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => { observe(options: object): void };
          };
          scope.longTasks = [];
          new scope.PerformanceObserver((list) => scope.longTasks.push(...list.getEntries().map((entry) => entry.duration))).observe({ type: 'longtask' });
        });
        const started = Date.now();
        await drawer.getByRole('tab', { name: /页面/ }).click();
        await drawer.getByRole('button', { name: '修改文本' }).click();
        await page.keyboard.type(TYPED, { delay: 10 });
        await page.waitForFunction(
          () => {
            const viewport = (
              globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }
            ).document.querySelector('.page-viewport');
            return Boolean(viewport?.getAttribute('data-scale'));
          },
          undefined,
          { timeout: 120_000 },
        );
        const shownMs = Date.now() - started;
        await page.waitForTimeout(1000);
        const longTasks = await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks);
        const typedIntact = (await drawer.locator('.ocr-text-input').inputValue()) === TYPED;
        runs.push({ shownMs, longestTaskMs: Math.round(Math.max(0, ...longTasks)), typedIntact });
        console.error(
          `${size.name} run ${run + 1}: shown in ${shownMs} ms, longest task ${Math.round(Math.max(0, ...longTasks))} ms, typing ${typedIntact ? 'intact' : 'LOST'}`,
        );
        await page.close();
      }
      results.push({ name: size.name, runs });
    }
  } finally {
    await browser.close();
    await host.close();
  }

  const floor = median(results[0]!.runs.map((run) => run.longestTaskMs));
  const rows = results.map(({ name, runs }) => {
    const longest = median(runs.map((run) => run.longestTaskMs));
    return {
      name,
      shownMs: median(runs.map((run) => run.shownMs)),
      longestTaskMs: longest,
      ratioToFloor: Math.round((longest / Math.max(1, floor)) * 100) / 100,
      typedIntact: runs.every((run) => run.typedIntact),
    };
  });
  const table = [
    '| page | shown and typed after (median ms) | longest main-thread task (median ms) | × floor | typing intact |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map((row) => `| ${row.name} | ${row.shownMs} | ${row.longestTaskMs} | ${row.ratioToFloor} | ${row.typedIntact ? 'yes' : 'NO'} |`),
  ].join('\n');
  console.log(table);
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const note = `Medians of ${RUNS} runs in one process, headless Debian Chromium (software rendering), on a shared 2-core machine: absolute times are noisy, compare the rows.`;
  writeFileSync(join(ROOT, 'bench', 'results', 'viewer.md'), `# bench:viewer\n\n${note}\n\n${table}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', 'viewer.json'), JSON.stringify({ runs: RUNS, note, rows, raw: results }, null, 2) + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
