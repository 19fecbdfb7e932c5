/**
 * A search-index rebuild killed with SIGKILL mid-run continues where it stopped on the next run: `slipvault
 * reindex` on an archive folder (SQLite), and on PostgreSQL the rebuild a client asked of `slipvault serve --db`,
 * whose server process is killed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReindexResult, SearchResult } from '../../src/shared/model';
import { DATABASE_FILE, initArchive, openArchiveOnPostgres } from '../../src/main/core/archive';
import { generateCorpus } from '../../bench/search-corpus';
import { loadCorpus } from '../../bench/search-fixture';
import { CLI_BIN, ensureCliBuilt, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { remoteSlipvault, startServer, type RunningServer } from '../helpers/network-server';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';
import { loadCorpusInto } from '../helpers/search-back-ends';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

const DOCUMENTS = 20_000;

/**
 * Starts `reindex --restart` with `args` before it, waits until it has reported 1,000 or more documents done
 * (committed batches), then runs `kill` and resolves once the command has ended.
 */
function killMidway(args: string[], env: Record<string, string>, total: number, kill: (child: ReturnType<typeof spawn>) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args, 'reindex', '--restart'], {
      env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD, ...env },
    });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const done = [...stderr.matchAll(/reindex: (\d+)\//g)].map((match) => Number(match[1]));
      if (!killed && done.some((count) => count >= 1000 && count < total)) {
        killed = true;
        kill(child);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => (killed ? resolve(stderr) : reject(new Error(`reindex ended by itself (${code}) before it could be killed: ${stderr}`))));
  });
}

describe('slipvault reindex after SIGKILL', () => {
  beforeAll(() => ensureCliBuilt());

  it('keeps the committed batches and continues after them', async () => {
    const archive = join(tempDir(), 'archive');
    const setup = await initArchive(archive, { actor: 'setup' });
    await ensureUser(setup, 'clerk-li', 'admin');
    loadCorpus(setup.connection.sqlite, generateCorpus(DOCUMENTS));
    setup.close();

    await killMidway(['--archive', archive], {}, DOCUMENTS, (child) => child.kill('SIGKILL'));
    const db = new Database(join(archive, DATABASE_FILE), { readonly: true });
    const cursor = db.prepare("SELECT value FROM search_state WHERE key = 'rebuild_after'").pluck().get() as number;
    db.close();
    expect(cursor).toBeGreaterThanOrEqual(1000);
    expect(cursor).toBeLessThan(DOCUMENTS);

    const resumed = slipvaultJson<ReindexResult>(['--archive', archive, 'reindex']);
    expect(resumed).toEqual({ indexed: DOCUMENTS - cursor, total: DOCUMENTS - cursor, resumedAfter: cursor });
    const found = slipvaultJson<SearchResult>(['--archive', archive, 'search', '签收', '--limit', '1']);
    expect(found.indexComplete).toBe(true);
    // Nothing was skipped at the point of the kill: the index holds every document.
    const check = new Database(join(archive, DATABASE_FILE), { readonly: true });
    expect(check.prepare('SELECT count(*) FROM search_index').pluck().get()).toBe(DOCUMENTS);
    check.close();
  });
});

describe('a rebuild on a PostgreSQL-served archive after its server is killed with SIGKILL', () => {
  /** Fewer than on SQLite: each of PostgreSQL's batches is several round trips, and 20 batches leave room to kill. */
  const SERVED_DOCUMENTS = 10_000;
  const pgDatabases = useSharedPgDatabases();
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    ensureCliBuilt();
  }, 120_000);
  afterAll(async () => {
    for (const server of servers) await server.kill();
  });

  async function started(storage: { db: string; files: string }, port = 0): Promise<RunningServer> {
    const server = await startServer(storage, { port, env: { SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD } });
    servers.push(server);
    return server;
  }

  it('keeps the committed batches, and the next rebuild continues after them', async () => {
    const dir = tempDir();
    const storage = { db: await pgDatabases.create(), files: join(dir, 'files') };
    mkdirSync(storage.files);
    const workstation = join(dir, 'pc-li');
    // The first start creates the archive (clerk-li its administrator); the corpus is loaded while no server runs.
    expect(await (await started(storage)).stop()).toBe(0);
    const loading = await openArchiveOnPostgres(storage.files, storage.db);
    loadCorpusInto(loading, generateCorpus(SERVED_DOCUMENTS));
    loading.close();

    const server = await started(storage);
    await killMidway(['--server', server.url, '--fingerprint', server.fingerprint], { SLIPVAULT_CONFIG_DIR: workstation }, SERVED_DOCUMENTS, () => {
      void server.kill();
    });
    await server.kill();
    const database = new pg.Client({ connectionString: storage.db });
    await database.connect();
    try {
      const stateOf = async () => (await database.query<{ value: number }>("SELECT value FROM search_state WHERE key = 'rebuild_after'")).rows[0]?.value;
      const cursor = (await stateOf())!;
      expect(cursor).toBeGreaterThanOrEqual(1000);
      expect(cursor).toBeLessThan(SERVED_DOCUMENTS);

      const restarted = await started(storage, server.port);
      const resumed = await remoteSlipvault(restarted, workstation, ['--json', 'reindex']);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toEqual({ indexed: SERVED_DOCUMENTS - cursor, total: SERVED_DOCUMENTS - cursor, resumedAfter: cursor });
      const found = await remoteSlipvault(restarted, workstation, ['--json', 'search', '签收', '--limit', '1']);
      expect(JSON.parse(found.stdout)).toMatchObject({ indexComplete: true, total: expect.any(Number) });
      expect(await stateOf()).toBeUndefined();
      // Nothing was skipped at the point of the kill, and the killed batch left no lock behind: every document is indexed.
      expect(Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM search_index')).rows[0]!.n)).toBe(SERVED_DOCUMENTS);
      expect(await restarted.stop()).toBe(0);
    } finally {
      await database.end();
    }
  }, 240_000);
});
