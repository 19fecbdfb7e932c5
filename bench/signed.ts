/**
 * bench:signed — precision and recall of the signed check (src/main/core/signature, docs/signed-check.md).
 *
 * Sets:
 * - generated pairs: the same page unsigned and signed (blue or black stroke, seal ring, or both; some with
 *   red printed text, some grayscale JPEG), drawn by tests/helpers/signed-pages.ts;
 * - ../shared/datasets/slips: real-looking scans; manifest.jsonl's `degrade.sig` / `degrade.seal` say what
 *   each carries. Every slip there carries one or the other, so on the slips only recall says anything about
 *   "signed"; the signature and seal findings are scored separately too (each has negatives there).
 * Thresholds were tuned on the generated pairs and the even-numbered slips ("tune"); the odd-numbered slips
 * ("confirm") were only measured. The detector runs on pixels alone here — no OCR words, so no printed-text
 * mask and no signature-label boost: the harder case. Target: precision and recall of "signed" ≥ 0.95.
 *
 * Usage: npm run bench:signed   (writes bench/results/signed.json and signed.md)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { detectSignedPage, type Detection } from '../src/main/core/signature/detect';
import { ANALYSIS_SIDE, rgbOf } from '../src/main/core/signature/page-raster';
import { signedPage, type SignedPageOptions } from '../tests/helpers/signed-pages';

const SLIPS = join(__dirname, '..', '..', 'shared', 'datasets', 'slips');
const RESULTS = join(__dirname, 'results');
const PAIRS = 40;

interface Case {
  set: 'generated' | 'slips-tune' | 'slips-confirm';
  name: string;
  /** `gray`: a grayscale page, where a seal has no red to find. */
  truth: { signature: boolean; seal: boolean; gray: boolean };
  found: Detection;
  ms: number;
}

async function detect(bytes: Buffer): Promise<{ found: Detection; ms: number }> {
  const started = performance.now();
  const raster = await rgbOf(sharp(bytes).rotate().resize({ width: ANALYSIS_SIDE, height: ANALYSIS_SIDE, fit: 'inside', withoutEnlargement: true }));
  const found = detectSignedPage(raster);
  return { found, ms: performance.now() - started };
}

async function generatedCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const kind = pair % 4;
    const base: SignedPageOptions = { seed: 1000 + pair, signature: false, seal: false, redText: pair % 3 === 0, gray: pair % 5 === 1 };
    const signed: SignedPageOptions = { ...base, signature: kind !== 2, seal: kind >= 2, ink: kind === 1 ? 'black' : 'blue' };
    for (const options of [base, signed]) {
      const { found, ms } = await detect(await signedPage(options));
      const name = `pair-${pair}-${options.signature || options.seal ? 'signed' : 'unsigned'}`;
      cases.push({ set: 'generated', name, truth: { signature: options.signature, seal: options.seal, gray: options.gray === true }, found, ms });
    }
  }
  return cases;
}

async function slipCases(): Promise<Case[]> {
  const cases: Case[] = [];
  const manifest = readFileSync(join(SLIPS, 'manifest.jsonl'), 'utf8').trim().split('\n');
  for (const [index, line] of manifest.entries()) {
    const slip = JSON.parse(line) as { name: string; file: string; degrade: { sig: boolean; seal: boolean; gray: boolean } };
    const { found, ms } = await detect(readFileSync(join(SLIPS, slip.file)));
    cases.push({
      set: index % 2 === 0 ? 'slips-tune' : 'slips-confirm',
      name: slip.name,
      truth: { signature: slip.degrade.sig, seal: slip.degrade.seal, gray: slip.degrade.gray },
      found,
      ms,
    });
  }
  return cases;
}

interface Score {
  n: number;
  positives: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
}

function score(cases: Case[], truth: (c: Case) => boolean, found: (c: Case) => boolean): Score {
  const tp = cases.filter((c) => truth(c) && found(c)).length;
  const fp = cases.filter((c) => !truth(c) && found(c)).length;
  const fn = cases.filter((c) => truth(c) && !found(c)).length;
  return {
    n: cases.length,
    positives: tp + fn,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
  };
}

const signedTruth = (c: Case) => c.truth.signature || c.truth.seal;
const format = (value: number | null) => (value === null ? '—' : value.toFixed(3));

async function main(): Promise<void> {
  const cases = [...(await generatedCases()), ...(await slipCases())];
  const sets = ['generated', 'slips-tune', 'slips-confirm'] as const;
  const table = sets.flatMap((set) => {
    const of = cases.filter((c) => c.set === set);
    return [
      { set, finding: 'signed', ...score(of, signedTruth, (c) => c.found.signed) },
      {
        set,
        finding: 'signature',
        ...score(
          of,
          (c) => c.truth.signature,
          (c) => c.found.signature,
        ),
      },
      // A seal is found by its red: scored on the colour pages only.
      {
        set,
        finding: 'seal (colour pages)',
        ...score(
          of.filter((c) => !c.truth.gray),
          (c) => c.truth.seal,
          (c) => c.found.seal,
        ),
      },
    ];
  });
  const slips = cases.filter((c) => c.set !== 'generated');
  const all = { set: 'slips (all 20)', finding: 'signed', ...score(slips, signedTruth, (c) => c.found.signed) };
  const ms = cases.map((c) => c.ms).sort((a, b) => a - b);
  const misses = cases.filter((c) => signedTruth(c) !== c.found.signed).map((c) => ({ set: c.set, name: c.name, truth: c.truth, found: c.found }));
  const lines = [
    '# bench:signed',
    '',
    `Signed check on pixels alone (no OCR words), analysed at ≤ ${ANALYSIS_SIDE} px; ${PAIRS} generated pairs, 20 slips.`,
    `Time per page (decode + analysis): median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms.`,
    '',
    '| set | finding | pages | positives | TP | FP | FN | precision | recall |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...table, all].map(
      (row) =>
        `| ${row.set} | ${row.finding} | ${row.n} | ${row.positives} | ${row.tp} | ${row.fp} | ${row.fn} | ${format(row.precision)} | ${format(row.recall)} |`,
    ),
    '',
    '"signed" is a signature or a seal. The seal row counts colour pages only: on a grayscale scan a seal has no red left.',
    '',
    misses.length === 0 ? 'No page answered wrongly on "signed".' : `Wrong on "signed": ${misses.map((m) => `${m.set}/${m.name}`).join(', ')}.`,
    '',
  ];
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'signed.md'), lines.join('\n'));
  writeFileSync(
    join(RESULTS, 'signed.json'),
    `${JSON.stringify({ analysisSide: ANALYSIS_SIDE, pairs: PAIRS, table: [...table, all], medianMs: ms[Math.floor(ms.length / 2)], misses }, null, 2)}\n`,
  );
  console.log(lines.join('\n'));
}

void main();
