/**
 * `slipvault migrate` as a real process against a real PostgreSQL cluster: an archive made and changed through
 * the CLI is moved with its versions, audit chain and files and verified on both sides; then every refusal —
 * the same archive twice, an unfinished earlier move, a database holding something else, nothing listening,
 * the wrong database password, a files folder that is not empty or not writable, a wrong login, a clerk
 * instead of an administrator, an archive served by a running owner (from the command line and through the
 * owner) — and a files folder that fills up mid-copy, after which nothing claims to be a finished move and a
 * rerun succeeds.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PostgresMoveReport } from '../../src/shared/postgres-move';
import type { ErrorPayload } from '../../src/shared/errors';
import type { ImportResult } from '../../src/shared/model';
import { slipvault, slipvaultJson, type CliRun } from '../helpers/cli';
import { tempDir, writePdf } from '../helpers/fixtures';
import { canMountTmpfs, mountTmpfs } from '../helpers/tmpfs';
import { ownerClient, slipvaultAsync, startOwner } from '../helpers/owner';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';
import { TEST_PASSWORD } from '../helpers/sessions';

const pgDatabases = useSharedPgDatabases();
let archive: string;

/** A photo-like page: noise does not compress, so a few of them fill a small disk. */
async function writeNoiseJpeg(dir: string, name: string): Promise<string> {
  const path = join(dir, name);
  const [width, height] = [640, 640];
  writeFileSync(
    path,
    await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 92 })
      .toBuffer(),
  );
  return path;
}

function migrate(to: string, filesDir: string, env: Record<string, string> = {}): Promise<CliRun> {
  return slipvaultAsync(['--json', 'migrate', '--from', archive, '--to', to, '--files', filesDir], env);
}

function refusal(run: CliRun): ErrorPayload {
  return (JSON.parse(run.stdout) as { error: ErrorPayload }).error;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const dir = tempDir();
  archive = join(dir, 'archive');
  slipvaultJson(['--archive', archive, 'init']);
  const added = slipvault(['--archive', archive, 'users', 'add', 'clerk-wang', '--role', 'clerk'], { SLIPVAULT_NEW_PASSWORD: TEST_PASSWORD });
  expect(added.status, added.stderr).toBe(0);
  const scans = join(dir, 'scans');
  mkdirSync(scans);
  const pages = [await writeNoiseJpeg(scans, 'slip-1.jpg'), await writeNoiseJpeg(scans, 'slip-2.jpg'), writePdf(scans, 'contract.pdf', 2)];
  const imported = slipvaultJson<ImportResult>(['--archive', archive, 'import', ...pages]);
  expect(imported.imported).toHaveLength(3);
  const first = imported.imported[0]!.document.archiveNo;
  const edited = slipvault(['--archive', archive, 'edit', first, '--set', 'customer=华南贸易', '--reason', 'from the slip']);
  expect(edited.status, edited.stderr).toBe(0);
}, 240_000);

describe('slipvault migrate', () => {
  it('moves the archive, verifies both sides, and refuses a second move of it naming when it was made', async () => {
    const url = await pgDatabases.create();
    const filesDir = join(tempDir(), 'server-files');
    const run = await migrate(url, filesDir);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as PostgresMoveReport;
    expect(report.problems).toEqual([]);
    expect(report.verifiedAt).not.toBeNull();
    expect(report.target).not.toContain(new URL(url).password);
    expect(report.rows.documents).toBe(3);
    expect(report.rows.document_versions).toBe(4);
    expect(report.files).toBeGreaterThanOrEqual(3);
    expect(report.audit.postgres).toEqual(report.audit.archive);
    // The head the command reports is the one stored on both sides, and the move itself is its last event.
    const [head] = await query<{ hash: string; action: string; actor: string; at: string }>(
      url,
      'SELECT hash, action, actor, at FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    expect(head).toMatchObject({ hash: report.audit.postgres.head, action: 'archive.migrate', actor: 'clerk-li' });
    // Every file is in the files folder, as many and as large as reported.
    const copied = readdirSync(join(filesDir, 'blobs'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(copied).toHaveLength(report.files);
    expect(copied.reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0)).toBe(report.bytes);
    const check = slipvaultJson<{ ok: boolean }>(['--archive', archive, 'check']);
    expect(check.ok).toBe(true);

    const again = await migrate(url, join(tempDir(), 'server-files'));
    expect(again.status).toBe(1);
    const error = refusal(again);
    expect(error).toMatchObject({ code: 'ARCHIVE_EXISTS', details: { reason: 'same-archive', archiveId: report.archiveId, migratedAt: head!.at } });
    expect(error.message).toContain(`already holds this archive (id ${report.archiveId})`);
    expect(error.message).toContain(`by clerk-li at ${head!.at}`);
    expect((await query(url, 'SELECT seq FROM audit_events')).length).toBe(report.audit.postgres.events);
  });

  it('prints progress and a summary of rows, files and both chain heads', async () => {
    const url = await pgDatabases.create();
    const run = await slipvaultAsync(['migrate', '--from', archive, '--to', url, '--files', join(tempDir(), 'files')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('copying files: ');
    expect(run.stderr).toContain('copying tables: ');
    expect(run.stdout).toMatch(/^documents\s+3$/m);
    expect(run.stdout).toMatch(/^audit chain {2}archive: {4}\d+ events, head [0-9a-f]{64}$/m);
    expect(run.stdout).toMatch(/^ {13}PostgreSQL: \d+ events, head [0-9a-f]{64}$/m);
    expect(run.stdout).toContain('both sides hold the same rows, the same audit chain and every file');
  });

  it('refuses an unfinished earlier move of the same archive', async () => {
    const url = await pgDatabases.create();
    expect((await migrate(url, join(tempDir(), 'files'))).status).toBe(0);
    // As a move that stopped after its rows were committed leaves it: without the verified mark.
    await query(url, "DELETE FROM archive_meta WHERE key = 'moved_to_postgres_verified_at'");
    const run = await migrate(url, join(tempDir(), 'files'));
    expect(run.status).toBe(1);
    expect(refusal(run)).toMatchObject({ code: 'ARCHIVE_EXISTS', details: { reason: 'unfinished' } });
    expect(refusal(run).message).toContain('unfinished move of this archive');
  });

  it('refuses a database that holds something else, and leaves it as it was', async () => {
    const url = await pgDatabases.create();
    await query(url, 'CREATE TABLE invoices (id integer PRIMARY KEY); INSERT INTO invoices VALUES (7)');
    const run = await migrate(url, join(tempDir(), 'files'));
    expect(run.status).toBe(1);
    expect(refusal(run)).toMatchObject({ code: 'ARCHIVE_EXISTS', details: { reason: 'not-empty', tables: 1 } });
    expect(refusal(run).message).toContain('(first: invoices)');
    const tables = await query<{ name: string }>(url, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables).toEqual([{ name: 'invoices' }]);
  });

  it('names an unreachable server, a refused database password and a missing database, without printing the password', async () => {
    const url = new URL(await pgDatabases.create());
    const nowhere = new URL(url);
    nowhere.port = String(await closedPort());
    const unreachable = await migrate(nowhere.toString(), join(tempDir(), 'files'));
    expect(unreachable.status).toBe(1);
    expect(refusal(unreachable)).toMatchObject({ code: 'SERVER_UNREACHABLE', details: { reason: 'ECONNREFUSED' } });
    expect(refusal(unreachable).message).toContain(`PostgreSQL at postgres://slipvault@127.0.0.1:${nowhere.port}${nowhere.pathname} cannot be reached`);

    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const refused = await migrate(wrong.toString(), join(tempDir(), 'files'));
    expect(refused.status).toBe(1);
    expect(refusal(refused).code).toBe('UNAUTHENTICATED');
    expect(refusal(refused).message).toContain('refused the login');
    expect(refused.stdout + refused.stderr).not.toContain('not-the-password');
    const missing = new URL(url);
    missing.pathname = '/no_such_database';
    const noDatabase = await migrate(missing.toString(), join(tempDir(), 'files'));
    expect(noDatabase.status).toBe(1);
    expect(refusal(noDatabase).code).toBe('NOT_FOUND');
    expect(refusal(noDatabase).message).toContain('"no_such_database" does not exist');
    // Nothing was created there.
    expect(await query(url.toString(), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  });

  it('refuses a files folder that is not empty, a wrong login and a clerk', async () => {
    const url = await pgDatabases.create();
    const used = tempDir();
    writeFileSync(join(used, 'notes.txt'), 'someone else’s file');
    const notEmpty = await migrate(url, used);
    expect(notEmpty.status).toBe(2);
    expect(refusal(notEmpty)).toMatchObject({ code: 'VALIDATION', details: { entries: 1 } });
    expect(refusal(notEmpty).message).toContain('is not empty (1 entry, first: notes.txt)');
    expect(readdirSync(used)).toEqual(['notes.txt']);

    const wrongLogin = await migrate(url, join(tempDir(), 'files'), { SLIPVAULT_PASSWORD: 'not the password' });
    expect(wrongLogin.status).toBe(1);
    expect(refusal(wrongLogin).code).toBe('UNAUTHENTICATED');

    const clerk = await migrate(url, join(tempDir(), 'files'), { SLIPVAULT_USER: 'clerk-wang' });
    expect(clerk.status).toBe(1);
    expect(refusal(clerk).code).toBe('FORBIDDEN');
    expect(await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  });

  it('refuses an archive a running owner serves, from the command line and through the owner', async () => {
    const url = await pgDatabases.create();
    const owner = await startOwner(archive);
    try {
      const run = await migrate(url, join(tempDir(), 'files'));
      expect(run.status).toBe(1);
      expect(refusal(run).code).toBe('ARCHIVE_IN_USE');
      expect(refusal(run).message).toContain('slipvault serve');
      expect(refusal(run).message).toContain('stop that program');
      const connection = await ownerClient(archive, 'clerk-li');
      try {
        const through = await connection.invoke('archive:moveToPostgres', { to: url, filesDir: join(tempDir(), 'files') });
        expect(through.ok).toBe(false);
        if (!through.ok) expect(through.error).toMatchObject({ code: 'ARCHIVE_IN_USE', messageKey: 'postgres.archiveServed' });
      } finally {
        connection.close();
      }
    } finally {
      await owner.stop();
    }
    expect(await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  });
});

// Needs root to mount a small or read-only disk (CI runs as root); elsewhere reported as skipped, not passed.
describe.skipIf(!canMountTmpfs)('slipvault migrate onto a full or read-only disk', () => {
  it('takes back a copy that fills the files disk, marks nothing as moved, and a rerun succeeds', async () => {
    const url = await pgDatabases.create();
    const small = tempDir('slipvault-small-disk-');
    expect(mountTmpfs(small, 'size=600k')).toBe(true);
    try {
      const run = await migrate(url, small);
      expect(run.status).toBe(1);
      expect(refusal(run)).toMatchObject({ code: 'DISK_FULL', details: { where: 'files' } });
      expect(refusal(run).message).toContain('the files folder is empty again and PostgreSQL holds no archive');
      expect(readdirSync(small)).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
    }
    expect(await query(url, "SELECT key FROM archive_meta WHERE key IN ('archive_id', 'moved_to_postgres_verified_at')")).toEqual([]);
    expect(await query(url, 'SELECT id FROM documents')).toEqual([]);
    const rerun = await migrate(url, join(tempDir(), 'files'));
    expect(rerun.status, rerun.stderr).toBe(0);
    expect((JSON.parse(rerun.stdout) as PostgresMoveReport).problems).toEqual([]);
  });

  it('refuses a read-only files folder before copying anything', async () => {
    const url = await pgDatabases.create();
    const readOnly = tempDir('slipvault-ro-disk-');
    expect(mountTmpfs(readOnly, 'size=1m,ro')).toBe(true);
    try {
      const run = await migrate(url, readOnly);
      expect(run.status).toBe(1);
      expect(refusal(run).code).toBe('ARCHIVE_READ_ONLY');
      expect(refusal(run).message).toContain(`The files folder ${readOnly} cannot be written`);
    } finally {
      execFileSync('umount', [readOnly]);
    }
    expect(await query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);
  });
});
