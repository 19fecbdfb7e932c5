/**
 * A disposal batch end to end on a real archive, through the contract, on a clock the test sets (2057):
 * due list, holds, separation of duties, files removed and tombstoned, the certificate in the audit chain,
 * `check` still ok (and still strict about any other missing file), a later backup without the files and
 * an older backup restored whole.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import type { BackupResult, DocumentSummary } from '../../src/shared/model';
import { callOk, refusalOf } from '../helpers/api-calls';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg, writePng } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const PASSPHRASE = 'lantern copper 47 river';
const TODAY = Date.parse('2057-06-01T08:00:00Z');

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const opened: Archive[] = [];
  afterEach(() => {
    for (const archive of opened.splice(0)) archive.close();
  });

  async function setUp() {
    const archive = await backEnd.init(join(tempDir(), 'archive'));
    opened.push(archive);
    const api = createApi(archive, { now: () => TODAY });
    const requester = await clientAs(api, archive, 'admin', 'li.na');
    const approver = await clientAs(api, archive, 'admin', 'wang.fang');
    const clerk = await clientAs(api, archive, 'clerk', 'zhao.clerk');
    const files = tempDir('slipvault-files-');
    const slip = async (name: string, changes: Record<string, unknown>): Promise<DocumentSummary> => {
      const document = await archive.documents.importFile(name.endsWith('.png') ? await writePng(files, name) : await writeJpeg(files, name));
      await callOk(clerk, 'documents:edit', { ref: document.archiveNo, changes });
      return document;
    };
    return { archive, requester, approver, clerk, slip };
  }

  const blobsOf = (archive: Archive, documentId: number) =>
    archive.connection.sqlite
      .prepare(
        `SELECT blob_hash FROM source_files WHERE document_id = @id UNION SELECT thumbnail_hash FROM pages WHERE document_id = @id AND thumbnail_hash IS NOT NULL`,
      )
      .pluck()
      .all({ id: documentId }) as string[];

  describe('a disposal batch', () => {
    it('removes the files of due, unheld documents once a second administrator approves, and proves it', async () => {
      const { archive, requester, approver, clerk, slip } = await setUp();
      const receipt = await slip('receipt.jpg', { type: 'delivery_receipt', signedDate: '2026-03-05', customer: '华南贸易' });
      const signedBack = await slip('signed-back.png', { type: 'signed_back', signedDate: '2026-08-01', customer: '华南贸易' });
      const contract = await slip('contract.jpg', { type: 'contract', signedDate: '2026-01-10', customer: '华南贸易' });
      const recent = await slip('recent.jpg', { type: 'delivery_receipt', signedDate: '2027-02-01', customer: '华南贸易' });
      const disputed = await slip('disputed.jpg', { type: 'delivery_receipt', signedDate: '2026-05-05', customer: '北方物流' });
      const target = tempDir('slipvault-target-');
      // Backing up an archive on PostgreSQL is not built yet (docs/server-postgres.md): there the batch runs without backups.
      const before = backEnd.name === 'sqlite' ? await callOk(clerk, 'backup:create', { target, passphrase: PASSPHRASE }) : null;

      // 30 years from the end of fiscal 2026: due on 2057-01-01; a 2027 slip is not due until 2058.
      const hold = await callOk(clerk, 'holds:add', { customer: '北方物流', kind: 'dispute', reason: '对账争议 2057-05' });
      const due = await callOk(requester, 'retention:due', {});
      expect(due.asOf).toBe('2057-06-01');
      expect(due.items.map((item) => [item.archiveNo, item.dueDate, item.holds.length])).toEqual([
        [receipt.archiveNo, '2057-01-01', 0],
        [signedBack.archiveNo, '2057-01-01', 0],
        [contract.archiveNo, '2057-01-01', 0],
        [disputed.archiveNo, '2057-01-01', 1],
      ]);
      expect(due.items.some((item) => item.archiveNo === recent.archiveNo)).toBe(false);

      // A held document is refused, even for an administrator, and nothing is stored.
      const held = await refusalOf(requester, 'disposal:request', {
        items: [
          { ref: receipt.archiveNo, decision: 'dispose' },
          { ref: disputed.archiveNo, decision: 'dispose' },
        ],
        reason: '2057 年度销毁',
      });
      expect(held.code).toBe('ON_HOLD');
      expect(held.message).toContain(disputed.archiveNo);
      expect(held.details).toMatchObject({ holds: [hold.id] });
      expect(await callOk(requester, 'disposal:list', {})).toEqual([]);
      // Nor can a request look ahead of today.
      expect(
        (await refusalOf(requester, 'disposal:request', { asOf: '2058-03-01', items: [{ ref: recent.archiveNo, decision: 'dispose' }], reason: 'x' })).code,
      ).toBe('VALIDATION');
      expect((await refusalOf(requester, 'disposal:request', { items: [{ ref: recent.archiveNo, decision: 'dispose' }], reason: 'x' })).code).toBe('NOT_DUE');

      const batch = await callOk(requester, 'disposal:request', {
        items: [
          { ref: receipt.archiveNo, decision: 'dispose' },
          { ref: signedBack.archiveNo, decision: 'dispose' },
          { ref: contract.archiveNo, decision: 'extend', extendUntil: '2060-12-31' },
        ],
        reason: '2057 年度销毁',
      });
      expect(batch).toMatchObject({ status: 'requested', requestedBy: 'li.na', asOf: '2057-06-01' });
      const removed = [...blobsOf(archive, receipt.id), ...blobsOf(archive, signedBack.id)];
      expect(removed).toHaveLength(4);
      const kept = blobsOf(archive, contract.id);

      // Separation of duties: the requester cannot approve, whatever the case of the name.
      const self = await refusalOf(requester, 'disposal:approve', { batch: batch.id, reason: 'ok' });
      expect(self.code).toBe('SAME_APPROVER');
      expect(removed.every((hash) => archive.blobs.has(hash))).toBe(true);

      const approval = await callOk(approver, 'disposal:approve', { batch: batch.id, reason: '经鉴定可以销毁' });
      expect(approval.disposed).toEqual([receipt.archiveNo, signedBack.archiveNo]);
      expect(approval.extended).toEqual([contract.archiveNo]);
      expect(approval.filesRemoved).toBe(4);
      expect(approval.backupHolders).toEqual(before ? [{ target, setId: before.set.setId, createdAt: before.set.createdAt, files: 4 }] : []);
      expect(approval.batch).toMatchObject({ status: 'approved', decidedBy: 'wang.fang' });

      // The files are gone; the tombstone keeps metadata, hashes and the history.
      expect(removed.some((hash) => archive.blobs.has(hash))).toBe(false);
      expect(kept.every((hash) => archive.blobs.has(hash))).toBe(true);
      const tombstones = archive.connection.sqlite.prepare('SELECT blob_hash FROM disposed_blobs ORDER BY blob_hash').pluck().all();
      // Its pages were never recognised (no OCR ran here): their jobs end instead of failing on the missing files later.
      expect(
        archive.connection.sqlite
          .prepare("SELECT DISTINCT status || ': ' || error FROM ocr_jobs WHERE page_id IN (SELECT id FROM pages WHERE document_id = ?)")
          .pluck()
          .all(receipt.id),
      ).toEqual(['failed: the document was disposed of']);
      expect(archive.connection.sqlite.prepare("SELECT count(*) FROM ocr_jobs WHERE status = 'queued'").pluck().get()).toBe(3);
      expect(tombstones).toEqual([...removed].sort());
      const gone = await callOk(approver, 'documents:get', { ref: receipt.archiveNo });
      expect(gone.metadata).toMatchObject({ customer: '华南贸易', signedDate: '2026-03-05', type: 'delivery_receipt' });
      const history = await callOk(approver, 'documents:history', { ref: receipt.archiveNo });
      expect(history.at(-1)).toMatchObject({ action: 'dispose', actor: 'wang.fang', reason: `disposal batch ${batch.id}` });
      expect((await refusalOf(clerk, 'documents:edit', { ref: receipt.archiveNo, changes: { title: 'again' } })).code).toBe('CONFLICT');
      const state = await callOk(clerk, 'retention:document', { ref: receipt.archiveNo });
      expect(state.disposed).toMatchObject({ batchId: batch.id });
      expect((await callOk(clerk, 'retention:document', { ref: contract.archiveNo })).dueDate).toBe('2060-12-31');
      expect((await callOk(requester, 'retention:due', {})).items.map((item) => item.archiveNo)).toEqual([disputed.archiveNo]);

      // The certificate: its SHA-256 is in the audit chain with the approval.
      const out = join(tempDir(), '销毁清册.pdf');
      const written = await callOk(approver, 'disposal:certificate', { batch: batch.id, out });
      const pdf = readFileSync(out);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(createHash('sha256').update(pdf).digest('hex')).toBe(written.sha256);
      const approveEvent = archive.audit.list(0, 100_000).find((event) => event.action === 'disposal.approve')!;
      expect(approveEvent).toMatchObject({ actor: 'wang.fang', details: { certificateSha256: written.sha256, requestedBy: 'li.na' } });
      expect(approveEvent.details.files).toEqual([...removed].sort());

      // check accepts the disposed files as absent, and nothing else.
      expect(await archive.check()).toMatchObject({ ok: true, problems: [] });

      if (before) {
        // A later backup leaves the files out; restored, it is a whole archive without them.
        const after: BackupResult = await callOk(clerk, 'backup:create', { target, passphrase: PASSPHRASE, full: true });
        const latest = await callOk(approver, 'backup:restore', { target, into: join(tempDir(), 'latest'), setId: after.set.setId, passphrase: PASSPHRASE });
        const latestCopy = await backEnd.open(latest.path);
        try {
          expect(removed.some((hash) => latestCopy.blobs.has(hash))).toBe(false);
          expect(kept.every((hash) => latestCopy.blobs.has(hash))).toBe(true);
          expect((await latestCopy.check()).ok).toBe(true);
        } finally {
          latestCopy.close();
        }
        // verify-backup's test restore runs check on the newest set too.
        expect(await callOk(clerk, 'backup:verify', { target, passphrase: PASSPHRASE, restoreCheck: true })).toMatchObject({ restoreChecked: true });
        // The backup made before the disposal still restores whole, with the files, as it was then.
        const older = await callOk(approver, 'backup:restore', { target, into: join(tempDir(), 'older'), setId: before.set.setId, passphrase: PASSPHRASE });
        const olderCopy = await backEnd.open(older.path);
        try {
          expect(removed.every((hash) => olderCopy.blobs.has(hash))).toBe(true);
          expect((await olderCopy.check()).ok).toBe(true);
        } finally {
          olderCopy.close();
        }
      }

      // A missing file that no disposal removed still fails check, even with a tombstone row forged by hand.
      const [recentOriginal] = blobsOf(archive, recent.id);
      rmSync(archive.blobs.pathOf(recentOriginal!));
      archive.connection.sqlite
        .prepare("INSERT INTO disposed_blobs (blob_hash, batch_id, document_id, kind, disposed_at) VALUES (?, ?, ?, 'original', 'now')")
        .run(recentOriginal, batch.id, recent.id);
      const report = await archive.check();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'blob-missing', documents: [recent.archiveNo], blobHash: recentOriginal })]);
    });

    it('is refused when a hold is placed between request and approval, until the hold is lifted with a reason', async () => {
      const { archive, requester, approver, clerk, slip } = await setUp();
      const receipt = await slip('receipt.jpg', { type: 'delivery_receipt', signedDate: '2020-03-05' });
      const batch = await callOk(requester, 'disposal:request', { items: [{ ref: receipt.archiveNo, decision: 'dispose' }], reason: 'yearly' });
      const hold = await callOk(clerk, 'holds:add', { ref: receipt.archiveNo, kind: 'audit', reason: '税务稽查' });
      expect((await refusalOf(approver, 'disposal:approve', { batch: batch.id, reason: 'ok' })).code).toBe('ON_HOLD');
      expect(blobsOf(archive, receipt.id).every((hash) => archive.blobs.has(hash))).toBe(true);
      expect((await callOk(approver, 'disposal:list', {}))[0]).toMatchObject({ status: 'requested' });

      // Lifting is for administrators, and needs a reason.
      expect((await refusalOf(clerk, 'holds:lift', { id: hold.id, reason: 'done' })).code).toBe('FORBIDDEN');
      expect((await refusalOf(approver, 'holds:lift', { id: hold.id, reason: ' ' })).code).toBe('VALIDATION');
      const lifted = await callOk(approver, 'holds:lift', { id: hold.id, reason: '稽查结束' });
      expect(lifted).toMatchObject({ liftedBy: 'wang.fang', liftReason: '稽查结束' });
      expect((await refusalOf(approver, 'holds:lift', { id: hold.id, reason: 'again' })).code).toBe('CONFLICT');
      const events = archive.audit.list(0, 100_000).filter((event) => event.action.startsWith('hold.'));
      expect(events.map((event) => [event.action, event.actor, event.targetId])).toEqual([
        ['hold.add', 'zhao.clerk', receipt.archiveNo],
        ['hold.lift', 'wang.fang', receipt.archiveNo],
      ]);

      const approval = await callOk(approver, 'disposal:approve', { batch: batch.id, reason: 'ok' });
      expect(approval.disposed).toEqual([receipt.archiveNo]);
      expect(approval.backupHolders).toEqual([]);
      expect((await refusalOf(approver, 'disposal:approve', { batch: batch.id, reason: 'ok' })).code).toBe('CONFLICT');
    });

    it('keeps the parts of one scanned batch together', async () => {
      const { archive, requester } = await setUp();
      const first = await archive.documents.importFile(await writeJpeg(tempDir(), 'part.jpg'));
      const second = await archive.documents.importFile(await writeJpeg(tempDir(), 'other.jpg', 330, 480));
      // The second document's page cut from the first one's file, as a split batch leaves them.
      const firstFile = archive.connection.sqlite.prepare('SELECT id FROM source_files WHERE document_id = ?').pluck().get(first.id);
      archive.connection.sqlite.prepare('UPDATE pages SET source_file_id = ? WHERE document_id = ?').run(firstFile, second.id);
      for (const document of [first, second]) {
        archive.documents.edit(document.archiveNo, { type: 'delivery_receipt', signedDate: '2020-01-01' } as never, null);
      }
      const shared = await refusalOf(requester, 'disposal:request', { items: [{ ref: first.archiveNo, decision: 'dispose' }], reason: 'x' });
      expect(shared).toMatchObject({ code: 'CONFLICT', details: { sharedWith: [second.archiveNo] } });
      const both = await callOk(requester, 'disposal:request', {
        items: [
          { ref: first.archiveNo, decision: 'dispose' },
          { ref: second.archiveNo, decision: 'dispose' },
        ],
        reason: 'x',
      });
      expect(both.items).toHaveLength(2);
    });
  });

  describe('retention on a document', () => {
    it('can be extended as a new version, never shortened below its type or an earlier extension', async () => {
      const { clerk, slip, archive } = await setUp();
      const receipt = await slip('receipt.jpg', { type: 'delivery_receipt', signedDate: '2026-03-05' });
      const versions = (await callOk(clerk, 'documents:history', { ref: receipt.archiveNo })).length;

      const shorter = await refusalOf(clerk, 'retention:extend', { ref: receipt.archiveNo, until: '2050-01-01', reason: '提前' });
      expect(shorter.code).toBe('RETENTION_SHORTENED');
      expect(shorter.message).toContain('2057-01-01');
      expect((await callOk(clerk, 'documents:history', { ref: receipt.archiveNo })).length).toBe(versions);

      const extended = await callOk(clerk, 'retention:extend', { ref: receipt.archiveNo, until: '2070-12-31', reason: '长期合作客户' });
      expect(extended).toMatchObject({ typeDueDate: '2057-01-01', retainUntil: '2070-12-31', dueDate: '2070-12-31' });
      const history = await callOk(clerk, 'documents:history', { ref: receipt.archiveNo });
      expect(history.at(-1)).toMatchObject({ action: 'retention.extend', actor: 'zhao.clerk', reason: '长期合作客户' });
      expect((await refusalOf(clerk, 'retention:extend', { ref: receipt.archiveNo, until: '2065-01-01', reason: 'less' })).code).toBe('RETENTION_SHORTENED');
      // Restoring the version before the extension does not take the extension back.
      await callOk(clerk, 'documents:edit', { ref: receipt.archiveNo, changes: { title: 'renamed' } });
      await callOk(clerk, 'documents:restoreVersion', { ref: receipt.archiveNo, version: versions });
      expect((await callOk(clerk, 'retention:document', { ref: receipt.archiveNo })).dueDate).toBe('2070-12-31');
      expect((await archive.check()).ok).toBe(true);
    });

    it("follows its type's schedule, which administrators change with an audited event", async () => {
      const { requester, clerk, slip, archive } = await setUp();
      const contract = await slip('contract.jpg', { type: 'contract', signedDate: '2030-07-01' });
      expect(await callOk(clerk, 'retention:document', { ref: contract.archiveNo })).toMatchObject({ startDate: '2031-01-01', dueDate: '2061-01-01' });

      const saved = await callOk(requester, 'retention:setSchedule', {
        typeCode: 'contract',
        startEvent: 'signed-date',
        years: 20,
        action: 'dispose',
        basis: '民法典第一百八十八条：最长保护期 20 年',
      });
      expect(saved).toMatchObject({ typeCode: 'contract', years: 20, startEvent: 'signed-date' });
      expect(await callOk(clerk, 'retention:document', { ref: contract.archiveNo })).toMatchObject({ startDate: '2030-07-01', dueDate: '2050-07-01' });
      const event = archive.audit.list(0, 100_000).find((entry) => entry.action === 'retention.schedule')!;
      expect(event).toMatchObject({ actor: 'li.na', targetId: 'contract', details: { from: { years: 30, startEvent: 'fiscal-year-end' }, to: { years: 20 } } });

      const same = { typeCode: 'contract', startEvent: 'signed-date', years: 20, action: 'dispose', basis: '民法典第一百八十八条：最长保护期 20 年' };
      expect((await refusalOf(requester, 'retention:setSchedule', same)).code).toBe('CONFLICT');
      expect((await refusalOf(requester, 'retention:setSchedule', { ...same, typeCode: 'waybill' })).code).toBe('NOT_FOUND');
      expect((await refusalOf(requester, 'retention:setSchedule', { ...same, years: 0 })).code).toBe('VALIDATION');
      expect((await refusalOf(clerk, 'retention:setSchedule', { ...same, years: 5 })).code).toBe('FORBIDDEN');
      expect((await callOk(clerk, 'retention:schedules', {})).find((schedule) => schedule.typeCode === 'contract')).toMatchObject({ years: 20 });
    });
  });
});
