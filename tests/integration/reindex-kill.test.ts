/** `slipvault reindex` killed with SIGKILL mid-run continues where it stopped on the next run. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReindexResult, SearchResult } from '../../src/shared/model';
import { DATABASE_FILE, initArchive } from '../../src/main/core/archive';
import { generateCorpus } from '../../bench/search-corpus';
import { loadCorpus } from '../../bench/search-fixture';
import { CLI_BIN, ensureCliBuilt, slipvaultJson } from '../helpers/cli';
import { tempDir } from '../helpers/fixtures';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

const DOCUMENTS = 20_000;

/** Starts `reindex --restart`, waits until it has committed a few batches, kills it with SIGKILL. */
function killMidway(archive: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, '--archive', archive, 'reindex', '--restart'], {
      env: { ...process.env, SLIPVAULT_USER: 'clerk-li', SLIPVAULT_PASSWORD: TEST_PASSWORD },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const done = [...stderr.matchAll(/reindex: (\d+)\//g)].map((match) => Number(match[1]));
      if (done.some((count) => count >= 1000 && count < DOCUMENTS)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(stderr) : reject(new Error(`reindex ended by itself (${code}) before it could be killed: ${stderr}`)),
    );
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

    await killMidway(archive);
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
