/**
 * backup:restore (the UI's restore wizard): restores a chosen set into a new folder as a separate archive,
 * through the contract, with progress; refuses folders inside the open archive or the target, non-empty
 * folders and wrong passphrases, and never changes the open archive — on both storage back ends (a set of an
 * archive on PostgreSQL restores into a folder as an SQLite archive).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/events';
import type { BackupResult, RestoreResult } from '../../src/shared/model';
import { openArchive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { adminClient } from '../helpers/sessions';
import { tempDir, writeJpeg } from '../helpers/fixtures';

const PASSPHRASE = 'lantern copper 47 river';

describe.each(BACK_ENDS)('backup:restore (%s)', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  it('restores a chosen set into a new folder and refuses anything that would touch the open archive', async () => {
    const archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'clerk-li' });
    const files = tempDir('slipvault-files-');
    const api = await adminClient(archive, 'clerk-li');
    const target = tempDir('slipvault-target-');
    try {
      await archive.documents.importFile(await writeJpeg(files, 'a.jpg'));
      const first = await api.invoke('backup:create', { target, passphrase: PASSPHRASE });
      expect(first.ok).toBe(true);
      await archive.documents.importFile(await writeJpeg(files, 'b.jpg'));
      expect((await api.invoke('backup:create', { target, passphrase: PASSPHRASE })).ok).toBe(true);
      const firstSet = (first as { value: BackupResult }).value.set.setId;
      const auditBefore = archive.audit.list(0, 10_000).length;

      const progress: JobProgress[] = [];
      const unsubscribe = archive.events.subscribe((name, payload) => name === 'jobs:progress' && progress.push(payload as JobProgress));
      const into = join(tempDir(), 'copy');
      const restored = await api.invoke('backup:restore', { target, into, setId: firstSet, passphrase: PASSPHRASE });
      unsubscribe();
      expect(restored.ok).toBe(true);
      const result = (restored as { value: RestoreResult }).value;
      expect(result.setId).toBe(firstSet);
      expect(progress.at(-1)?.phase).toBe('restore');
      const copy = await openArchive(result.path, { actor: 'auditor' });
      try {
        expect(copy.documents.list({ includeVoided: false, limit: 10, offset: 0 }).total).toBe(1);
        expect((await copy.check()).ok).toBe(true);
      } finally {
        copy.close();
      }

      const refusals = [
        { into: join(archive.dir, 'restored') },
        { into: archive.dir },
        { into: join(target, 'restored') },
        {
          into: (() => {
            const busy = join(tempDir(), 'busy');
            mkdirSync(busy);
            writeFileSync(join(busy, 'note.txt'), 'keep me');
            return busy;
          })(),
        },
      ];
      for (const refusal of refusals) {
        const answer = await api.invoke('backup:restore', { target, passphrase: PASSPHRASE, ...refusal });
        expect(answer.ok, refusal.into).toBe(false);
        expect(answer.ok ? null : answer.error.code).toBe('VALIDATION');
      }
      const wrongKey = await api.invoke('backup:restore', { target, into: join(tempDir(), 'wrong'), passphrase: 'not the passphrase at all' });
      expect(wrongKey.ok ? null : wrongKey.error.code).toBe('WRONG_KEY');
      expect((await api.invoke('backup:restore', { target, into: join(tempDir(), 'x'), setId: 'latest' })).ok).toBe(false);

      // The open archive is as it was: no audit events but the reads of this test.
      expect(archive.documents.list({ includeVoided: false, limit: 10, offset: 0 }).total).toBe(2);
      expect(
        archive.audit
          .list(0, 10_000)
          .slice(auditBefore)
          .filter((event) => event.action !== 'documents.list'),
      ).toEqual([]);
      expect(readdirSync(archive.dir).sort()).not.toContain('restored');
    } finally {
      archive.close();
    }
  });
});
