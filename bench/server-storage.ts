/**
 * Where bench:server's server keeps the archive: the generated SQLite archive folder as it is, or that archive
 * moved onto PostgreSQL the way an office moves up — a throwaway cluster on loopback (tests/helpers/pg-cluster.ts),
 * an empty database, and `slipvault migrate --from DIR --to postgres://… --files FILES` as a real process
 * (rows copied in one transaction, files copied, the search index built there, both sides verified). Generating
 * the 100,000 documents in SQLite and moving them is minutes faster than writing them one by one through the
 * server's synchronous PostgreSQL connection.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openArchive, openArchiveOnPostgres, type Archive } from '../src/main/core/archive';
import type { PostgresMoveReport } from '../src/shared/postgres-move';
import { CLI_BIN } from '../tests/helpers/cli';
import type { ServedStorage } from '../tests/helpers/network-server';
import { startPgCluster } from '../tests/helpers/pg-cluster';
import { TEST_PASSWORD } from '../tests/helpers/sessions';
import { ADMIN } from './server-fixture';

export const BACK_END_NAMES = ['postgres', 'sqlite'] as const;
export type BackEndName = (typeof BACK_END_NAMES)[number];

export interface BenchStorage {
  name: BackEndName;
  /** How the results name it. */
  label: string;
  /** What `slipvault serve` is given. */
  served: ServedStorage;
  /** Opens the archive in this process, once no server holds it. */
  open(): Promise<Archive>;
  /** Seconds the move onto this storage took (0 for SQLite, which is where the archive was made). */
  moveSeconds: number;
  /** PostgreSQL's server version, for the record. */
  version: string | null;
  release(): Promise<void>;
}

export function parseBackEnds(value: string | undefined): BackEndName[] {
  const names = (value ?? 'postgres').split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(BACK_END_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--db takes ${BACK_END_NAMES.join(', ')} or a comma-separated list of them (first measured first); not ${unknown.join(', ')}.`);
  }
  return names as BackEndName[];
}

export function sqliteStorage(archiveDir: string): BenchStorage {
  return {
    name: 'sqlite',
    label: 'SQLite',
    served: archiveDir,
    open: () => openArchive(archiveDir, { program: 'bench:server' }),
    moveSeconds: 0,
    version: null,
    release: async () => undefined,
  };
}

/** `slipvault` as a process of its own, logged in as the benchmark's administrator; its stdout when it succeeds. */
function slipvaultProcess(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { ...process.env, SLIPVAULT_USER: ADMIN, SLIPVAULT_PASSWORD: TEST_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`slipvault ${args.join(' ')} exited ${code}: ${stderr || stdout}`))));
  });
}

/** The archive at `archiveDir` moved onto a throwaway PostgreSQL cluster with `slipvault migrate`, files in `root/files`. */
export async function postgresStorage(archiveDir: string, root: string, log: (line: string) => void): Promise<BenchStorage> {
  log('starting a throwaway PostgreSQL cluster…');
  const cluster = await startPgCluster();
  try {
    const url = await cluster.createDatabase('slipvault_bench');
    const files = join(root, 'files');
    mkdirSync(files, { recursive: true });
    log('slipvault migrate: moving the archive onto PostgreSQL…');
    const started = performance.now();
    const report = JSON.parse(await slipvaultProcess(['--json', 'migrate', '--from', archiveDir, '--to', url, '--files', files])) as PostgresMoveReport;
    const moveSeconds = (performance.now() - started) / 1000;
    if (report.verifiedAt === null) throw new Error(`slipvault migrate did not verify the move: ${report.problems.join('; ')}`);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await client.end();
    return {
      name: 'postgres',
      label: 'PostgreSQL',
      served: { db: url, files },
      open: () => openArchiveOnPostgres(files, url, { program: 'bench:server' }),
      moveSeconds,
      version,
      release: () => cluster.stop(),
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
