/**
 * `npm run bench:owner [-- --n 5000 --calls 300]`: what it costs the desktop window that the archive runs in
 * an owner process of its own (src/main/owner/launcher.ts) instead of in the process that asks. On one
 * synthetic archive (bench/search-corpus.ts) it measures the round trip of the same calls
 *   - in-process: a connection of the core's Api in this process, as the app's main process had it;
 *   - owner process: a connection over the owner socket to a forked dist/main/owner.cjs, as the window has now;
 * for `auth:status` (the transport alone), `documents:list` (a page of 100) and `search:query` (a page of 20
 * of a two-character Chinese query), one call at a time. The two run on two copies of the archive at the same
 * time, their calls taking turns, so that load from other work on the machine falls on both alike. Then how
 * long the owner process takes from fork to serving, and to stop. Writes bench/results/owner-process.md and
 * owner-process.json.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallResult, Method } from '../src/shared/contract';
import { createApi } from '../src/main/core/api';
import { initArchive, openArchive } from '../src/main/core/archive';
import { launchOwner } from '../src/main/owner/launcher';
import { generateCorpus } from './search-corpus';
import { loadCorpus } from './search-fixture';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] ?? 0) || fallback;
const count = option('n', 5_000);
const callsPerMethod = option('calls', 300);
const starts = option('starts', 5);
const USER = { username: 'bench', password: 'bench password 1234' };
const QUERY = '送货';
const CALLS: { method: Method; input: unknown }[] = [
  { method: 'auth:status', input: {} },
  { method: 'documents:list', input: { limit: 100 } },
  { method: 'search:query', input: { query: QUERY, limit: 20 } },
];

type Invoke = (method: Method, input: unknown) => Promise<CallResult<Method>>;
type Summary = { p50: number; p95: number; max: number };

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function summary(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted.at(-1)!) };
}

async function timed(invoke: Invoke, method: Method, input: unknown): Promise<number> {
  const started = performance.now();
  const result = await invoke(method, input);
  const elapsed = performance.now() - started;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.message}`);
  return elapsed;
}

/** Round trips of each call on each side, taking turns, after a few unmeasured ones (statement caches, the JIT). */
async function measureCalls(sides: Invoke[]): Promise<Record<string, Summary>[]> {
  const results: Record<string, Summary>[] = sides.map(() => ({}));
  for (const { method, input } of CALLS) {
    for (let i = 0; i < 20; i += 1) for (const invoke of sides) await invoke(method, input);
    const samples: number[][] = sides.map(() => []);
    for (let i = 0; i < callsPerMethod; i += 1) {
      for (const [side, invoke] of sides.entries()) samples[side]!.push(await timed(invoke, method, input));
    }
    samples.forEach((taken, side) => (results[side]![method] = summary(taken)));
  }
  return results;
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), `slipvault-bench-owner-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const archiveDir = join(dir, 'archive');
  try {
    console.error(`generating and indexing ${count} documents…`);
    const setup = await initArchive(archiveDir, { actor: 'bench' });
    loadCorpus(setup.connection.sqlite, generateCorpus(count));
    setup.search.reindex(() => undefined, { restart: true });
    await setup.accounts.setup(USER);
    setup.close();
    const copyDir = join(dir, 'archive-copy');
    cpSync(archiveDir, copyDir, { recursive: true });

    console.error('round trips, in-process and through the owner process in turns…');
    const archive = await openArchive(copyDir, { program: 'bench:owner' });
    const api = createApi(archive);
    const inProcessClient = api.connect();
    await inProcessClient.invoke('auth:login', USER);
    const measured = await launchOwner(archiveDir, { program: 'bench:owner' });
    const connection = await measured.connect();
    await connection.invoke('auth:login', USER);
    const [inProcess, ownerProcess] = (await measureCalls([
      (method, input) => inProcessClient.invoke(method, input),
      (method, input) => connection.invoke(method, input),
    ])) as [Record<string, Summary>, Record<string, Summary>];
    connection.close();
    await measured.close();
    await api.dispose();
    archive.close();

    console.error('owner process start and stop…');
    const startMs: number[] = [];
    const stopMs: number[] = [];
    for (let i = 0; i < starts; i += 1) {
      const started = performance.now();
      const owner = await launchOwner(archiveDir, { program: 'bench:owner' });
      startMs.push(performance.now() - started);
      const stopping = performance.now();
      await owner.close();
      stopMs.push(performance.now() - stopping);
    }

    const result = {
      documents: count,
      callsPerMethod,
      query: QUERY,
      inProcess,
      ownerProcess,
      ownerStartMs: summary(startMs),
      ownerStopMs: summary(stopMs),
      node: process.version,
      cpus: cpus().length,
      /** The machine's 1-minute load average when the measurements ended: above the CPU count, other work competed. */
      loadAverage: round(loadavg()[0]!, 1),
    };
    const row = (method: string) => {
      const here = inProcess[method]!;
      const there = ownerProcess[method]!;
      return `| \`${method}\` | ${here.p50} | ${here.p95} | ${there.p50} | ${there.p95} | +${round(there.p50 - here.p50)} |`;
    };
    const markdown = [
      `# bench:owner — ${count.toLocaleString('en')} documents, ${callsPerMethod} calls each, one at a time`,
      '',
      'Round trip of a contract call in milliseconds: through a connection of the core in the calling process (how the',
      "app's main process used the archive) against the owner socket of a forked owner process (how the window reaches it now),",
      'on two copies of the archive at the same time, the calls taking turns.',
      '',
      '| call | in-process p50 | in-process p95 | owner process p50 | owner process p95 | added at p50 |',
      '|---|---|---|---|---|---|',
      ...CALLS.map(({ method }) => row(method)),
      '',
      `Owner process from fork to serving (Node start, archive open, socket): p50 ${result.ownerStartMs.p50} ms, max ${result.ownerStartMs.max} ms over ${starts} starts; stop (calls finished, archive closed, exit): p50 ${result.ownerStopMs.p50} ms.`,
      '',
      `\`search:query\` is "${QUERY}", a page of 20; \`documents:list\` a page of 100. Node ${process.version}, ${result.cpus} CPUs, load average ${result.loadAverage} when it ended: with other work competing, the p95 columns are mostly that work.`,
      '',
    ].join('\n');
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'owner-process.md'), markdown);
    writeFileSync(join(out, 'owner-process.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(markdown);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
