/**
 * Backups of an archive on PostgreSQL (issue 20): a set is one REPEATABLE READ snapshot written as an SQLite
 * archive database beside the files, so it verifies with the archive's own checks, restores into a folder that
 * passes `check` with the same documents, versions and audit chain, and restores onto an empty PostgreSQL
 * database through the move, refusing a database or folder that is not empty. Filing goes on during the
 * snapshot; a wrong passphrase restores nothing; a snapshot PostgreSQL cuts off is refused with nothing written;
 * the scheduler backs a server archive up as it does a folder.
 * A real throwaway cluster, real age sets on disk, real worker threads.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initArchiveOnPostgres, openArchive, openArchiveOnPostgres, type Archive } from '../../src/main/core/archive';
import type { AgeIdentity, AgeRecipient } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { restoreBackup } from '../../src/main/core/backup/read';
import { restoreToPostgres } from '../../src/main/core/backup/restore-to-postgres';
import { BackupScheduler } from '../../src/main/core/backup/schedule';
import { environmentSecretStore } from '../../src/main/core/backup/secret-store';
import { listSets } from '../../src/main/core/backup/target';
import { verifyBackups } from '../../src/main/core/backup/verify';
import { SlipVaultError } from '../../src/shared/errors';
import type { JobProgress } from '../../src/shared/events';
import { tempDir, writeJpeg, writePdf } from '../helpers/fixtures';
import { useSharedPgDatabases } from '../helpers/shared-pg-cluster';
import { ensureUser, TEST_PASSWORD } from '../helpers/sessions';

const PASSPHRASE = 'lantern copper 47 river';
const recipients: AgeRecipient[] = [{ kind: 'scrypt', passphrase: PASSPHRASE }];
const identities: AgeIdentity[] = [{ kind: 'scrypt', passphrase: PASSPHRASE }];

const pgDatabases = useSharedPgDatabases();

async function newDatabase(): Promise<string> {
  return pgDatabases.create();
}

/** An archive on PostgreSQL with an administrator, filed and edited documents, a customer with aliases (JSON). */
async function serverArchive(): Promise<Archive> {
  return (await serverArchiveIn(await newDatabase())).archive;
}

async function serverArchiveIn(url: string): Promise<{ archive: Archive; url: string }> {
  const archive = await initArchiveOnPostgres(join(tempDir(), 'files'), url, { actor: 'clerk-li' });
  await ensureUser(archive, 'li.na', 'admin');
  const files = tempDir('slipvault-files-');
  const first = await archive.documents.importFile(await writeJpeg(files, 'slip-1.jpg'));
  await archive.documents.importFile(writePdf(files, 'contract.pdf', 2));
  archive.documents.edit(first.id, { title: '华南贸易 签收单', amount: '1200.50', customer: '华南贸易' }, 'from the slip');
  archive.documents.edit(first.id, { notes: 'second look' }, 'checked again');
  return { archive, url };
}

/** What a restore must bring back: documents, every version of each, the audit chain. */
function contents(archive: Archive) {
  const documents = archive.documents.list({ includeVoided: true, limit: 1000, offset: 0 }).items;
  return {
    documents: documents.map((document) => ({ ...document, versions: archive.documents.history(document.id) })),
    audit: archive.audit.list(0, 100_000).map((event) => ({ seq: event.seq, action: event.action, actor: event.actor, hash: event.hash })),
  };
}

async function refusal(work: () => Promise<unknown>): Promise<SlipVaultError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SlipVaultError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('backups of an archive on PostgreSQL', () => {
  it('a set verifies and restores into a folder that passes check, with the same documents, versions and audit chain; a wrong passphrase restores nothing', async () => {
    const archive = await serverArchive();
    const target = tempDir('slipvault-target-');
    try {
      const progress: JobProgress[] = [];
      const made = await createBackup(archive, { target, recipients, progress: (p) => progress.push(p) });
      expect(made.set.documents).toBe(2);
      // The snapshot's own progress first, then the set's.
      expect(progress[0]!.phase).toBe('backup-snapshot');
      const snapshotDone = progress.filter((p) => p.phase === 'backup-snapshot').at(-1)!;
      expect(snapshotDone.done).toBe(snapshotDone.total);
      expect(progress.at(-1)!.phase).toBe('backup');
      const before = contents(archive);
      expect(archive.status().lastBackup?.setId).toBe(made.set.setId);

      // A wrong passphrase verifies and restores nothing.
      const wrong: AgeIdentity[] = [{ kind: 'scrypt', passphrase: 'not the passphrase at all' }];
      expect((await refusal(() => verifyBackups(archive, { target, identities: wrong, restoreCheck: false }))).code).toBe('WRONG_KEY');
      expect(archive.status().lastVerified).toBeNull();
      const parent = tempDir('slipvault-parent-');
      expect((await refusal(() => restoreBackup(target, join(parent, 'restored'), wrong))).code).toBe('WRONG_KEY');
      expect(readdirSync(parent)).toEqual([]);

      const report = await verifyBackups(archive, { target, identities, restoreCheck: true });
      expect(report.sets.map((set) => set.setId)).toEqual([made.set.setId]);
      expect(report.restoreChecked).toBe(true);

      const restored = await restoreBackup(target, join(tempDir(), 'restored'), identities);
      const copy = await openArchive(restored.path, { actor: 'auditor' });
      try {
        const after = contents(copy);
        expect((await copy.check()).problems).toEqual([]);
        expect(after.documents).toEqual(before.documents);
        // The chain up to the snapshot: verify-backup and the backup's record came after it.
        expect(after.audit).toEqual(before.audit.slice(0, after.audit.length));
        expect(after.audit.at(-1)!.hash).toBe(listSets(target)[0]!.auditHead!.hash);
        expect(copy.status().archiveId).toBe(archive.status().archiveId);
        // The search index was built into the snapshot: the copy finds by word without a rebuild.
        const found = copy.search.search({ query: '华南', limit: 10, offset: 0, facets: false });
        expect(found.indexComplete).toBe(true);
        expect(found.hits.map((hit) => hit.document.title)).toEqual(['华南贸易 签收单']);
        expect(copy.customers().map((customer) => customer.name)).toEqual(archive.customers().map((customer) => customer.name));
      } finally {
        copy.close();
      }
    } finally {
      archive.close();
    }
  }, 120_000);

  it('filing goes on while the snapshot is read, and the set holds the archive as it was at one moment', async () => {
    const archive = await serverArchive();
    const target = tempDir('slipvault-target-');
    const files = tempDir('slipvault-files-');
    try {
      const during = await writeJpeg(files, 'during.jpg');
      let filed: Promise<{ archiveNo: string }> | undefined;
      const running = createBackup(archive, {
        target,
        recipients,
        // While the snapshot is read (after its first table), a clerk files a new slip on the archive's connection.
        progress: (p) => {
          if (p.phase === 'backup-snapshot' && p.done === 1) filed = archive.documents.importFile(during);
        },
      });
      const made = await running;
      expect((await filed!).archiveNo).toMatch(/-000003$/);
      const restored = await restoreBackup(target, join(tempDir(), 'restored'), identities);
      const copy = await openArchive(restored.path, { actor: 'auditor' });
      try {
        expect((await copy.check()).problems).toEqual([]);
        const count = copy.documents.list({ includeVoided: true, limit: 10, offset: 0 }).total;
        // Either before the import or after it, never half of it.
        expect(count).toBe(made.set.documents);
        expect([2, 3]).toContain(count);
      } finally {
        copy.close();
      }
      // The next set is incremental and holds the slip filed meanwhile.
      const next = await createBackup(archive, { target, recipients });
      expect(next.set.dependsOn).toEqual([made.set.setId]);
      expect(next.set.documents).toBe(3);
    } finally {
      archive.close();
    }
  }, 120_000);

  it('restores onto an empty PostgreSQL database that then passes check, and refuses a database or folder that is not empty', async () => {
    const archive = await serverArchive();
    const target = tempDir('slipvault-target-');
    const credentials = { username: 'li.na', password: TEST_PASSWORD };
    let before: ReturnType<typeof contents>;
    try {
      await createBackup(archive, { target, recipients });
      before = contents(archive);
    } finally {
      archive.close();
    }
    const url = await newDatabase();
    const filesDir = join(tempDir(), 'restored-files');
    const progress: JobProgress[] = [];
    const result = await restoreToPostgres({ from: target, identities, to: url, filesDir, credentials, progress: (p) => progress.push(p) });
    expect(result.move.problems).toEqual([]);
    expect(result.move.verifiedAt).not.toBeNull();
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['restore', 'move-files', 'move-rows', 'reindex', 'move-verify']));
    // The scratch folder beside the files folder is gone.
    expect(readdirSync(join(filesDir, '..')).filter((name) => name.startsWith('.slipvault-restore-'))).toEqual([]);

    const back = await openArchiveOnPostgres(filesDir, url, { actor: 'auditor' });
    try {
      const after = contents(back);
      expect((await back.check()).problems).toEqual([]);
      expect(after.documents).toEqual(before.documents);
      // The chain up to the snapshot (the backup's own record came after it), then the login, the move's check
      // and the move itself, in the name of the administrator who restored it.
      const snapshotChain = before.audit.slice(0, -1);
      expect(after.audit.slice(0, snapshotChain.length)).toEqual(snapshotChain);
      expect(after.audit.slice(snapshotChain.length).map(({ action, actor }) => ({ action, actor }))).toEqual([
        { action: 'user.login', actor: 'li.na' },
        { action: 'archive.check', actor: 'li.na' },
        { action: 'archive.migrate', actor: 'li.na' },
      ]);
    } finally {
      back.close();
    }

    // The same database again: it holds this archive now.
    const again = await refusal(() => restoreToPostgres({ from: target, identities, to: url, filesDir: join(tempDir(), 'other-files'), credentials }));
    expect(again.code).toBe('ARCHIVE_EXISTS');
    expect(again.details).toMatchObject({ reason: 'same-archive' });
    // Not a PostgreSQL URL.
    expect(
      (await refusal(() => restoreToPostgres({ from: target, identities, to: 'mysql://li@db.example/archive', filesDir: join(tempDir(), 'm'), credentials })))
        .code,
    ).toBe('VALIDATION');
    // A database with tables of something else.
    const foreign = await newDatabase();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: foreign });
    await client.connect();
    await client.query('CREATE TABLE invoices (id integer)');
    await client.end();
    expect(await refusal(() => restoreToPostgres({ from: target, identities, to: foreign, filesDir: join(tempDir(), 'f'), credentials }))).toMatchObject({
      code: 'ARCHIVE_EXISTS',
      details: { reason: 'not-empty' },
    });
    // A files folder that is not empty; the empty database is left untouched.
    const busy = join(tempDir(), 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'note.txt'), 'keep me');
    const empty = await newDatabase();
    expect((await refusal(() => restoreToPostgres({ from: target, identities, to: empty, filesDir: busy, credentials }))).code).toBe('VALIDATION');
    expect(readdirSync(busy)).toEqual(['note.txt']);
    const emptyClient = new pg.Client({ connectionString: empty });
    await emptyClient.connect();
    const tables = await emptyClient.query("SELECT count(*)::integer AS n FROM information_schema.tables WHERE table_schema = 'public'");
    await emptyClient.end();
    expect(tables.rows[0]).toEqual({ n: 0 });
    // Someone who is no administrator of the backed-up archive moves nothing.
    const wrongLogin = await refusal(() =>
      restoreToPostgres({
        from: target,
        identities,
        to: empty,
        filesDir: join(tempDir(), 'g'),
        credentials: { username: 'li.na', password: 'not her password' },
      }),
    );
    expect(wrongLogin.code).toBe('UNAUTHENTICATED');
    expect(existsSync(join(tempDir(), 'g'))).toBe(false);
  }, 180_000);

  it('a snapshot cut off by PostgreSQL is refused as SERVER_UNREACHABLE, writing nothing; the next backup works', async () => {
    const { archive, url } = await serverArchiveIn(await newDatabase());
    const target = tempDir('slipvault-target-');
    const { default: pg } = await import('pg');
    // Holds one table the snapshot reads (and the backup's other statements do not), so the snapshot waits there.
    const blocker = new pg.Client({ connectionString: url });
    // pg_stat_activity read inside a transaction stays as it was at its first read: asked on a connection of its own.
    const watcher = new pg.Client({ connectionString: url });
    for (const client of [blocker, watcher]) {
      client.on('error', () => undefined);
      await client.connect();
    }
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE ledger_rows IN ACCESS EXCLUSIVE MODE');
      const running = createBackup(archive, { target, recipients });
      running.catch(() => undefined);
      // Then its session is ended, as a database restart or an administrator would end it.
      let ended = 0;
      for (let attempt = 0; ended === 0 && attempt < 600; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        // Only the snapshot's cursor can wait for this lock (pg_stat_activity cuts long statements short: no table name).
        const terminated = await watcher.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'DECLARE snapshot_rows%' AND wait_event_type = 'Lock'",
        );
        ended = terminated.rowCount ?? 0;
      }
      expect(ended).toBe(1);
      const error = await refusal(() => running);
      expect(error.code).toBe('SERVER_UNREACHABLE');
      expect(error.message).toContain('Nothing was written to the backup target');
      expect(error.message).not.toContain(new URL(url).password);
      expect(readdirSync(target)).toEqual([]);
      expect(readdirSync(join(archive.dir, 'tmp')).filter((name) => name.startsWith('backup-'))).toEqual([]);
      expect(archive.status().lastBackup).toBeNull();
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
      await watcher.end();
    }
    try {
      expect((await createBackup(archive, { target, recipients })).set.documents).toBe(2);
    } finally {
      archive.close();
    }
  }, 120_000);

  it('the scheduler backs up and verifies a server archive when due', async () => {
    const archive = await serverArchive();
    const target = tempDir('slipvault-target-');
    try {
      const now = new Date();
      const past = new Date(now.getTime() - 2 * 3_600_000);
      const time = `${String(past.getHours()).padStart(2, '0')}:${String(past.getMinutes()).padStart(2, '0')}`;
      archive.settings.update({
        backupSchedule: { enabled: true, frequency: 'daily', weekday: 0, time, target: { kind: 'folder', path: target }, mode: 'passphrase', recipients: [] },
      });
      const scheduler = new BackupScheduler(archive, {
        secrets: environmentSecretStore({ SLIPVAULT_BACKUP_PASSPHRASE: PASSPHRASE }),
        clock: { now: () => now, wakeAt: () => () => undefined },
      });
      const run = await scheduler.runIfDue();
      expect(run).toMatchObject({ outcome: 'backed-up', verified: true });
      expect(listSets(target)).toHaveLength(1);
      expect(archive.status().lastVerified?.setId).toBe(listSets(target)[0]!.setId);
      await scheduler.stop();
    } finally {
      archive.close();
    }
  }, 120_000);
});
