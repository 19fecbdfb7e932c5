// Extraction misses: which receipts / slips do not get their labelled fields (date and total; on the slips
// also slip no., customer without and with the register, signer with it: ocr-fields.ts) as the TOP
// suggestion, and what was suggested instead, for the three labelled sets of bench:ocr (receipts, the
// tuning set; receipts-val, the unseen confirmation set; slips). OCR runs once per set through the built
// CLI (`slipvault ocr --json` with the product's defaults and bench:ocr's languages) and its texts are
// cached outside the repository, so extraction rules can be iterated on the same texts in seconds. The
// scoring is bench:ocr's: the label equals the top suggestion's value, so the percentages are its.
// --ground-truth runs the extraction over the sets' hand transcriptions instead of OCR text: a field
// missed there is the extraction's fault; a field found there but missed on OCR text is the reading's.
// Usage: npm run build && npx tsx bench/extract-misses.ts [--refresh-ocr] [--ground-truth] [--verbose] [--sets receipts,slips]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { extractSuggestions } from '../src/main/core/extract/suggest';
import type { CustomerRecord } from '../src/shared/model';
import { receipts, receiptsVal, slips, type DatasetItem } from './ocr-datasets.mjs';
import { checkFields, RECEIPT_FIELDS, SLIP_FIELDS, type FieldCheck } from './ocr-fields';
import { slipRegister } from './slip-register';

const root = resolve(import.meta.dirname, '..');
// One cache per checkout: engineers working in other worktrees on the same machine keep their own texts.
const cacheDir = join(tmpdir(), `slipvault-ocr-text-cache-${basename(root)}`);
const refresh = process.argv.includes('--refresh-ocr');
const groundTruth = process.argv.includes('--ground-truth');
const verbose = process.argv.includes('--verbose');

const SETS: { name: string; items: () => DatasetItem[]; languages: string; fields: FieldCheck[]; register: () => CustomerRecord[] }[] = [
  { name: 'receipts', items: receipts, languages: 'eng', fields: RECEIPT_FIELDS, register: () => [] },
  { name: 'receipts-val', items: receiptsVal, languages: 'eng', fields: RECEIPT_FIELDS, register: () => [] },
  { name: 'slips', items: slips, languages: 'chi_sim+eng', fields: SLIP_FIELDS, register: () => slipRegister(slips()) },
];
const setsIndex = process.argv.indexOf('--sets');
const chosen = setsIndex === -1 ? SETS.map((set) => set.name) : (process.argv[setsIndex + 1] ?? '').split(',');
const unknown = chosen.filter((name) => !SETS.some((set) => set.name === name));
if (unknown.length > 0) throw new Error(`--sets takes ${SETS.map((set) => set.name).join(', ')}; not ${unknown.join(', ')}`);

/** OCR text per file, from the cache or one run of the built CLI with bench:ocr's settings for the set. */
function ocrTexts(set: string, items: DatasetItem[], languages: string): Map<string, string> {
  const cache = join(cacheDir, `${set}.json`);
  if (!refresh && existsSync(cache)) return new Map(Object.entries(JSON.parse(readFileSync(cache, 'utf8')) as Record<string, string>));
  process.stderr.write(`${set}: OCR of ${items.length} images (cached in ${cache})…\n`);
  const stdout = execFileSync(
    process.execPath,
    [join(root, 'bin', 'slipvault.cjs'), '--json', 'ocr', ...items.map((item) => item.file), '--workers', '2', '--languages', languages],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const parsed = JSON.parse(stdout) as { file: string; pages: { text: string }[] } | { file: string; pages: { text: string }[] }[];
  const results = Array.isArray(parsed) ? parsed : [parsed];
  const texts = Object.fromEntries(results.map((result) => [resolve(result.file), result.pages.map((page) => page.text).join('\n')]));
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cache, JSON.stringify(texts));
  return new Map(Object.entries(texts));
}

const percent = (hits: number, count: number) => `${Math.round((100 * hits) / count)} %`;

const rows: string[] = [];
for (const { name: set, items: readItems, languages, fields, register: readRegister } of SETS.filter((candidate) => chosen.includes(candidate.name))) {
  const items = readItems();
  const register = readRegister();
  const texts = groundTruth ? new Map(items.map((item) => [resolve(item.file), item.groundTruth])) : ocrTexts(set, items, languages);
  const hits = new Map(fields.map((check) => [check.title, 0]));
  for (const item of items) {
    const text = texts.get(resolve(item.file)) ?? '';
    // `slipvault ocr`'s suggestions, knowing no customers; checks that need the register extract again with it.
    const results = checkFields(fields, register, item, text, extractSuggestions(text, { customers: [], documentTypes: [] }));
    const misses = results.filter((result) => !result.hit);
    for (const result of results) if (result.hit) hits.set(result.check.title, hits.get(result.check.title)! + 1);
    if (misses.length === 0) continue;
    console.log(`\n## ${set} ${item.name}`);
    for (const { check, want, suggested } of misses) {
      const got = suggested.map((suggestion) => `${suggestion.value} (${suggestion.confidence}: ${suggestion.evidence.replace(/\s+/g, ' ')})`);
      console.log(`${check.title}: want ${want}; got ${JSON.stringify(got)}`);
    }
    if (verbose) console.log(text);
  }
  const cells = fields.map((check) => `${check.title} ${percent(hits.get(check.title)!, items.length)} (${hits.get(check.title)})`);
  rows.push(`| ${set} | ${items.length} | ${cells.join('; ')} |`);
}
console.log(
  [
    '',
    `Text: ${groundTruth ? 'hand transcriptions (--ground-truth)' : 'OCR through the built CLI, cached per checkout'}`,
    '',
    '| set | images | fields top-1 |',
    '|---|---|---|',
    ...rows,
  ].join('\n'),
);
