#!/usr/bin/env tsx
// OCR benchmark, in one run over the four sets of ../shared/datasets: receipts (tuning), receipts-val
// (confirmation), slips (synthetic zh/en) and zh-docs (real Chinese documents).
//
// Part 1, the product against native tesseract. Four pipelines read each set, alternately, ROUNDS times:
//   - SlipVault, the built CLI (`slipvault ocr FILES --json --workers 2`), accurate model (the default) and
//     fast model (`--model fast`);
//   - native tesseract 5 (two processes in parallel, OMP_THREAD_LIMIT=1, psm 4) with the SAME traineddata
//     SlipVault's accurate mode ships (the @tesseract.js-data best_int files, unpacked into a temporary
//     --tessdata-dir), and with Debian's models (tessdata_fast: the same files as SlipVault's fast mode).
// Each keeps its quickest run (other jobs on the shared machine only ever add time); texts come from the
// first. Peak RSS is /usr/bin/time's, the process and its worker threads.
// Part 2, where SlipVault's time goes beyond the engine: every set read in this process with each page's
// steps timed (pipeline-steps.ts), and both receipt sets read again without each optional step.
// Part 3, one long batch (200 pages unless told) through the CLI for peak memory.
//
// CER: receipts and slips as issue #3 (upper-cased, runs of spaces collapsed, empty lines dropped); zh-docs as
// its README says (NFKC, upper-cased, all whitespace removed). Fields: is the label the TOP suggestion
// (ocr-fields.ts; the slips' customer also, and signer only, with the register of slip-register.ts).
// Below the table, what each engine adds to an installation (install-sizes.ts).
// Usage: npm run bench:ocr                      (writes bench/results/ocr.md and ocr.json)
//        npm run bench:ocr -- --sets receipts,slips --limit 5 [--rounds N]
//        (a quick look: one round unless told, no batch; prints the table and writes nothing)
//        --rounds N (default 2) and --batch-pages N (default 200, 0: none) shorten a full run on a loaded machine;
//        --only compare|steps runs part 1 (+3) or part 2 alone (writing ocr.md, or ocr-steps.md and .json).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CustomerRecord, FileOcrResult, Suggestion } from '../src/shared/model';
import { extractSuggestions } from '../src/main/core/extract/suggest';
import { languageDataFile, parseLanguages } from '../src/main/core/ocr/language-data';
import { OcrPool } from '../src/main/core/ocr/ocr-pool';
import { OPTIONAL_STEPS, type OptionalStep, type TimedStep } from '../src/main/core/ocr/pipeline-steps';
import { recogniseFile } from '../src/main/core/ocr/recognise-file';
import { cer, cerWithoutSpaces, mean, median, receipts, receiptsVal, slips, zhDocs, type DatasetItem } from './ocr-datasets.mjs';
import { fieldShares, RECEIPT_FIELDS, SLIP_FIELDS, type FieldCheck } from './ocr-fields';
import { installSizes, installSizeTable, type InstallSize } from './install-sizes';
import { slipRegister } from './slip-register';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'bin', 'slipvault.cjs');
const loadAtStart = loadavg()[0]!.toFixed(1);
const WORKERS = 2;

interface BenchSet {
  name: string;
  items: DatasetItem[];
  languages: string;
  score: (hypothesis: string, reference: string) => number;
  /** The labelled fields this set has (ocr-fields.ts). */
  fields: FieldCheck[];
  /** The customer register extraction is given where a field is scored with one. */
  register: CustomerRecord[];
}

// The register of every slip customer, whatever --limit keeps: the office knows all its customers.
const slipItems = slips();
const ALL_SETS: BenchSet[] = [
  { name: 'receipts', items: receipts(), languages: 'eng', score: cer, fields: RECEIPT_FIELDS, register: [] },
  { name: 'receipts-val', items: receiptsVal(), languages: 'eng', score: cer, fields: RECEIPT_FIELDS, register: [] },
  { name: 'slips', items: slipItems, languages: 'chi_sim+eng', score: cer, fields: SLIP_FIELDS, register: slipRegister(slipItems) },
  // zh-docs' README and transcriptions label no fields (no dates or amounts): CER only.
  { name: 'zh-docs', items: zhDocs(), languages: 'chi_sim+eng', score: cerWithoutSpaces, fields: [], register: [] },
];
const RECEIPT_SETS = ['receipts', 'receipts-val'];

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}
const chosen = option('sets')?.split(',');
const unknown = chosen?.filter((name) => !ALL_SETS.some((set) => set.name === name)) ?? [];
if (unknown.length > 0) throw new Error(`--sets takes ${ALL_SETS.map((set) => set.name).join(', ')}; not ${unknown.join(', ')}`);
const limit = option('limit') === undefined ? Infinity : Number(option('limit'));
if (!(limit > 0)) throw new Error(`--limit must be a positive number, not ${option('limit')}`);
const partial = chosen !== undefined || limit !== Infinity;
const rounds = Number(option('rounds') ?? (partial ? 1 : 2));
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive whole number, not ${option('rounds')}`);
/** One part only, so the two can run side by side on a loaded machine: compare → ocr.md, steps → ocr-steps.md. */
const only = option('only');
if (only !== undefined && only !== 'compare' && only !== 'steps') throw new Error(`--only takes compare or steps, not ${only}`);
const batchPages = Number(option('batch-pages') ?? (partial ? 0 : 200));
if (!Number.isInteger(batchPages) || batchPages < 0) throw new Error(`--batch-pages must be a whole number, not ${option('batch-pages')}`);
const sets = ALL_SETS.filter((set) => chosen === undefined || chosen.includes(set.name)).map((set) => ({ ...set, items: set.items.slice(0, limit) }));

interface TimedRun {
  stdout: string;
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
}

function runTimed(command: string, args: string[], env: Record<string, string> = {}): Promise<TimedRun> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%U %S %M', command, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const [user = 0, system = 0, rssKb = 0] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
      if (code !== 0) reject(new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`));
      else resolvePromise({ stdout, seconds, cpuSeconds: user + system, rssMb: rssKb / 1024 });
    });
  });
}

interface PipelineRun {
  texts: string[];
  suggestions: Suggestion[][];
  seconds: number;
  cpuSeconds: number;
  rssMb?: number;
}

type Model = 'accurate' | 'fast';

/** The product's own path: the CLI with its defaults, only the languages, model and worker count given. */
async function slipvaultRun(files: string[], languages: string, model: Model): Promise<PipelineRun> {
  const run = await runTimed(process.execPath, [cli, '--json', 'ocr', ...files, '--workers', String(WORKERS), '--languages', languages, '--model', model]);
  const parsed = JSON.parse(run.stdout) as FileOcrResult | FileOcrResult[];
  const byFile = new Map((Array.isArray(parsed) ? parsed : [parsed]).map((result) => [resolve(result.file), result]));
  const results = files.map((file) => byFile.get(resolve(file))!);
  return {
    texts: results.map((result) => result.pages.map((page) => page.text).join('\n')),
    suggestions: results.map((result) => result.suggestions),
    seconds: run.seconds,
    cpuSeconds: run.cpuSeconds,
    rssMb: run.rssMb,
  };
}

/** Native tesseract, two processes at a time, one thread each; `tessdataDir` undefined: Debian's models. */
async function nativeRun(files: string[], languages: string, tessdataDir: string | undefined): Promise<PipelineRun> {
  const texts = new Array<string>(files.length);
  let cpuSeconds = 0;
  let rssMb = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const dirArgs = tessdataDir ? ['--tessdata-dir', tessdataDir] : [];
  const lane = async () => {
    for (let index = next++; index < files.length; index = next++) {
      const run = await runTimed('tesseract', [...dirArgs, files[index]!, 'stdout', '-l', languages, '--psm', '4'], { OMP_THREAD_LIMIT: '1' });
      texts[index] = run.stdout;
      cpuSeconds += run.cpuSeconds;
      rssMb = Math.max(rssMb, run.rssMb);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The same extraction over native text, so the fields compare the readings, not the extractors.
  const suggestions = texts.map((text) => extractSuggestions(text, { customers: [], documentTypes: [] }));
  return { texts, suggestions, seconds, cpuSeconds, rssMb };
}

/** The best_int traineddata SlipVault ships, unpacked where native tesseract can read it. */
function sameModelTessdata(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipvault-bench-tessdata-'));
  for (const language of parseLanguages('chi_sim+eng')) {
    writeFileSync(join(dir, `${language}.traineddata`), gunzipSync(readFileSync(languageDataFile(language))));
  }
  return dir;
}

function hasNativeTesseract(): boolean {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Scores {
  meanCer: number;
  medianCer: number;
  /** Field check title → share of items whose label is the top suggestion. */
  fieldsTop: Record<string, number>;
}

function scoreTexts(set: BenchSet, texts: string[], suggestions: Suggestion[][]): Scores {
  const cers = set.items.map((item, index) => set.score(texts[index]!, item.groundTruth));
  return { meanCer: mean(cers), medianCer: median(cers), fieldsTop: fieldShares(set.fields, set.register, set.items, texts, suggestions) };
}

const quickest = (runs: PipelineRun[]) => runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));

interface Row extends Scores {
  set: string;
  pipeline: string;
  languages: string;
  images: number;
  secondsPerImage: number;
  cpuSecondsPerImage: number;
  peakRssMb?: number;
  runsSeconds: number[];
  /** Throughput of this row against the native rows of its set (their s per image over this one's). */
  vsNativeSameModel?: number;
  vsNativeDebian?: number;
}

const PIPELINES = [
  {
    key: 'accurate',
    title: 'SlipVault, accurate (best_int, default)',
    run: (files: string[], languages: string) => slipvaultRun(files, languages, 'accurate'),
  },
  { key: 'fast', title: 'SlipVault, fast (tessdata_fast)', run: (files: string[], languages: string) => slipvaultRun(files, languages, 'fast') },
] as const;

async function comparePipelines(native: boolean, tessdata: string): Promise<Row[]> {
  const rows: Row[] = [];
  const contenders = [
    ...PIPELINES,
    ...(native
      ? [
          {
            key: 'native-same',
            title: 'native tesseract, same best_int model',
            run: (files: string[], languages: string) => nativeRun(files, languages, tessdata),
          },
          {
            key: 'native-debian',
            title: "native tesseract, Debian's model (tessdata_fast)",
            run: (files: string[], languages: string) => nativeRun(files, languages, undefined),
          },
        ]
      : []),
  ];
  for (const set of sets) {
    if (set.items.length === 0) continue;
    const files = set.items.map((item) => item.file);
    const runs = new Map<string, PipelineRun[]>(contenders.map((contender) => [contender.key, []]));
    for (let round = 1; round <= rounds; round += 1) {
      for (const contender of contenders) {
        process.stderr.write(`${set.name}, round ${round}/${rounds}: ${contender.title} on ${files.length} images…\n`);
        runs.get(contender.key)!.push(await contender.run(files, set.languages));
      }
    }
    const setRows = contenders.map((contender) => {
      const all = runs.get(contender.key)!;
      const best = quickest(all);
      return {
        key: contender.key,
        row: {
          set: set.name,
          pipeline: contender.title,
          languages: set.languages,
          images: files.length,
          ...scoreTexts(set, all[0]!.texts, all[0]!.suggestions),
          secondsPerImage: best.seconds / files.length,
          cpuSecondsPerImage: best.cpuSeconds / files.length,
          ...(all.some((run) => run.rssMb) ? { peakRssMb: Math.max(...all.map((run) => run.rssMb ?? 0)) } : {}),
          runsSeconds: all.map((run) => run.seconds),
        } satisfies Row as Row,
      };
    });
    const same = setRows.find((entry) => entry.key === 'native-same')?.row;
    const debian = setRows.find((entry) => entry.key === 'native-debian')?.row;
    for (const { key, row } of setRows) {
      if (key !== 'accurate' && key !== 'fast') continue;
      if (same) row.vsNativeSameModel = same.secondsPerImage / row.secondsPerImage;
      if (debian) row.vsNativeDebian = debian.secondsPerImage / row.secondsPerImage;
    }
    rows.push(...setRows.map((entry) => entry.row));
  }
  return rows;
}

interface StepRun {
  set: string;
  skipped: OptionalStep | null;
  meanCer: number;
  fieldsTop: Scores['fieldsTop'];
  cpuSecondsPerImage: number;
  secondsPerImage: number;
  /** Step → mean milliseconds per image (a step that did not run on a page counts 0 there). */
  stepMs: Partial<Record<TimedStep, number>>;
  /** Step → pages it ran on. */
  stepPages: Partial<Record<TimedStep, number>>;
}

/** One set read in this process, 2 workers, each page's steps timed, `skipped` left out. */
async function readWithSteps(pool: OcrPool, set: BenchSet, skipped: OptionalStep | null): Promise<StepRun> {
  const totals: Partial<Record<TimedStep, number>> = {};
  const pages: Partial<Record<TimedStep, Set<number>>> = {};
  const texts = new Array<string>(set.items.length);
  const suggestions = new Array<Suggestion[]>(set.items.length);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const lane = async () => {
    for (let index = next++; index < set.items.length; index = next++) {
      const onStep = (step: TimedStep, milliseconds: number) => {
        totals[step] = (totals[step] ?? 0) + milliseconds;
        (pages[step] ??= new Set()).add(index);
      };
      const read = await recogniseFile(pool, set.items[index]!.file, { skip: new Set(skipped ? [skipped] : []), onStep });
      const text = read.map((page) => page.text).join('\n');
      texts[index] = text;
      suggestions[index] = extractSuggestions(text, { customers: [], documentTypes: [] });
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const scores = scoreTexts(set, texts, suggestions);
  const count = set.items.length;
  return {
    set: set.name,
    skipped,
    meanCer: scores.meanCer,
    fieldsTop: scores.fieldsTop,
    cpuSecondsPerImage: (cpu.user + cpu.system) / 1e6 / count,
    secondsPerImage: seconds / count,
    stepMs: Object.fromEntries(Object.entries(totals).map(([step, total]) => [step, total / count])),
    stepPages: Object.fromEntries(Object.entries(pages).map(([step, seen]) => [step, seen.size])),
  };
}

async function measureSteps(): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  for (const set of sets) {
    if (set.items.length === 0) continue;
    const pool = new OcrPool({ languages: set.languages, workers: WORKERS });
    try {
      // Both workers compile the engine first, so no variant pays for it.
      await Promise.all(set.items.slice(0, WORKERS).map((item) => recogniseFile(pool, item.file)));
      const variants: (OptionalStep | null)[] = [null, ...(RECEIPT_SETS.includes(set.name) ? OPTIONAL_STEPS : [])];
      for (const skipped of variants) {
        process.stderr.write(`${set.name}: steps timed${skipped ? `, without ${skipped}` : ''}…\n`);
        runs.push(await readWithSteps(pool, set, skipped));
      }
    } finally {
      await pool.terminate();
    }
  }
  return runs;
}

// Peak memory of one long batch through the CLI (every set's images in turn, chi_sim+eng, 2 workers).
async function batchRun(): Promise<{ pages: number; languages: string; seconds: number; peakRssMb: number } | null> {
  const files = sets.flatMap((set) => set.items.map((item) => item.file));
  if (files.length === 0 || batchPages === 0) return null;
  process.stderr.write(`batch: ${batchPages} pages through SlipVault (chi_sim+eng)…\n`);
  const run = await slipvaultRun(
    Array.from({ length: batchPages }, (_, index) => files[index % files.length]!),
    'chi_sim+eng',
    'accurate',
  );
  return { pages: batchPages, languages: 'chi_sim+eng', seconds: run.seconds, peakRssMb: run.rssMb ?? 0 };
}

const pct = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value * 100)} %`);
const times = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(2)}×`);

function fieldCells(set: BenchSet | undefined, fieldsTop: Scores['fieldsTop']): string {
  const checks = set?.fields ?? [];
  if (checks.length === 0) return '–';
  return checks.map((check) => `${check.title} ${pct(fieldsTop[check.title])}`).join('; ');
}

/** How the fields column was scored, and why some sets have fewer fields than others. */
function fieldsNote(): string {
  const slipSet = ALL_SETS.find((set) => set.name === 'slips')!;
  const labelled = new Set(slipSet.items.map((item) => item.customer));
  const others = slipSet.register.filter((customer) => !labelled.has(customer.name));
  const signers = slipSet.register.reduce((sum, customer) => sum + (customer.signers?.length ?? 0), 0);
  return [
    'Fields top-1: the label equals the top suggestion (bench/ocr-fields.ts). Receipts (SROIE) label date and total; their "company" is the seller, not a customer, so no customer is scored there.',
    `On the slips, "no register" is what \`slipvault ocr\` suggests, knowing no customers (company names the page shows); "register" runs the same extraction over the same text with the register an office would have, as the app passes its own (bench/slip-register.ts): the ${labelled.size} slip customers, each with its labelled signer and two invented colleagues, and ${others.length} invented customers with signers of their own, ${slipSet.register.length} customers and ${signers} signers in all, from fixed name pools and a fixed seed, nothing taken from the pages.`,
    "The slips' signatures are handwritten and not in their printed text (slips README): a signer is found only where the reading picks the handwritten name up, or an authorization letter names its agent.",
    'zh-docs: its README and transcriptions label no fields (no dates, amounts or parties), so it has CER only.',
  ].join(' ');
}

function markdown(rows: Row[], steps: StepRun[], batch: Awaited<ReturnType<typeof batchRun>>, native: boolean, sizes: InstallSize[]): string {
  const setOf = (name: string) => ALL_SETS.find((set) => set.name === name);
  const lines = [
    `# OCR benchmark (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''})`,
    '',
    ...(rows.length === 0
      ? []
      : [
          '| set | pipeline | langs | images | mean CER | median CER | fields top-1 | s per image (wall, 2 cores) | vs native, same model | vs native, Debian model | CPU s per image | peak RSS |',
          '|---|---|---|---|---|---|---|---|---|---|---|---|',
          ...rows.map(
            (row) =>
              `| ${row.set} | ${row.pipeline} | ${row.languages} | ${row.images} | ${row.meanCer.toFixed(3)} | ${row.medianCer.toFixed(3)} | ${fieldCells(setOf(row.set), row.fieldsTop)} | ${row.secondsPerImage.toFixed(2)} | ${times(row.vsNativeSameModel)} | ${times(row.vsNativeDebian)} | ${row.cpuSecondsPerImage.toFixed(2)} | ${row.peakRssMb ? `${Math.round(row.peakRssMb)} MB` : '–'} |`,
          ),
          '',
          '"vs native": native s per image over SlipVault\'s, both 2-way parallel (2 tesseract.js workers in one process; 2 native processes, OMP_THREAD_LIMIT=1); above 1× SlipVault is quicker. "Same model": native tesseract reading the best_int traineddata SlipVault\'s accurate mode ships; Debian\'s model is tessdata_fast, the files of the fast mode. zh-docs CER is taken with all whitespace removed.',
          '',
          fieldsNote(),
          '',
          '## Install size of each engine',
          '',
          ...installSizeTable(sizes),
          '',
          "What each engine adds to an installation (bench/install-sizes.ts, shared with bench:ocr-engines). The accurate mode is tesseract.js with its language data; the fast mode adds the fast models; PP-OCR reads Chinese pages where the engine choice picks it. Native tesseract is the comparison's, not shipped.",
          '',
        ]),
    ...(steps.length === 0
      ? []
      : [
          "## Where SlipVault's time goes (steps per image, in-process, 2 workers)",
          '',
          '| set | without | mean CER | fields top-1 | CPU s per image | s per image | prepare | orientation | straighten | read | turn-retry | signature-strokes | field-reread |',
          '|---|---|---|---|---|---|---|---|---|---|---|---|',
          ...steps.map((run) => {
            const cell = (step: TimedStep) => (run.stepMs[step] === undefined ? '–' : `${Math.round(run.stepMs[step])} ms (${run.stepPages[step]})`);
            return `| ${run.set} | ${run.skipped ?? '(all steps)'} | ${run.meanCer.toFixed(3)} | ${fieldCells(setOf(run.set), run.fieldsTop)} | ${run.cpuSecondsPerImage.toFixed(2)} | ${run.secondsPerImage.toFixed(2)} | ${(['prepare', 'orientation', 'straighten', 'read', 'turn-retry', 'signature-strokes', 'field-reread'] as TimedStep[]).map(cell).join(' | ')} |`;
          }),
          '',
          'Step cells: mean wall milliseconds per image over the set (pages the step ran on). "read" is the first reading, waiting for a free worker included; the optional steps are orientation (the skew and sideways estimate, which decides straighten), turn-retry (pages under 50 % confidence read turned) and field-reread (date and total rows read again); signature-strokes finds signature strokes after the reading and leaves the words read from them out (the finding runs only on pages with an unsure word).',
          '',
        ]),
    batch
      ? `Batch of ${batch.pages} pages (${batch.languages}, accurate, 2 workers, one process): peak RSS ${Math.round(batch.peakRssMb)} MB, ${(batch.seconds / batch.pages).toFixed(2)} s per page.`
      : '',
    '',
    rows.length === 0
      ? ''
      : `Times: the quickest of ${rounds} alternating run${rounds === 1 ? '' : 's'} of each pipeline (${rows.map((row) => `${row.set} ${row.pipeline} ${row.runsSeconds.map((seconds) => seconds.toFixed(1)).join(' / ')} s`).join('; ')}).`,
    `Load average ${loadAtStart} when the run started (${cpus().length} cores): compare ratios within the run, not absolute times.`,
    native ? '' : 'Native tesseract is not installed here; install tesseract-ocr tesseract-ocr-chi-sim for the comparison rows.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const native = hasNativeTesseract();
  const tessdata = sameModelTessdata();
  try {
    const rows = only === 'steps' ? [] : await comparePipelines(native, tessdata);
    const steps = only === 'compare' ? [] : await measureSteps();
    const batch = only === 'steps' ? null : await batchRun();
    const sizes = installSizes();
    const table = markdown(rows, steps, batch, native, sizes);
    console.log(table);
    if (!partial) {
      const name = only === 'steps' ? 'ocr-steps' : 'ocr';
      writeFileSync(join(root, 'bench', 'results', `${name}.md`), `${table}\n`);
      writeFileSync(
        join(root, 'bench', 'results', `${name}.json`),
        `${JSON.stringify({ date: new Date().toISOString(), loadAtStart: Number(loadAtStart), rows, steps, batch, installSizes: sizes }, null, 2)}\n`,
      );
    }
  } finally {
    rmSync(tessdata, { recursive: true, force: true });
  }
}

void main();
