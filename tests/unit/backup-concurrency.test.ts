/**
 * A backup runs on a worker thread: while it writes a sizable archive, a clerk's edit and a search on the
 * archive's thread answer quickly, and the set written meanwhile is a consistent snapshot that verifies
 * and restores into an archive that passes check.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/events';
import { initArchive, openArchive } from '../../src/main/core/archive';
import { generateIdentity, parseIdentityFile, parseRecipient } from '../../src/main/core/backup/age';
import { createBackup } from '../../src/main/core/backup/create';
import { restoreBackup } from '../../src/main/core/backup/read';
import { archiveSigner } from '../../src/main/core/backup/set-signature';
import { verifyBackups } from '../../src/main/core/backup/verify';
import { tempDir } from '../helpers/fixtures';
import { writePaddedJpeg } from '../helpers/padded-jpeg';

describe('backup off the main thread', () => {
  it('keeps editing and search fast while a sizable backup runs, and the set still verifies', async () => {
    const archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    try {
      for (let i = 0; i < 30; i++) await archive.documents.importFile(await writePaddedJpeg(join(files, `slip-${i}.jpg`), 3 * 1024 * 1024));
      const first = archive.documents.list({ includeVoided: false, limit: 1, offset: 0 }).items[0]!;
      const keys = generateIdentity();
      const target = tempDir('slipvault-target-');

      let finished = false;
      let writing!: () => void;
      const started = new Promise<void>((resolveStarted) => (writing = resolveStarted));
      const running = createBackup(archive, {
        target,
        recipients: [parseRecipient(keys.recipient)],
        progress: (p: JobProgress) => {
          if ((p.bytesDone ?? 0) > 0) writing();
        },
      }).finally(() => (finished = true));

      // How long this thread is ever kept from its event loop while the backup runs.
      let worstLag = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        worstLag = Math.max(worstLag, now - last - 5);
        last = now;
      }, 5);
      await started;

      const editStarted = performance.now();
      const edited = archive.documents.edit(first.id, { title: 'Edited during the backup', customer: 'Acme Trading' }, 'while backing up');
      const editMs = performance.now() - editStarted;
      const searchStarted = performance.now();
      const found = archive.search.search({ query: 'Edited', limit: 10, offset: 0, facets: false });
      const searchMs = performance.now() - searchStarted;
      const stillRunning = !finished;

      const result = await running;
      clearInterval(ticker);
      expect(stillRunning, 'the edit and search happened while the backup was still writing').toBe(true);
      expect(edited.title).toBe('Edited during the backup');
      expect(found.hits.map((hit) => hit.document.id)).toContain(first.id);
      expect(editMs).toBeLessThan(250);
      expect(searchMs).toBeLessThan(250);
      expect(worstLag).toBeLessThan(250);
      // 30 originals + one thumbnail: the padding differs, the picture (and so its thumbnail) does not.
      expect(result.set.blobs).toBe(31);

      const identities = parseIdentityFile(keys.identity);
      const report = await verifyBackups(archive, { target, identities, restoreCheck: false });
      expect(report.sets.map((set) => set.setId)).toEqual([result.set.setId]);
      const restored = await restoreBackup(target, join(tempDir(), 'restored'), identities, { signers: [archiveSigner(archive)] });
      const copy = await openArchive(restored.path, { actor: 'auditor' });
      try {
        expect((await copy.check()).ok).toBe(true);
        // The snapshot was taken before the edit: the copy holds the document as it was then.
        expect(copy.documents.get(first.id).title).toBe(first.title);
      } finally {
        copy.close();
      }
    } finally {
      archive.close();
    }
  }, 60_000);
});
