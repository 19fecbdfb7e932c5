/**
 * backup:testRestore (the Backup screen's "test restore", issue 19 item 7), through the contract on a real
 * archive, real backup sets and the real backup worker: a good backup is restored into a temporary folder,
 * checked there and the folder removed; a wrong passphrase and an unplugged drive are refused by name with
 * nothing left behind; a copy that fails check is reported with its problem; without a typed passphrase the
 * host's kept one is used.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { JobProgress } from '../../src/shared/events';
import type { BackupResult } from '../../src/shared/model';
import { createApi, type ApiClient } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import type { SecretStore } from '../../src/main/core/backup/secret-store';
import { clientAs } from '../helpers/sessions';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';

const PASSPHRASE = 'lantern copper 47 river';

let archive: Archive;
let clerk: ApiClient;
let target: string;
let newest: BackupResult;

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('slipvault-test-restore-'));

async function ok<M extends Method>(method: M, input: InputOf<M>, client: ApiClient = clerk): Promise<OutputOf<M>> {
  const result = await client.invoke(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OutputOf<M>;
}

async function refused<M extends Method>(method: M, input: InputOf<M>, client: ApiClient = clerk) {
  const result = await client.invoke(method, input);
  if (result.ok) throw new Error(`${method} was expected to be refused`);
  return result.error;
}

beforeAll(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'test-restore' });
  clerk = await clientAs(createApi(archive), archive, 'clerk', 'li.na');
  const files = tempDir('slipvault-files-');
  target = tempDir('slipvault-target-');
  await ok('documents:import', { paths: [await writeJpeg(files, 'a.jpg'), await writePng(files, 'b.png')] });
  await ok('backup:create', { target, passphrase: PASSPHRASE });
  await ok('documents:import', { paths: [await writeJpeg(files, 'c.jpg')] });
  newest = await ok('backup:create', { target, passphrase: PASSPHRASE });
});

afterAll(() => archive.close());

describe('backup:testRestore', () => {
  it('restores the newest set into a temporary folder, checks it, removes the folder and records the restore', async () => {
    const progress: JobProgress[] = [];
    const unsubscribe = archive.events.subscribe((name, payload) => name === 'jobs:progress' && progress.push(payload as JobProgress));
    const auditBefore = archive.audit.head().seq;
    const report = await ok('backup:testRestore', { target, passphrase: PASSPHRASE });
    unsubscribe();

    expect(report.setId).toBe(newest.set.setId);
    expect(report.setsRead).toHaveLength(2);
    expect(report.check.ok).toBe(true);
    expect(report.check.problems).toEqual([]);
    expect(report.check.counts.documents).toBe(3);
    expect(report.removed).toBe(true);
    expect(leftovers()).toEqual([]);
    expect(progress.some((entry) => entry.phase === 'restore')).toBe(true);

    const status = await ok('archive:status', {});
    expect(status.lastVerifiedRestore).toMatchObject({ setId: newest.set.setId, target });
    const events = archive.audit.list(auditBefore, 100);
    expect(events.find((event) => event.action === 'backup.last_verified_restore')).toMatchObject({
      actor: 'li.na',
      details: { setId: newest.set.setId, testRestore: true },
    });
  });

  it('refuses a wrong passphrase as WRONG_KEY, leaving no folder and recording nothing', async () => {
    const before = (await ok('archive:status', {})).lastVerifiedRestore;
    const error = await refused('backup:testRestore', { target, passphrase: 'not the passphrase at all' });
    expect(error.code).toBe('WRONG_KEY');
    expect(leftovers()).toEqual([]);
    expect((await ok('archive:status', {})).lastVerifiedRestore).toEqual(before);
  });

  it('names the missing drive when the target folder is not there', async () => {
    const unplugged = join(tempDir('slipvault-mount-'), 'BACKUP-A', 'SlipVault');
    const error = await refused('backup:testRestore', { target: unplugged, passphrase: PASSPHRASE });
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.message).toContain(unplugged);
    expect(error.message).toContain('is the drive connected?');
    expect(leftovers()).toEqual([]);
  });

  it('says so when the folder holds no backup of this archive', async () => {
    const empty = tempDir('slipvault-empty-target-');
    const error = await refused('backup:testRestore', { target: empty, passphrase: PASSPHRASE });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('holds no backup set of this archive');
  });

  it('uses the passphrase the host keeps when none is typed, and says where it looked when none is kept', async () => {
    const kept: SecretStore = { place: 'the test keychain', passphrase: () => Promise.resolve(PASSPHRASE), savePassphrase: () => Promise.resolve() };
    const withKeychain = await clientAs(createApi(archive, { secrets: kept }), archive, 'clerk', 'li.na');
    expect((await ok('backup:testRestore', { target }, withKeychain)).check.ok).toBe(true);

    const none: SecretStore = { ...kept, passphrase: () => Promise.resolve(null) };
    const withoutKeychain = await clientAs(createApi(archive, { secrets: none }), archive, 'clerk', 'li.na');
    const error = await refused('backup:testRestore', { target }, withoutKeychain);
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('none is kept in the test keychain');
  });

  it('reports a restored copy that fails check with its problem, and does not count it as verified', async () => {
    // A second archive whose database no longer matches its audit chain: its backup restores, its check fails.
    const broken = await initArchive(join(tempDir(), 'broken'), { actor: 'test-restore' });
    const brokenTarget = tempDir('slipvault-broken-target-');
    try {
      const client = await clientAs(createApi(broken), broken, 'clerk', 'li.na');
      await ok('documents:import', { paths: [await writeJpeg(tempDir('slipvault-files-'), 'd.jpg')] }, client);
      const db = new Database(join(broken.dir, 'slipvault.db'));
      db.prepare("UPDATE documents SET title = 'changed behind the archive'").run();
      db.close();
      await ok('backup:create', { target: brokenTarget, passphrase: PASSPHRASE }, client);
      const before = (await ok('archive:status', {}, client)).lastVerifiedRestore;
      const report = await ok('backup:testRestore', { target: brokenTarget, passphrase: PASSPHRASE }, client);
      expect(report.check.ok).toBe(false);
      expect(report.check.problems.length).toBeGreaterThan(0);
      expect(report.removed).toBe(true);
      expect((await ok('archive:status', {}, client)).lastVerifiedRestore).toEqual(before);
      expect(leftovers()).toEqual([]);
    } finally {
      broken.close();
      rmSync(brokenTarget, { recursive: true, force: true });
    }
  });
});
