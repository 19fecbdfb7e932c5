/**
 * `npm run bench:search-cjk [-- --n 50000]`: the measurement behind the CJK technique (text-units.ts).
 * The same generated slip text is indexed three ways — one token per CJK character, CJK bigrams (ours),
 * and SQLite's trigram tokenizer — and 1-, 2- and 4-character Chinese queries are timed on each
 * (page of 20 by rank + count of all matches). Writes bench/results/search-cjk.md and .json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeForIndex, normaliseText } from '../src/main/core/search/text-units';
import { generateCorpus, rng } from './search-corpus';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--n') + 1] ?? 0) || 50_000;
const CJK_CHAR = /[\u3400-\u9fff]/u;

const unigrams = (text: string) => [...normaliseText(text)].map((char) => (CJK_CHAR.test(char) ? ` ${char} ` : char)).join('');

interface Technique {
  name: string;
  create: string;
  encode: (text: string) => string;
  /** The SQL and parameter answering "documents containing `query`". */
  search: (query: string) => { where: string; param: string };
}

const TECHNIQUES: Technique[] = [
  {
    name: 'unigram (1 token per character, phrase queries)',
    create: "CREATE VIRTUAL TABLE t USING fts5(body, content='', tokenize='unicode61')",
    encode: unigrams,
    search: (query) => ({ where: 't MATCH ?', param: [...query].map((char) => `"${char}"`).join(' + ') }),
  },
  {
    name: 'bigram + run-final character (ours)',
    create: "CREATE VIRTUAL TABLE t USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    encode: encodeForIndex,
    search: (query) => ({
      where: 't MATCH ?',
      param: query.length === 1 ? `"${query}" *` : Array.from({ length: query.length - 1 }, (_, k) => `"${query.slice(k, k + 2)}"`).join(' + '),
    }),
  },
  {
    name: 'trigram tokenizer (LIKE below 3 characters)',
    create: "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='trigram')",
    encode: normaliseText,
    search: (query) => (query.length >= 3 ? { where: 't MATCH ?', param: `"${query}"` } : { where: 'body LIKE ?', param: `%${query}%` }),
  },
];

const round = (value: number) => Math.round(value * 100) / 100;

function main(): void {
  const corpus = generateCorpus(count);
  const texts = corpus.documents.map((doc) => [doc.title, doc.notes, ...doc.pages].join('\n'));
  const random = rng(11);
  const chinese =
    texts
      .slice(0, 2000)
      .join('')
      .match(/[\u3400-\u9fff]{4,}/gu) ?? [];
  const sample = (length: number) =>
    Array.from({ length: 30 }, () => {
      const run = chinese[Math.floor(random() * chinese.length)]!;
      const start = Math.floor(random() * (run.length - length + 1));
      return run.slice(start, start + length);
    });
  const queries = { '1 char': sample(1), '2 chars': sample(2), '4 chars': sample(4) };
  const rows: Record<string, unknown>[] = [];
  for (const technique of TECHNIQUES) {
    const db = new Database(':memory:');
    db.exec(technique.create);
    const insert = db.prepare('INSERT INTO t (rowid, body) VALUES (?, ?)');
    const started = performance.now();
    db.transaction(() => texts.forEach((text, index) => insert.run(index + 1, technique.encode(text))))();
    const buildSeconds = (performance.now() - started) / 1000;
    const bytes = (db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 't%'").pluck().get() as number) ?? 0;
    const row: Record<string, unknown> = { technique: technique.name, buildDocsPerSecond: Math.round(count / buildSeconds), indexMiB: round(bytes / 2 ** 20) };
    for (const [label, list] of Object.entries(queries)) {
      const times = list.map((query) => {
        const { where, param } = technique.search(query);
        const page = db.prepare(`SELECT rowid FROM t WHERE ${where} ${where.includes('MATCH') ? 'ORDER BY rank' : ''} LIMIT 20`);
        const total = db.prepare(`SELECT count(*) FROM t WHERE ${where}`).pluck();
        const t0 = performance.now();
        page.all(param);
        total.get(param);
        return performance.now() - t0;
      });
      times.sort((a, b) => a - b);
      row[`${label} p50`] = round(times[Math.floor(times.length / 2)]!);
      row[`${label} p95`] = round(times[Math.ceil(times.length * 0.95) - 1]!);
    }
    rows.push(row);
    db.close();
  }
  const columns = Object.keys(rows[0]!);
  const table = [
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${columns.map((column) => String(row[column])).join(' | ')} |`),
  ].join('\n');
  const markdown = `# bench:search-cjk — ${count.toLocaleString('en')} documents, body text only\n\nLatency in ms per query (page of 20 by rank + count of all matches), 30 queries per length taken from the corpus.\n\n${table}\n`;
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'search-cjk.md'), markdown);
  writeFileSync(join(out, 'search-cjk.json'), `${JSON.stringify({ documents: count, rows }, null, 2)}\n`);
  console.log(markdown);
}

main();
