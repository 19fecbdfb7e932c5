#!/usr/bin/env node
// OCR benchmark: SlipVault's pipeline (built CLI, `slipvault ocr FILES --json`, 2 tesseract.js workers)
// against native tesseract (OMP_THREAD_LIMIT=1, two processes in parallel) in the same run, on
// ../shared/datasets/receipts (SROIE, English) and ../shared/datasets/slips (synthetic zh/en slips).
//
// CER = Levenshtein / reference length after upper-casing both sides, collapsing runs of spaces and
// dropping empty lines (issue #3). Date/total: is the labelled value the TOP suggestion / among them.
// Usage: npm run bench:ocr   (writes bench/results/ocr.md and ocr.json)
//        npm run bench:ocr -- --set receipts|slips --limit N   (a quick look while iterating: prints the
//        table, writes nothing and skips the 200-page batch)
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { cer, mean, median, receipts, slips } from './ocr-datasets.mjs';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin', 'slipvault.cjs');

function runTimed(command, args, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', command, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const [user, system, rssKb] = stderr.trim().split('\n').pop().split(' ').map(Number);
      if (code !== 0) reject(new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`));
      else resolvePromise({ stdout, seconds, cpuSeconds: user + system, rssMb: rssKb / 1024 });
    });
  });
}

/** The product's own pipeline: the CLI with its defaults, only the languages and worker count given. */
async function slipvaultRun(files, languages) {
  const run = await runTimed(process.execPath, [cli, '--json', 'ocr', ...files, '--workers', '2', '--languages', languages]);
  const results = JSON.parse(run.stdout);
  return { results: Array.isArray(results) ? results : [results], seconds: run.seconds, cpuSeconds: run.cpuSeconds, rssMb: run.rssMb };
}

async function nativeRun(files, languages) {
  const texts = new Array(files.length);
  let cpuSeconds = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    for (let index = next++; index < files.length; index = next++) {
      const run = await runTimed('tesseract', [files[index], 'stdout', '-l', languages, '--psm', '4'], { OMP_THREAD_LIMIT: '1' });
      texts[index] = run.stdout;
      cpuSeconds += run.cpuSeconds;
    }
  };
  await Promise.all([lane(), lane()]);
  return { texts, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds };
}

function hasNativeTesseract() {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function score(name, items, texts, results) {
  const cers = items.map((item, index) => cer(texts[index], item.groundTruth));
  const row = { name, images: items.length, meanCer: mean(cers), medianCer: median(cers) };
  if (results) {
    const top = (result, field) => result.suggestions.find((s) => s.field === field)?.value;
    const among = (result, field, value) => result.suggestions.some((s) => s.field === field && s.value === value);
    row.dateTop = mean(items.map((item, i) => (top(results[i], 'signedDate') === item.date ? 1 : 0)));
    row.dateAmong = mean(items.map((item, i) => (among(results[i], 'signedDate', item.date) ? 1 : 0)));
    row.totalTop = mean(items.map((item, i) => (top(results[i], 'amount') === item.total ? 1 : 0)));
    row.totalAmong = mean(items.map((item, i) => (among(results[i], 'amount', item.total) ? 1 : 0)));
    row.meanConfidence = mean(results.map((result) => mean(result.pages.map((page) => page.confidence))));
  }
  return row;
}

function option(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
const onlySet = option('set');
const limit = option('limit') === undefined ? Infinity : Number(option('limit'));
if (onlySet !== undefined && !['receipts', 'slips'].includes(onlySet)) throw new Error(`--set must be receipts or slips, not ${onlySet}`);
if (!(limit > 0)) throw new Error(`--limit must be a positive number, not ${option('limit')}`);
const partial = onlySet !== undefined || limit !== Infinity;

const pct = (value) => (value === undefined ? '–' : `${Math.round(value * 100)} %`);
const rows = [];
const native = hasNativeTesseract();
const sets = [
  ['receipts', receipts(), 'eng', 'eng'],
  ['slips', slips(), 'chi_sim+eng', 'chi_sim+eng'],
]
  .filter(([setName]) => onlySet === undefined || setName === onlySet)
  .map(([setName, items, ...rest]) => [setName, items.slice(0, limit), ...rest]);
for (const [setName, items, languages, nativeLanguages] of sets) {
  if (items.length === 0) continue;
  process.stderr.write(`${setName}: SlipVault (${languages}) on ${items.length} images…\n`);
  const ours = await slipvaultRun(items.map((item) => item.file), languages);
  const byFile = new Map(ours.results.map((result) => [resolve(result.file), result]));
  const results = items.map((item) => byFile.get(resolve(item.file)));
  const texts = results.map((result) => result.pages.map((page) => page.text).join('\n'));
  rows.push({ set: setName, languages, ...score('SlipVault (tesseract.js ×2 workers, product defaults)', items, texts, results), secondsPerImage: ours.seconds / items.length, cpuSecondsPerImage: ours.cpuSeconds / items.length, peakRssMb: ours.rssMb });
  if (native) {
    process.stderr.write(`${setName}: native tesseract (${nativeLanguages}, 2 processes)…\n`);
    const theirs = await nativeRun(items.map((item) => item.file), nativeLanguages);
    rows.push({ set: setName, languages: nativeLanguages, ...score('native tesseract (2 processes, OMP_THREAD_LIMIT=1, psm 4)', items, theirs.texts), secondsPerImage: theirs.seconds / items.length, cpuSecondsPerImage: theirs.cpuSeconds / items.length });
  }
}

for (const set of new Set(rows.map((row) => row.set))) {
  const [ours, theirs] = rows.filter((row) => row.set === set);
  if (theirs) {
    ours.throughputVsNative = theirs.secondsPerImage / ours.secondsPerImage;
    ours.cpuVsNative = theirs.cpuSecondsPerImage / ours.cpuSecondsPerImage;
  }
}

// Peak memory of one 200-page batch through the real CLI pipeline (both sets' images in turn, the
// default chi_sim+eng, 2 workers): /usr/bin/time's max RSS covers the process and its worker threads.
const BATCH_PAGES = 200;
const batchFiles = sets.flatMap(([, items]) => items.map((item) => item.file));
let batch = null;
if (batchFiles.length > 0 && !partial) {
  const files = Array.from({ length: BATCH_PAGES }, (_, i) => batchFiles[i % batchFiles.length]);
  process.stderr.write(`batch: ${BATCH_PAGES} pages through SlipVault (chi_sim+eng)…\n`);
  const run = await slipvaultRun(files, 'chi_sim+eng');
  batch = { pages: BATCH_PAGES, languages: 'chi_sim+eng', seconds: run.seconds, peakRssMb: run.rssMb };
}

const header = '| set | pipeline | langs | images | mean CER | median CER | date top / among | total top / among | s per image (wall, 2 cores) | throughput vs native | CPU s per image | CPU vs native | peak RSS |';
const lines = [
  `# OCR benchmark (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''})`,
  '',
  header,
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| ${row.set} | ${row.name} | ${row.languages} | ${row.images} | ${row.meanCer.toFixed(3)} | ${row.medianCer.toFixed(3)} | ${pct(row.dateTop)} / ${pct(row.dateAmong)} | ${pct(row.totalTop)} / ${pct(row.totalAmong)} | ${row.secondsPerImage.toFixed(2)} | ${row.throughputVsNative ? `${row.throughputVsNative.toFixed(2)}×` : '–'} | ${row.cpuSecondsPerImage.toFixed(2)} | ${row.cpuVsNative ? `${row.cpuVsNative.toFixed(2)}×` : '–'} | ${row.peakRssMb ? `${Math.round(row.peakRssMb)} MB` : '–'} |`,
  ),
  '',
  batch ? `Batch of ${batch.pages} pages (${batch.languages}, 2 workers, one process): peak RSS ${Math.round(batch.peakRssMb)} MB, ${(batch.seconds / batch.pages).toFixed(2)} s per page.` : '',
  '',
  'The machine was shared with other engineers while this ran: compare ratios within the run, not absolute times.',
  native ? '' : 'Native tesseract is not installed here; install tesseract-ocr tesseract-ocr-chi-sim for the comparison rows.',
];
const markdown = lines.join('\n');
console.log(markdown);
if (partial) process.exit(0);
writeFileSync(join(root, 'bench', 'results', 'ocr.md'), `${markdown}\n`);
writeFileSync(join(root, 'bench', 'results', 'ocr.json'), `${JSON.stringify({ date: new Date().toISOString(), rows, batch }, null, 2)}\n`);
