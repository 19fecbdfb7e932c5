/**
 * Two clerks edit the same document from the same version: the first save wins, the second is refused
 * with EDIT_CONFLICT naming who changed it, when, and the differences since the version it started from —
 * and nothing of the second save is stored. Without a base version an edit behaves as before.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { ImportResult, VersionDiff } from '../../src/shared/model';
import { clientAs } from '../helpers/sessions';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let li: ApiClient;
  let wang: ApiClient;
  let archiveNo: string;

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'edit-conflict' });
    const api = createApi(archive);
    li = await clientAs(api, archive, 'clerk', 'clerk-li');
    wang = await clientAs(api, archive, 'clerk', 'clerk-wang');
    const imported = await li.invoke('documents:import', { paths: [await writeJpeg(tempDir(), 'slip.jpg')] });
    if (!imported.ok) throw new Error(imported.error.message);
    archiveNo = (imported.value as ImportResult).imported[0]!.document.archiveNo;
  });

  afterAll(() => archive.close());

  describe('edit conflicts', () => {
    it('refuses the second save from the same version with who, when and the diff, storing nothing of it', async () => {
      const first = await li.invoke('documents:edit', { ref: archiveNo, changes: { customer: '华南贸易' }, baseVersion: 1 });
      expect(first).toMatchObject({ ok: true, value: { currentVersion: 2 } });
      const auditBefore = archive.audit.list(0, 10_000).length;

      const second = await wang.invoke('documents:edit', { ref: archiveNo, changes: { customer: '华东物流', amount: '88.00' }, baseVersion: 1 });
      expect(second.ok).toBe(false);
      if (second.ok) return;
      expect(second.error.code).toBe('EDIT_CONFLICT');
      expect(second.error.message).toMatch(new RegExp(`^${archiveNo} was changed by clerk-li at \\d{4}-\\d{2}-\\d{2}T.*review the differences`));
      const details = second.error.details as { changedBy: string; changedAt: string; baseVersion: number; currentVersion: number; diff: VersionDiff };
      expect(details).toMatchObject({ changedBy: 'clerk-li', baseVersion: 1, currentVersion: 2 });
      expect(details.diff).toMatchObject({ archiveNo, from: 1, to: 2 });
      expect(details.diff.fields).toEqual([{ field: 'customer', from: null, to: '华南贸易' }]);

      const now = await wang.invoke('documents:get', { ref: archiveNo });
      expect(now).toMatchObject({ ok: true, value: { currentVersion: 2, customer: '华南贸易', amount: null } });
      expect(archive.audit.list(0, 10_000)).toHaveLength(auditBefore);

      // Reviewed: saving from the current version goes through.
      const again = await wang.invoke('documents:edit', { ref: archiveNo, changes: { amount: '88.00' }, baseVersion: 2 });
      expect(again).toMatchObject({ ok: true, value: { currentVersion: 3, customer: '华南贸易', amount: '88.00' } });
    });

    it('is told before the filing rules judge a version the clerk has not seen', async () => {
      const refused = await li.invoke('documents:edit', { ref: archiveNo, changes: { status: 'filed' }, baseVersion: 1 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'EDIT_CONFLICT', details: { changedBy: 'clerk-wang', currentVersion: 3 } } });
    });

    it('refuses a base version the document never had, and edits without one as before', async () => {
      const future = await li.invoke('documents:edit', { ref: archiveNo, changes: { notes: 'x' }, baseVersion: 9 });
      expect(future).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      if (!future.ok) expect(future.error.message).toBe(`${archiveNo} has no version 9 to start from: its latest is version 3.`);
      const zero = await li.invoke('documents:edit', { ref: archiveNo, changes: { notes: 'x' }, baseVersion: 0 });
      expect(zero).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      const plain = await li.invoke('documents:edit', { ref: archiveNo, changes: { notes: 'no base' } });
      expect(plain).toMatchObject({ ok: true, value: { currentVersion: 4 } });
    });
  });
});
