#!/usr/bin/env node
// Deskew benchmark: does straightening slightly tilted pages help the OCR? Each page of
// ../shared/datasets/receipts and ../shared/datasets/slips is prepared as the product prepares it
// (page-input.ts), its skew estimated (deskew.ts), then read by the product's reader (orientation.ts,
// 2 tesseract.js workers, the languages bench:ocr uses per set, the product's default layout mode) twice: not straightened,
// and straightened by the estimate. Pages whose estimate is 0° are read once (the same pixels read the
// same). From the two readings per page, in this one run, each way of choosing a page's reading is scored:
// mean CER, pages read again, and per-page better / worse counts against never straightening; the last
// row is the rule recogniseUpright applies. On slips, the estimate's error against the skew the manifest
// says was applied.
// CER as in bench:ocr (issue #3): Levenshtein / reference length after upper-casing, collapsing runs of
// spaces and dropping empty lines.
// Usage: npm run bench:deskew   (writes bench/results/deskew.md and deskew.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { estimateSkew, MIN_SHARPNESS, MIN_STRAIGHTEN_DEGREES, straighteningAngle } from '../src/main/core/ocr/deskew.ts';
import { OcrPool } from '../src/main/core/ocr/ocr-pool.ts';
import { recogniseUpright } from '../src/main/core/ocr/orientation.ts';
import { pageInput } from '../src/main/core/ocr/page-input.ts';
import { cer, datasets, mean, median, receipts, slips } from './ocr-datasets.mjs';

const root = resolve(import.meta.dirname, '..');
const loadAtStart = loadavg()[0].toFixed(1);
const WORKERS = 2;

/** The slips with the skew the dataset's manifest says was applied. */
function skewedSlips() {
  const skews = new Map(
    readFileSync(join(datasets, 'slips', 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .map((entry) => [entry.name, entry.degrade.skew]),
  );
  return slips().map((item) => ({ ...item, trueSkew: skews.get(item.stem) }));
}

async function measure(items, languages) {
  const pool = new OcrPool({ languages, workers: WORKERS });
  const pages = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index];
      const input = await pageInput(readFileSync(item.file), item.mime, 0, item.name);
      if (input.kind !== 'image') throw new Error(`${item.name} is not an image page`);
      const started = process.hrtime.bigint();
      const estimate = await estimateSkew(input.image);
      const estimateMs = Number(process.hrtime.bigint() - started) / 1e6;
      const plain = await recogniseUpright(pool, input.image, 0);
      const straightened = estimate.angle === 0 ? plain : await recogniseUpright(pool, input.image, estimate.angle);
      pages[index] = {
        name: item.name,
        angle: estimate.angle,
        sharpness: Math.round(estimate.sharpness * 10) / 10,
        productAngle: straighteningAngle(estimate),
        ...(item.trueSkew === undefined ? {} : { trueSkew: item.trueSkew }),
        estimateMs: Math.round(estimateMs),
        cerPlain: cer(plain.text, item.groundTruth),
        cerStraightened: cer(straightened.text, item.groundTruth),
        confidencePlain: plain.confidence,
        confidenceStraightened: straightened.confidence,
      };
      process.stderr.write(`  ${item.name}: skew ${estimate.angle}°, CER ${pages[index].cerPlain.toFixed(3)} → ${pages[index].cerStraightened.toFixed(3)}\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: WORKERS }, lane));
  } finally {
    await pool.terminate();
  }
  return pages;
}

/** One way of choosing each page's reading, scored against reading no page straightened. */
function variant(name, pages, { readAgain, takeStraightened }) {
  const cers = pages.map((page) => (readAgain(page) && takeStraightened(page) ? page.cerStraightened : page.cerPlain));
  const deltas = pages.map((page, index) => cers[index] - page.cerPlain);
  return {
    name,
    readAgain: pages.filter(readAgain).length,
    meanCer: mean(cers),
    better: deltas.filter((delta) => delta < 0).length,
    worse: deltas.filter((delta) => delta > 0).length,
  };
}

/** The bound the product used before it straightened before reading: any clear tilt of 0.3° or more. */
const SMALL_TILT_DEGREES = 0.3;
const slightlyTilted = (page) => Math.abs(page.angle) >= SMALL_TILT_DEGREES && page.sharpness >= MIN_SHARPNESS;
const moreConfident = (page) => page.confidenceStraightened > page.confidencePlain;
const smallRule = `tilt ≥ ${SMALL_TILT_DEGREES}° either way, sharpness ≥ ${MIN_SHARPNESS}`;
const VARIANTS = [
  ['not straightened', { readAgain: () => false, takeStraightened: () => false }],
  ['every page with a non-zero estimate, straightened', { readAgain: (page) => page.angle !== 0, takeStraightened: () => true }],
  [`pages with ${smallRule}, straightened`, { readAgain: slightlyTilted, takeStraightened: () => true }],
  [`pages with ${smallRule}, more confident of both readings`, { readAgain: slightlyTilted, takeStraightened: moreConfident }],
  [
    `product: pages with tilt ≥ ${MIN_STRAIGHTEN_DEGREES}° either way, sharpness ≥ ${MIN_SHARPNESS}, straightened before the one reading`,
    { readAgain: (page) => page.productAngle !== 0, takeStraightened: () => true },
  ],
];

const sets = [
  ['receipts', receipts(), 'eng'],
  ['slips', skewedSlips(), 'chi_sim+eng'],
];
const results = [];
for (const [set, items, languages] of sets) {
  if (items.length === 0) continue;
  process.stderr.write(`${set}: ${items.length} pages (${languages})…\n`);
  const pages = await measure(items, languages);
  const withTruth = pages.filter((page) => page.trueSkew !== undefined);
  results.push({
    set,
    languages,
    pages,
    variants: VARIANTS.map(([name, choice]) => variant(name, pages, choice)),
    estimateMsMedian: Math.round(median(pages.map((page) => page.estimateMs))),
    ...(withTruth.length > 0
      ? {
          angleError: {
            pages: withTruth.length,
            mean: mean(withTruth.map((page) => Math.abs(page.angle - page.trueSkew))),
            max: Math.max(...withTruth.map((page) => Math.abs(page.angle - page.trueSkew))),
          },
        }
      : {}),
  });
}

const lines = [
  `# Deskew benchmark (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''}, ${WORKERS} tesseract.js workers)`,
  '',
  '| set | pages | pages read straightened | mean CER | better / worse pages vs not straightened |',
  '|---|---|---|---|---|',
  ...results.flatMap((result) =>
    result.variants.map(
      (row) => `| ${result.set}: ${row.name} | ${result.pages.length} | ${row.readAgain} | ${row.meanCer.toFixed(4)} | ${row.better} / ${row.worse} |`,
    ),
  ),
  '',
  ...results.map(
    (result) =>
      `${result.set}: skew estimate ${result.estimateMsMedian} ms per page (median)` +
      (result.angleError
        ? `; error against the manifest's skew on ${result.angleError.pages} slips: mean ${result.angleError.mean.toFixed(3)}°, max ${result.angleError.max.toFixed(3)}°.`
        : '.'),
  ),
  '',
  '| page | estimated skew | sharpness | true skew | CER / confidence not straightened | CER / confidence straightened |',
  '|---|---|---|---|---|---|',
  ...results.flatMap((result) =>
    result.pages.map(
      (page) =>
        `| ${page.name} | ${page.angle}° | ${page.sharpness} | ${page.trueSkew === undefined ? '–' : `${page.trueSkew}°`} | ${page.cerPlain.toFixed(3)} / ${page.confidencePlain} | ${page.angle === 0 ? '(same pixels)' : `${page.cerStraightened.toFixed(3)} / ${page.confidenceStraightened}`} |`,
    ),
  ),
  '',
  `Load average ${loadAtStart} when the run started (2 cores): the estimate times are indicative only.`,
];
const markdown = lines.join('\n');
console.log(markdown);
writeFileSync(join(root, 'bench', 'results', 'deskew.md'), `${markdown}\n`);
writeFileSync(join(root, 'bench', 'results', 'deskew.json'), `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
