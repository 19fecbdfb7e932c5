/**
 * bench:ocr-engines — the engine for Chinese pages (docs/ocr-engines.md): SlipVault's pipeline with
 * tesseract.js, with PP-OCR, and with the engine choice it ships (auto), against native tesseract, on
 * ../shared/datasets/zh-docs (real Chinese documents) and ../shared/datasets/slips (synthetic zh/en slips).
 *
 * CER as zh-docs/README.md defines it: NFKC, upper case, all whitespace removed (line breaks included),
 * Levenshtein over code points / reference length. Each SlipVault run is the built CLI
 * (`slipvault --json ocr FILES --workers 2 --languages chi_sim+eng --engine E`) under /usr/bin/time;
 * native tesseract runs `-l chi_sim+eng --psm 4`, OMP_THREAD_LIMIT=1, two processes at a time. s per image
 * is the wall time of the whole set over its images (2 cores, both sides two at a time); peak RSS is the
 * largest resident size of one run (one SlipVault process; the largest native process). Install size is
 * what each engine adds on disk. Target (issue 21): SlipVault's mean CER on zh-docs ≤ 0.6× native's.
 *
 * Usage: npm run bench:ocr-engines   (writes bench/results/ocr-engines.json and ocr-engines.md)
 *        npm run bench:ocr-engines -- --set zh-docs|slips --limit N   (a quick look: prints, writes nothing)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { installSizes, installSizeTable } from './install-sizes';
import { datasets, mean, median, slips } from './ocr-datasets.mjs';

const root = resolve(__dirname, '..');
const cli = join(root, 'bin', 'slipvault.cjs');
const RESULTS = join(root, 'bench', 'results');
const LANGUAGES = 'chi_sim+eng';
const TARGET_RATIO = 0.6;

interface Item {
  name: string;
  file: string;
  groundTruth: string;
}

type Pipeline = 'auto' | 'tesseract' | 'paddle' | 'native';
const PIPELINES: { key: Pipeline; label: string }[] = [
  { key: 'auto', label: 'SlipVault, engine auto (shipped default)' },
  { key: 'paddle', label: 'SlipVault, PP-OCR' },
  { key: 'tesseract', label: 'SlipVault, tesseract.js' },
  { key: 'native', label: 'native tesseract 5 (chi_sim+eng, psm 4)' },
];

interface Run {
  texts: string[];
  seconds: number;
  rssMb: number;
}

const normalise = (text: string) => text.normalize('NFKC').toUpperCase().replace(/\s+/gu, '');

function levenshtein(left: string[], right: string[]): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[right.length]!;
}

function whitespaceFreeCer(hypothesis: string, reference: string): number {
  const expected = [...normalise(reference)];
  return levenshtein([...normalise(hypothesis)], expected) / Math.max(1, expected.length);
}

function zhDocs(): Item[] {
  const dir = join(datasets, 'zh-docs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => ({ name, file: join(dir, name), groundTruth: readFileSync(join(dir, name.replace(/\.jpg$/, '.gt.txt')), 'utf8') }));
}

function timed(command: string, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; seconds: number; rssMb: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', command, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`));
      resolvePromise({ stdout, seconds, rssMb: Number(stderr.trim().split('\n').pop()) / 1024 });
    });
  });
}

async function slipvaultRun(items: Item[], engine: Exclude<Pipeline, 'native'>): Promise<Run> {
  const files = items.map((item) => item.file);
  const run = await timed(process.execPath, [cli, '--json', 'ocr', ...files, '--workers', '2', '--languages', LANGUAGES, '--engine', engine]);
  const parsed = JSON.parse(run.stdout) as { pages: { text: string }[] } | { pages: { text: string }[] }[];
  const results = Array.isArray(parsed) ? parsed : [parsed];
  return { texts: results.map((result) => result.pages.map((page) => page.text).join('\n')), seconds: run.seconds, rssMb: run.rssMb };
}

async function nativeRun(items: Item[]): Promise<Run> {
  const texts: string[] = new Array<string>(items.length);
  let rssMb = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const run = await timed('tesseract', [items[index]!.file, 'stdout', '-l', LANGUAGES, '--psm', '4'], { OMP_THREAD_LIMIT: '1' });
      texts[index] = run.stdout;
      rssMb = Math.max(rssMb, run.rssMb);
    }
  };
  await Promise.all([lane(), lane()]);
  return { texts, seconds: Number(process.hrtime.bigint() - started) / 1e9, rssMb };
}

interface Row {
  set: string;
  pipeline: Pipeline;
  label: string;
  images: number;
  meanCer: number;
  medianCer: number;
  secondsPerImage: number;
  rssMb: number;
  perImage: Record<string, number>;
}

function parseArgs(argv: string[]): { set: string | null; limit: number | null } {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? (argv[at + 1] ?? null) : null;
  };
  const limit = value('--limit');
  return { set: value('--set'), limit: limit === null ? null : Number(limit) };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const quick = options.set !== null || options.limit !== null;
  const sets: { name: string; items: Item[] }[] = [
    { name: 'zh-docs', items: zhDocs() },
    { name: 'slips', items: slips().map((item) => ({ name: item.name, file: item.file, groundTruth: item.groundTruth })) },
  ]
    .filter((set) => options.set === null || set.name === options.set)
    .map((set) => ({ ...set, items: options.limit === null ? set.items : set.items.slice(0, options.limit) }));
  const loadAtStart = loadavg()[0]!.toFixed(1);
  const rows: Row[] = [];
  for (const set of sets) {
    for (const pipeline of PIPELINES) {
      const run = pipeline.key === 'native' ? await nativeRun(set.items) : await slipvaultRun(set.items, pipeline.key);
      const cers = set.items.map((item, index) => whitespaceFreeCer(run.texts[index] ?? '', item.groundTruth));
      const row: Row = {
        set: set.name,
        pipeline: pipeline.key,
        label: pipeline.label,
        images: set.items.length,
        meanCer: mean(cers),
        medianCer: median(cers),
        secondsPerImage: run.seconds / set.items.length,
        rssMb: run.rssMb,
        perImage: Object.fromEntries(set.items.map((item, index) => [item.name, cers[index]!])),
      };
      rows.push(row);
      console.log(
        `${row.set.padEnd(8)} ${row.label.padEnd(42)} mean ${row.meanCer.toFixed(3)} median ${row.medianCer.toFixed(3)} ${row.secondsPerImage.toFixed(2)} s/img ${Math.round(row.rssMb)} MB`,
      );
    }
  }
  const sizes = installSizes();
  const table = [
    '| set | pipeline | images | mean CER | median CER | CER vs native | s per image (wall, 2 at a time) | peak RSS |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => {
      const native = rows.find((other) => other.set === row.set && other.pipeline === 'native')!;
      const ratio = row.pipeline === 'native' ? '–' : `${(row.meanCer / native.meanCer).toFixed(2)}×`;
      return `| ${row.set} | ${row.label} | ${row.images} | ${row.meanCer.toFixed(3)} | ${row.medianCer.toFixed(3)} | ${ratio} | ${row.secondsPerImage.toFixed(2)} | ${Math.round(row.rssMb)} MB |`;
    }),
  ];
  const sizeTable = installSizeTable(sizes);
  console.log(`\n${table.join('\n')}\n\n${sizeTable.join('\n')}`);
  const zh = (pipeline: Pipeline) => rows.find((row) => row.set === 'zh-docs' && row.pipeline === pipeline);
  const auto = zh('auto');
  const native = zh('native');
  const verdict =
    auto && native
      ? `Target (zh-docs, shipped default, mean CER ≤ ${TARGET_RATIO}× native): ${(auto.meanCer / native.meanCer).toFixed(2)}× — ${auto.meanCer <= TARGET_RATIO * native.meanCer ? 'met' : 'not met'}.`
      : '';
  if (verdict) console.log(`\n${verdict}`);
  if (quick) return;
  const perImage = sets.map((set) => {
    const setRows = rows.filter((row) => row.set === set.name);
    return [
      `### ${set.name}, CER per image`,
      '',
      `| image | ${setRows.map((row) => row.pipeline).join(' | ')} |`,
      `|---|${setRows.map(() => '---:').join('|')}|`,
      ...set.items.map((item) => `| ${item.name} | ${setRows.map((row) => row.perImage[item.name]!.toFixed(3)).join(' | ')} |`),
    ].join('\n');
  });
  const date = new Date().toISOString().slice(0, 10);
  const markdown = [
    `# OCR engines for Chinese pages (${date}, ${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'})`,
    '',
    'CER after NFKC, upper case and removing all whitespace (zh-docs/README.md). `npm run bench:ocr-engines`; how to read it: docs/ocr-engines.md.',
    '',
    ...table,
    '',
    verdict,
    '',
    ...sizeTable,
    '',
    `Load average ${loadAtStart} when the run started (2 cores shared with other work): compare times within the run, not across runs.`,
    '',
    ...perImage.flatMap((section) => [section, '']),
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'ocr-engines.md'), markdown);
  writeFileSync(join(RESULTS, 'ocr-engines.json'), `${JSON.stringify({ date, loadAtStart, rows, installSizes: sizes }, null, 2)}\n`);
  console.log('\nwrote bench/results/ocr-engines.md and ocr-engines.json');
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
