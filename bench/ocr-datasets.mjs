// The OCR benchmarks' datasets and scoring, in one place for bench:ocr, bench:deskew and extract-misses:
// ../shared/datasets/receipts and receipts-val (SROIE, English, labelled date and total; tune on the first,
// confirm on the second), ../shared/datasets/slips (synthetic zh/en slips with their fields) and
// ../shared/datasets/zh-docs (real Chinese documents, text only). Plain .mjs so plain node can import it too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const datasets = resolve(import.meta.dirname, '..', '..', 'shared', 'datasets');

function levenshtein(a, b) {
  const left = Array.from(a);
  const right = Array.from(b);
  let previous = Array.from({ length: right.length + 1 }, (_, i) => i);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[right.length];
}

const normalise = (text) =>
  text
    .toUpperCase()
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');

/** Issue #3's CER: Levenshtein / reference length after upper-casing, collapsing spaces, dropping empty lines. */
export const cer = (hypothesis, reference) => levenshtein(normalise(hypothesis), normalise(reference)) / Math.max(1, Array.from(normalise(reference)).length);

const withoutSpaces = (text) => Array.from(text.normalize('NFKC').toUpperCase().replace(/\s+/gu, ''));
/** zh-docs' CER (its README): NFKC, upper-cased, every whitespace removed, so layout spacing does not count. */
export const cerWithoutSpaces = (hypothesis, reference) =>
  levenshtein(withoutSpaces(hypothesis).join(''), withoutSpaces(reference).join('')) / Math.max(1, withoutSpaces(reference).length);

export const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** The labels' own formats: 25/12/2018, 14-02-2018, 29-01-18, 2018-01-05, 2018/02/22, 05 MAR 2018, 24-MAR-2018. */
function labelDate(label) {
  const pad = (n) => String(n).padStart(2, '0');
  const year = (y) => (y.length === 2 ? `20${y}` : y);
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(label.trim());
  if (m) return `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(label.trim());
  if (m) return `${year(m[3])}-${pad(m[2])}-${pad(m[1])}`;
  m = /^(\d{1,2})[\s-]+([A-Z]{3})[A-Z]*[\s-]+(\d{2,4})$/i.exec(label.trim());
  if (m) return `${year(m[3])}-${pad(MONTHS.indexOf(m[2].toUpperCase()) + 1)}-${pad(m[1])}`;
  return null;
}
const labelAmount = (label) => Number(String(label).replace(/[^\d.]/g, '')).toFixed(2);

/** ../shared/datasets/receipts, the set the pipeline is tuned on. */
export const receipts = () => sroie('receipts');
/** ../shared/datasets/receipts-val, disjoint SROIE receipts that confirm a change generalises. */
export const receiptsVal = () => sroie('receipts-val');

function sroie(folder) {
  const dir = join(datasets, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => {
      const stem = name.replace(/\.jpg$/, '');
      const key = JSON.parse(readFileSync(join(dir, `${stem}.key.json`), 'utf8'));
      return {
        name,
        stem,
        file: join(dir, name),
        mime: 'image/jpeg',
        groundTruth: readFileSync(join(dir, `${stem}.gt.txt`), 'utf8'),
        date: labelDate(key.date),
        total: labelAmount(key.total),
      };
    });
}

export function slips() {
  const dir = join(datasets, 'slips');
  return readdirSync(dir)
    .filter((name) => /^slip-\d+\.(png|jpg)$/.test(name))
    .sort()
    .map((name) => {
      const stem = name.replace(/\.(png|jpg)$/, '');
      const fields = JSON.parse(readFileSync(join(dir, `${stem}.fields.json`), 'utf8'));
      return {
        name,
        stem,
        file: join(dir, name),
        mime: name.endsWith('.png') ? 'image/png' : 'image/jpeg',
        groundTruth: readFileSync(join(dir, `${stem}.gt.txt`), 'utf8'),
        date: fields.date,
        total: Number(fields.amount).toFixed(2),
        slipNo: fields.slipNo,
        customer: fields.customer,
        signer: fields.signer,
        lang: fields.lang,
      };
    });
}

/** ../shared/datasets/zh-docs: real Chinese documents with transcriptions, no labelled fields. */
export function zhDocs() {
  const dir = join(datasets, 'zh-docs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => {
      const stem = name.replace(/\.jpg$/, '');
      return { name, stem, file: join(dir, name), mime: 'image/jpeg', groundTruth: readFileSync(join(dir, `${stem}.gt.txt`), 'utf8'), date: null, total: null };
    });
}
