/**
 * Backup sets over time: progress events, filing while a backup runs, pruning that keeps what newer sets
 * rely on, and restore of the newest set after pruning — on both storage back ends (an archive on PostgreSQL
 * is snapshot as an SQLite database, core/backup/pg-snapshot.ts). Which keys a set relies on and what its
 * catalog tells do not depend on where the rows are kept: those run on SQLite only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/events';
import { initArchive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { generateIdentity, parseIdentityFile, parseRecipient } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { pruneBackups } from '../../src/main/core/backup/prune';
import { restoreBackup } from '../../src/main/core/backup/read';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { backupIndexKey } from '../../src/main/core/backup/catalog-index';
import { CATALOG_FILE, describeSet, listSets } from '../../src/main/core/backup/target';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('backup sets over time (%s)', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  const onSqliteOnly = it.runIf(backEndName === 'sqlite');

  it('reports progress up to the total, and filing goes on while a backup runs', async () => {
    const archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    try {
      for (let i = 0; i < 5; i++) await archive.documents.importFile(await writeJpeg(files, `a${i}.jpg`, 800, 1000));
      const progress: JobProgress[] = [];
      const keys = generateIdentity();
      const target = tempDir('slipvault-target-');
      const running = createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)], progress: (p) => progress.push(p) });
      // The backup yields between files; a clerk's import in the meantime succeeds.
      const filed = await archive.documents.importFile(await writeJpeg(files, 'during.jpg'));
      const result = await running;
      expect(filed.archiveNo).toMatch(/^SV-\d{4}-000006$/);
      const last = progress[progress.length - 1]!;
      expect(last.phase).toBe('backup');
      expect(last.bytesDone).toBe(last.bytesTotal);
      expect(last.done).toBe(last.total);
      expect(progress.filter((p) => p.phase === 'backup').every((p) => p.jobId === last.jobId)).toBe(true);
      // On PostgreSQL the snapshot is read first, with progress of its own.
      expect(progress.some((p) => p.phase === 'backup-snapshot')).toBe(backEndName === 'postgres');
      expect(result.set.documents).toBeGreaterThanOrEqual(5);
    } finally {
      archive.close();
    }
  });

  it('prune keeps the newest sets and every set they rely on; the newest still restores everything', async () => {
    const archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    const keys = generateIdentity();
    const recipients = [parseRecipient(keys.recipient)];
    const target = tempDir('slipvault-target-');
    const setIds: string[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        await archive.documents.importFile(await writeJpeg(files, `r${round}.jpg`));
        setIds.push((await createBackup(archive, { target, recipients })).set.setId);
      }
      const sets = listSets(target);
      // Each one-page document adds two blobs: the original and its page thumbnail.
      const indexKey = backupIndexKey(archive, false);
      expect(sets.map((set) => describeSet(target, set, indexKey).blobs)).toEqual([2, 2, 2]);
      expect(sets[2]!.dependsOn).toEqual([setIds[0], setIds[1]]);

      // Every set holds blobs the newest relies on: nothing can go.
      expect(pruneBackups(archive, { target, keep: 1 }).removed).toEqual([]);

      const unchanged = await createBackup(archive, { target, recipients });
      expect(unchanged.set.blobs).toBe(0);
      const full = await createBackup(archive, { target, recipients, full: true });
      expect(full.set.dependsOn).toEqual([]);
      expect(full.set.blobs).toBe(6);
      await archive.documents.importFile(await writeJpeg(files, 'later.jpg'));
      const next = await createBackup(archive, { target, recipients });
      expect(next.set.dependsOn).toEqual([full.set.setId]);

      const pruned = pruneBackups(archive, { target, keep: 1 });
      expect(pruned.removed).toEqual([...setIds, unchanged.set.setId]);
      expect(pruned.kept).toEqual([full.set.setId, next.set.setId]);
      expect(listSets(target).map((set) => set.setId)).toEqual([full.set.setId, next.set.setId]);

      const restored = join(tempDir(), 'restored');
      const result = await restoreBackup(target, restored, parseIdentityFile(keys.identity), { signers: [archiveSigner(archive)] });
      expect(result.setsRead).toEqual([next.set.setId, full.set.setId]);
      const hashes = archive.blobs.list();
      expect(hashes.length).toBe(8);
      for (const hash of hashes) {
        expect(readFileSync(join(restored, 'blobs', hash.slice(0, 2), hash.slice(2))).equals(readFileSync(archive.blobs.pathOf(hash)))).toBe(true);
      }
    } finally {
      archive.close();
    }
  });

  onSqliteOnly('relies only on earlier sets that the same keys open', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    const target = tempDir('slipvault-target-');
    try {
      await archive.documents.importFile(await writeJpeg(files, 'one.jpg'));
      const manager = generateIdentity();
      const first = await createBackup(archive, { target, recipients: [parseRecipient(manager.recipient)] });
      const newManager = generateIdentity();
      const second = await createBackup(archive, { target, recipients: [parseRecipient(newManager.recipient)] });
      expect(second.set.dependsOn).toEqual([]);
      expect(second.set.blobs).toBe(2);
      const third = await createBackup(archive, { target, recipients: [parseRecipient(newManager.recipient)] });
      expect(third.set.dependsOn).toEqual([second.set.setId]);
      expect(first.set.setId).not.toBe(second.set.setId);
      const restored = join(tempDir(), 'restored');
      expect((await restoreBackup(target, restored, parseIdentityFile(newManager.identity), { signers: [archiveSigner(archive)] })).setsRead).toEqual([
        third.set.setId,
        second.set.setId,
      ]);
    } finally {
      archive.close();
    }
  });
  onSqliteOnly('catalog.json tells the holder of the drive no blob hash, no count and no key; only its own archive opens it', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const other = await initArchive(join(tempDir(), 'other'), { actor: 'clerk-wang' });
    const files = tempDir('slipvault-files-');
    const keys = generateIdentity();
    const target = tempDir('slipvault-target-');
    try {
      for (let i = 0; i < 3; i++) await archive.documents.importFile(await writeJpeg(files, `s${i}.jpg`));
      const made = await createBackup(archive, { target, recipients: [parseRecipient(keys.recipient)] });
      const text = readFileSync(join(made.set.path, CATALOG_FILE), 'utf8');
      for (const hash of archive.blobs.list()) {
        expect(text).not.toContain(hash);
        expect(text).not.toContain(hash.slice(0, 16));
      }
      expect(text).not.toContain(keys.recipient);
      // The signed audit chain head is plaintext on purpose: verify-backup compares it without any age key.
      expect(Object.keys(JSON.parse(text) as object).sort()).toEqual([
        'archiveId',
        'auditHead',
        'createdAt',
        'dependsOn',
        'format',
        'keysTag',
        'sealedIndex',
        'setId',
        'signature',
        'signer',
        'volumes',
      ]);
      expect(made.set.blobs).toBe(6); // each page's original and its thumbnail
      expect(made.set.documents).toBe(3);

      // Another archive sees the set but not its counts.
      const seenByOther = describeSet(target, listSets(target)[0]!, backupIndexKey(other, true));
      expect(seenByOther.blobs).toBeNull();
      expect(seenByOther.documents).toBeNull();

      // A restore without any archive, given only the archive's public signer, still cross-checks the
      // catalog, with the key inside the manifest.
      const restored = await restoreBackup(target, join(tempDir(), 'restored'), parseIdentityFile(keys.identity), { signers: [archiveSigner(archive)] });
      expect(restored.setId).toBe(made.set.setId);
    } finally {
      archive.close();
      other.close();
    }
  });
});
