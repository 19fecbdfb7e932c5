// Extraction misses: which receipts / slips do not get their labelled date and total as the TOP
// suggestion, and what was suggested instead. OCR runs once per set through the built CLI
// (`slipvault ocr --json` with the product's defaults, as bench:ocr) and its texts are cached outside the repository, so
// extraction rules can be iterated on the same texts in seconds.
// Usage: npm run build && npx tsx bench/extract-misses.ts [--refresh-ocr] [--verbose]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { extractSuggestions } from '../src/main/core/extract/suggest';
import { receipts, slips, type DatasetItem } from './ocr-datasets.mjs';

const root = resolve(import.meta.dirname, '..');
// One cache per checkout: engineers working in other worktrees on the same machine keep their own texts.
const cacheDir = join(tmpdir(), `slipvault-ocr-text-cache-${basename(root)}`);
const refresh = process.argv.includes('--refresh-ocr');
const verbose = process.argv.includes('--verbose');

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

const rows: string[] = [];
for (const [set, items, languages] of [
  ['receipts', receipts(), 'eng'],
  ['slips', slips(), 'chi_sim+eng'],
] as const) {
  const texts = ocrTexts(set, items, languages);
  let dateTop = 0;
  let totalTop = 0;
  for (const item of items) {
    const text = texts.get(resolve(item.file)) ?? '';
    const suggestions = extractSuggestions(text, { customers: [], documentTypes: [] });
    const values = (field: string) =>
      suggestions.filter((s) => s.field === field).map((s) => `${s.value} (${s.confidence}: ${s.evidence.replace(/\s+/g, ' ')})`);
    const top = (field: string) => suggestions.find((s) => s.field === field)?.value;
    const dateHit = top('signedDate') === item.date;
    const totalHit = top('amount') === item.total;
    dateTop += dateHit ? 1 : 0;
    totalTop += totalHit ? 1 : 0;
    if (!dateHit || !totalHit) {
      console.log(`\n## ${set} ${item.file.split('/').pop()}`);
      if (!dateHit) console.log(`date: want ${item.date}; got ${JSON.stringify(values('signedDate'))}`);
      if (!totalHit) console.log(`total: want ${item.total}; got ${JSON.stringify(values('amount'))}`);
      if (verbose) console.log(text);
    }
  }
  rows.push(`| ${set} | ${items.length} | ${Math.round((100 * dateTop) / items.length)} % | ${Math.round((100 * totalTop) / items.length)} % |`);
}
console.log(['', '| set | images | date top | total top |', '|---|---|---|---|', ...rows].join('\n'));
