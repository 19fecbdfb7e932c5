/**
 * `npm run bench:server [-- --db postgres,sqlite --documents 100000 --seconds 60 --clients 20 --images 100]`: the
 * SlipVault server under an office's load. A real `slipvault serve --listen 127.0.0.1:0` process serves an
 * archive of N generated documents and some imported page images (bench/server-fixture.ts), stored in PostgreSQL
 * (`--db postgres`, the default: the archive is copied onto a throwaway cluster and served with `serve --db URL
 * --files DIR`, bench/server-storage.ts) or in its SQLite folder (`--db sqlite`); a list
 * measures each in turn on the same generated archive. C clients, each a TLS connection of its own logged in as its
 * own clerk, run for S seconds a mix of 70 % searches (bench:search's query mix), 20 % opening a document and its
 * first page (the document, the page's recorded view, the page's words, the page image through `blobs:read`), and
 * 10 % edits and filings (an edit always names the version it read; EDIT_CONFLICT is the server refusing a save over
 * another clerk's newer version, counted apart: correct behaviour, not an error).
 * Afterwards `slipvault check` runs as a client of the server, the server is stopped, the audit chain is verified
 * on the storage itself, and every acknowledged edit and filing must be a new version there.
 *
 * Prints a table; writes bench/results/server.json and .md.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Archive } from '../src/main/core/archive';
import { connectToServer } from '../src/main/network/remote-client';
import type { OwnerConnection } from '../src/main/owner/framed-client';
import { FILE_PIECE_BYTES, type CallResult, type InputOf, type OutputOf } from '../src/shared/contract';
import type { CheckReport } from '../src/shared/model';
import { CLI_BIN } from '../tests/helpers/cli';
import { startServer, type RunningServer } from '../tests/helpers/network-server';
import { TEST_PASSWORD } from '../tests/helpers/sessions';
import { ADMIN, buildServerArchive, type ServerArchive } from './server-fixture';
import { parseBackEnds, postgresStorage, sqliteStorage, type BackEndName, type BenchStorage } from './server-storage';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(`--${name}`) + 1] ?? 0) || fallback;
const DOCUMENTS = option('documents', 100_000);
const SECONDS = option('seconds', 60);
const CLIENTS = option('clients', 20);
const IMAGES = option('images', 100);

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

type Operation = 'search' | 'open' | 'edit/file';
const CALLS = ['search:query', 'documents:get', 'audit:recordView', 'ocr:page', 'blobs:read', 'documents:edit', 'inbox:file'] as const;
type TimedCall = (typeof CALLS)[number];

interface Tally {
  latencies: Record<TimedCall | Operation, number[]>;
  operations: Record<Operation, number>;
  conflicts: number;
  errors: Map<string, { count: number; example: string }>;
  /** Edits and filings the server acknowledged; each must be a version in the archive afterwards. */
  acknowledged: { edits: number; filings: number };
}

function emptyTally(): Tally {
  const latencies = Object.fromEntries([...CALLS, 'search', 'open', 'edit/file'].map((name) => [name, [] as number[]])) as Tally['latencies'];
  return { latencies, operations: { search: 0, open: 0, 'edit/file': 0 }, conflicts: 0, errors: new Map(), acknowledged: { edits: 0, filings: 0 } };
}

class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One simulated clerk at a workstation: its own TLS connection and login, calls one after another. */
class Workstation {
  constructor(
    private readonly connection: OwnerConnection,
    private readonly tally: Tally,
    private readonly random: () => number,
  ) {}

  async call<M extends TimedCall>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const started = performance.now();
    const result = (await this.connection.invoke(method, input)) as CallResult<M>;
    this.tally.latencies[method].push(performance.now() - started);
    if (!result.ok) throw new Refused(result.error.code, `${method}: ${result.error.message}`);
    return result.value;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  async search(archive: ServerArchive): Promise<void> {
    await this.call('search:query', { query: this.pick(archive.queries), limit: 20 });
  }

  async open(archive: ServerArchive): Promise<void> {
    const ref = this.pick(archive.documents);
    const document = await this.call('documents:get', { ref });
    const page = document.pages[0];
    if (!page) return;
    await this.call('audit:recordView', { ref, pageId: page.pageId, action: 'view' });
    await this.call('ocr:page', { ref, pageId: page.pageId });
    // The page image, as a window working on the server reads it: piece by piece through the contract.
    for (let offset = 0, total = 1; offset < total; offset += FILE_PIECE_BYTES) {
      total = (await this.call('blobs:read', { sha256: page.blobHash, offset, length: FILE_PIECE_BYTES })).total;
    }
  }

  /** Half the time files a scan from the shared inbox while there are any; else edits a document others are editing too. */
  async editOrFile(archive: ServerArchive, username: string, sequence: number): Promise<void> {
    const scan = this.random() < 0.5 ? archive.inbox.pop() : undefined;
    if (scan !== undefined) {
      await this.call('inbox:file', { ref: scan, changes: { type: 'other', title: `filed by ${username}` }, acceptSuggestions: false });
      this.tally.acknowledged.filings += 1;
      return;
    }
    const ref = this.pick(archive.editable);
    const document = await this.call('documents:get', { ref });
    await this.call('documents:edit', { ref, changes: { notes: `checked by ${username} (${sequence})` }, baseVersion: document.currentVersion });
    this.tally.acknowledged.edits += 1;
  }
}

/** A small deterministic generator per client, so runs draw the same mix. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function runClient(
  archive: ServerArchive,
  address: { port: number; fingerprint: string },
  username: string,
  index: number,
  deadline: number,
  tally: Tally,
): Promise<void> {
  const connection = await connectToServer({ host: '127.0.0.1', port: address.port }, address.fingerprint);
  try {
    const login = await connection.invoke('auth:login', { username, password: TEST_PASSWORD });
    if (!login.ok) throw new Error(`login as ${username} failed: ${login.error.message}`);
    const random = seeded(1000 + index);
    const station = new Workstation(connection, tally, random);
    for (let sequence = 1; performance.now() < deadline; sequence += 1) {
      const draw = random();
      const operation: Operation = draw < 0.7 ? 'search' : draw < 0.9 ? 'open' : 'edit/file';
      const started = performance.now();
      try {
        if (operation === 'search') await station.search(archive);
        else if (operation === 'open') await station.open(archive);
        else await station.editOrFile(archive, username, sequence);
        tally.latencies[operation].push(performance.now() - started);
        tally.operations[operation] += 1;
      } catch (error) {
        if (error instanceof Refused && error.code === 'EDIT_CONFLICT') {
          tally.conflicts += 1;
          continue;
        }
        const key = error instanceof Refused ? error.code : 'EXCEPTION';
        const entry = tally.errors.get(key) ?? { count: 0, example: (error as Error).message };
        entry.count += 1;
        tally.errors.set(key, entry);
      }
    }
  } finally {
    connection.close();
  }
}

interface AfterRun {
  check: { ok: boolean; problems: string[]; counts: CheckReport['counts'] | null; exitCode: number };
  auditChain: { events: number; head: string; broken: string[] };
  /** Versions written during the run: one per acknowledged edit or filing, no more, no fewer. */
  newVersions: number;
}

/** `slipvault --server … check` as a real process, a client of the server like the clerks (the server still runs). */
function checkThroughServer(server: RunningServer, configDir: string): AfterRun['check'] {
  const run = spawnSync(process.execPath, [CLI_BIN, '--server', server.url, '--fingerprint', server.fingerprint, '--json', 'check'], {
    encoding: 'utf8',
    env: { ...process.env, SLIPVAULT_USER: ADMIN, SLIPVAULT_PASSWORD: TEST_PASSWORD, SLIPVAULT_CONFIG_DIR: configDir },
    maxBuffer: 64 * 2 ** 20,
  });
  const report = JSON.parse(run.stdout || '{}') as Partial<CheckReport>;
  return {
    ok: run.status === 0 && report.ok === true,
    problems: (report.problems ?? []).map((problem) => problem.message).concat(run.status === 0 ? [] : [run.stderr.trim()].filter(Boolean)),
    counts: report.counts ?? null,
    exitCode: run.status ?? -1,
  };
}

const versionCount = (archive: Archive) => archive.connection.sqlite.prepare('SELECT count(*) FROM document_versions').pluck().get() as number;

/** Opens the stored archive in this process (no server holding it) and reads from it. */
async function readStored<T>(storage: BenchStorage, read: (archive: Archive) => T): Promise<T> {
  const archive = await storage.open();
  try {
    return read(archive);
  } finally {
    archive.close();
  }
}

interface BackEndRun {
  storage: BackEndName;
  label: string;
  serverVersion: string | null;
  moveSeconds: number;
  seconds: number;
  operations: Tally['operations'];
  operationsPerSecond: number;
  latencyMs: { name: string; count: number; perSecond: number; p50: number; p95: number; p99: number }[];
  editConflicts: number;
  errors: { code: string; count: number; example: string }[];
  errorCount: number;
  acknowledged: Tally['acknowledged'];
  afterwards: AfterRun & { serverExitCode: number | null; inboxFiled: string };
  loadAtStart: number;
  loadDuring: number[];
  /** Whatever failed: an error, check, the chain, or an acknowledged write missing. */
  failed: boolean;
}

async function measure(storage: BenchStorage, fixture: ServerArchive, root: string, log: (line: string) => void): Promise<BackEndRun> {
  const versionsBefore = await readStored(storage, versionCount);
  // Every run files from the inbox as the fixture left it.
  const archive: ServerArchive = { ...fixture, inbox: [...fixture.inbox] };
  log(`${storage.label}: starting slipvault serve --listen 127.0.0.1:0…`);
  const server = await startServer(storage.served);
  const tally = emptyTally();
  const loadAtStart = loadavg()[0]!;
  log(`${storage.label}: ${CLIENTS} clients for ${SECONDS} s…`);
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]!), 5000);
  let check: AfterRun['check'];
  let stopCode: number | null;
  let elapsed = 0;
  try {
    try {
      await Promise.all(archive.clerks.map((clerk, index) => runClient(archive, server, clerk, index, deadline, tally)));
    } finally {
      clearInterval(sampler);
    }
    elapsed = (performance.now() - started) / 1000;
    log(`${storage.label}: slipvault check through the server…`);
    const configDir = join(root, `workstation-${storage.name}`);
    mkdirSync(configDir, { recursive: true });
    check = checkThroughServer(server, configDir);
  } finally {
    stopCode = await server.stop();
  }
  log(`${storage.label}: audit chain and versions…`);
  const stored = await readStored(storage, (opened) => {
    const head = opened.audit.head();
    return {
      auditChain: { events: head.seq, head: head.hash, broken: opened.audit.verify().map((problem) => `event ${problem.seq}: ${problem.message}`) },
      newVersions: versionCount(opened) - versionsBefore,
    };
  });

  const rows = (Object.keys(tally.latencies) as (TimedCall | Operation)[]).map((name) => {
    const sorted = [...tally.latencies[name]].sort((a, b) => a - b);
    return {
      name,
      count: sorted.length,
      perSecond: round(sorted.length / elapsed),
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      p99: round(percentile(sorted, 99)),
    };
  });
  const errors = [...tally.errors.entries()].map(([code, entry]) => ({ code, ...entry }));
  const errorCount = errors.reduce((sum, entry) => sum + entry.count, 0);
  const totalOperations = Object.values(tally.operations).reduce((sum, count) => sum + count, 0);
  const lost = stored.newVersions !== tally.acknowledged.edits + tally.acknowledged.filings;
  return {
    storage: storage.name,
    label: storage.label,
    serverVersion: storage.version,
    moveSeconds: round(storage.moveSeconds),
    seconds: round(elapsed),
    operations: tally.operations,
    operationsPerSecond: round(totalOperations / elapsed),
    latencyMs: rows,
    editConflicts: tally.conflicts,
    errors,
    errorCount,
    acknowledged: tally.acknowledged,
    afterwards: { check, ...stored, serverExitCode: stopCode, inboxFiled: `${fixture.inbox.length - archive.inbox.length}/${fixture.inbox.length}` },
    loadAtStart: round(loadAtStart, 2),
    loadDuring: loads.map((load) => round(load, 2)),
    failed: errorCount > 0 || !check.ok || stored.auditChain.broken.length > 0 || lost,
  };
}

function describeRun(run: BackEndRun): string[] {
  const after = run.afterwards;
  const lost = after.newVersions !== run.acknowledged.edits + run.acknowledged.filings;
  const table = [
    '| call | count | per s | p50 ms | p95 ms | p99 ms |',
    '|---|---|---|---|---|---|',
    ...run.latencyMs.map((row) => `| ${row.name} | ${row.count} | ${row.perSecond} | ${row.p50} | ${row.p95} | ${row.p99} |`),
  ].join('\n');
  const storedIn =
    run.storage === 'postgres'
      ? `\`slipvault serve --db postgres://… --files DIR\`: rows in PostgreSQL ${run.serverVersion} (a throwaway cluster on 127.0.0.1, default settings), files in a folder; the archive was copied there in ${run.moveSeconds} s (rows with \`slipvault migrate\`'s copy, files, the search index built on PostgreSQL).`
      : '`slipvault serve --archive DIR`: the archive folder with its SQLite database.';
  return [
    `## ${run.label}`,
    '',
    storedIn,
    '',
    `**Throughput: ${run.operationsPerSecond} operations/s** (${run.operations.search} searches, ${run.operations.open} opens, ${run.operations['edit/file']} edits/filings in ${run.seconds} s).`,
    `Errors: **${run.errorCount}**${run.errors.length ? ` (${run.errors.map((entry) => `${entry.code} ×${entry.count}: ${entry.example}`).join('; ')})` : ''}. Edit conflicts refused (correct behaviour): ${run.editConflicts}.`,
    '',
    table,
    '',
    `Afterwards: \`slipvault check\` ${after.check.ok ? 'passed' : `FAILED (exit ${after.check.exitCode}; ${after.check.problems.length} problem(s): ${after.check.problems.slice(0, 3).join('; ')})`}` +
      (after.check.counts
        ? ` (${after.check.counts.documents} documents, ${after.check.counts.versions} versions, ${after.check.counts.auditEvents} audit events)`
        : '') +
      `; audit chain ${after.auditChain.broken.length === 0 ? 'unbroken' : `BROKEN at ${after.auditChain.broken[0]}`}, ${after.auditChain.events} events, head \`${after.auditChain.head}\`;` +
      ` ${run.acknowledged.edits} edits and ${run.acknowledged.filings} filings acknowledged, ${after.newVersions} new versions in the archive${lost ? ' — MISMATCH' : ''}.`,
    `Load average ${run.loadAtStart} at the start, ${run.loadDuring.length ? `${round(Math.min(...run.loadDuring), 2)}–${round(Math.max(...run.loadDuring), 2)}` : 'not sampled'} during the run.`,
    '',
  ];
}

/** p50 / p95 of each call on every back end measured, side by side. */
function comparison(runs: BackEndRun[]): string[] {
  if (runs.length < 2) return [];
  const names = runs[0]!.latencyMs.map((row) => row.name);
  const cell = (run: BackEndRun, name: string) => {
    const row = run.latencyMs.find((entry) => entry.name === name)!;
    return `${row.p50} / ${row.p95}`;
  };
  return [
    '## Side by side',
    '',
    `| | ${runs.map((run) => run.label).join(' | ')} |`,
    `|---|${runs.map(() => '---').join('|')}|`,
    `| operations/s | ${runs.map((run) => run.operationsPerSecond).join(' | ')} |`,
    `| errors | ${runs.map((run) => run.errorCount).join(' | ')} |`,
    ...names.map((name) => `| ${name} p50 / p95 ms | ${runs.map((run) => cell(run, name)).join(' | ')} |`),
    '',
  ];
}

async function main(): Promise<void> {
  const backEnds = parseBackEnds(args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined);
  const root = join(tmpdir(), `slipvault-bench-server-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const log = (line: string) => console.error(line);
  const runs: BackEndRun[] = [];
  let setupSeconds = performance.now();
  try {
    const fixture = await buildServerArchive(root, { documents: DOCUMENTS, images: IMAGES, clients: CLIENTS }, log);
    setupSeconds = (performance.now() - setupSeconds) / 1000;
    for (const name of backEnds) {
      const storage = name === 'postgres' ? await postgresStorage(fixture.dir, root, log) : sqliteStorage(fixture.dir);
      try {
        runs.push(await measure(storage, fixture, root, log));
      } finally {
        await storage.release();
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const result = {
    documents: DOCUMENTS,
    pageImages: IMAGES,
    clients: CLIENTS,
    seconds: SECONDS,
    transport: 'TLS on 127.0.0.1, one connection and login per client',
    setupSeconds: round(setupSeconds),
    runs,
    machine: { node: process.version, cpus: cpus().length },
  };
  const markdown = [
    `# bench:server — ${DOCUMENTS.toLocaleString('en-US')} documents, ${CLIENTS} clients, ${SECONDS} s, ${runs.map((run) => run.label).join(' then ')}`,
    '',
    `A real \`slipvault serve --listen 127.0.0.1:0\` process; ${CLIENTS} clients, each its own TLS connection logged in as its own clerk,`,
    'run 70 % searches (bench:search query mix), 20 % open a document and its first page (`documents:get`, the page view',
    'recorded with `audit:recordView`, the page words with `ocr:page`, the page image in 1 MiB pieces with `blobs:read`, as a',
    'window working on the server reads it), 10 % edits with `baseVersion` and filings from the inbox. Latency per call and per',
    'operation (an operation is all of its calls, one after another; `documents:edit` counts refused saves too, an operation only',
    'those that succeeded).',
    '',
    ...runs.flatMap(describeRun),
    ...comparison(runs),
    `Setup (generate, load, version, index in SQLite, import ${IMAGES} scans): ${round(setupSeconds)} s. Node ${process.version}, ${cpus().length} CPUs; the clients, the server and PostgreSQL share these cores.`,
    '',
  ].join('\n');
  console.log(markdown);
  const results = join(__dirname, 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'server.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(results, 'server.md'), markdown);
  if (runs.some((run) => run.failed)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
