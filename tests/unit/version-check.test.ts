/**
 * `check`'s comparison of every document with its latest version, read in batches (core/version-check.ts): documents
 * with every part of a snapshot pass, and a change made from outside to any part is reported for exactly the document
 * changed, wherever it falls among the batches.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { readSnapshot, readSnapshots } from '../../src/main/core/documents/snapshot';
import { versionMismatches } from '../../src/main/core/version-check';
import type { DocumentSummary } from '../../src/shared/model';
import { callOk } from '../helpers/api-calls';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg, writeTiff } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const TODAY = Date.parse('2057-06-01T08:00:00Z');
  /** Small enough that the documents below fill four batches, the last one partly. */
  const BATCH = 3;
  const DOCUMENTS = 11;
  const DISPOSED = 7;

  let archive: Archive;
  let admin: ApiClient;
  const slips: DocumentSummary[] = [];

  /** The documents `check` reports as changed outside SlipVault, and the messages it gives. */
  function mismatches(documentsPerBatch?: number): string[] {
    return versionMismatches(archive.connection, documentsPerBatch).map((problem) => {
      expect(problem.kind).toBe('version-mismatch');
      return problem.message;
    });
  }

  const changedOutside = (index: number) =>
    `${slips[index]!.archiveNo} was changed outside SlipVault: it no longer matches its version ${currentVersion(index)}`;

  function currentVersion(index: number): number {
    const row = archive.connection.sqlite.prepare('SELECT current_version AS version FROM documents WHERE id = ?').get(slips[index]!.id) as { version: number };
    return row.version;
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'));
    const files = tempDir('slipvault-files-');
    const api = createApi(archive, { now: () => TODAY });
    admin = await clientAs(api, archive, 'admin', 'li.na');
    const approver = await clientAs(api, archive, 'admin', 'wang.fang');
    for (const name of ['华南贸易', '华北物流']) await callOk(admin, 'customers:save', { name });
    await callOk(admin, 'locations:save', { code: 'A', kind: 'cabinet', label: 'Finance room' });
    for (const code of ['B1', 'B2']) await callOk(admin, 'locations:save', { code, kind: 'box', label: `Receipts ${code}`, parentCode: 'A' });

    for (let index = 0; index < DOCUMENTS; index += 1) {
      const multiPage = index % 3 === 0;
      const path = multiPage ? await writeTiff(files, `slip-${index}.tif`, 3) : await writeJpeg(files, `slip-${index}.jpg`);
      const document = await archive.documents.importFile(path);
      slips.push(document);
      await callOk(admin, 'documents:edit', {
        ref: document.archiveNo,
        changes: {
          customer: '华南贸易',
          type: 'delivery_receipt',
          signedDate: '2026-03-05',
          slipNo: `DN-${index}`,
          amount: `${1000 + index}.50`,
          signer: '王五',
          tags: ['月结', `批次-${index % 2}`],
          notes: `第 ${index} 张`,
        },
      });
      await callOk(admin, 'documents:setLocation', { ref: document.archiveNo, location: 'B1' });
      if (multiPage) {
        const [, second] = (await callOk(admin, 'documents:get', { ref: document.archiveNo })).pages;
        await callOk(admin, 'pages:rotate', { ref: document.archiveNo, pageId: second!.pageId, rotation: 90 });
      }
      if (index % 2 === 0) await callOk(admin, 'retention:extend', { ref: document.archiveNo, until: '2090-12-31', reason: '长期合作客户' });
    }
    const disposal = await callOk(admin, 'disposal:request', { items: [{ ref: slips[DISPOSED]!.archiveNo, decision: 'dispose' }], reason: '到期销毁' });
    await callOk(approver, 'disposal:approve', { batch: disposal.id, reason: '经鉴定可以销毁' });
  });

  afterAll(() => archive.close());

  it('finds documents with every part of a snapshot equal to their latest versions, in batches as in one', async () => {
    const ids = slips.map((slip) => slip.id);
    const snapshots = readSnapshots(archive.connection.db, ids);
    expect([...snapshots.keys()]).toEqual(ids);
    const [multiPage, , , , extended] = ids.map((id) => snapshots.get(id)!);
    expect(multiPage!.pages.map((page) => page.rotation)).toEqual([0, 90, 0]);
    expect(multiPage!.metadata).toMatchObject({ customer: '华南贸易', amount: '1000.50', tags: ['批次-0', '月结'] });
    expect(extended).toMatchObject({ location: 'B1', retention: { retainUntil: '2090-12-31', disposed: null } });
    expect(snapshots.get(ids[DISPOSED]!)!.retention).toMatchObject({ retainUntil: null, disposed: { at: expect.any(String) as string } });
    for (const id of ids) expect(JSON.stringify(snapshots.get(id))).toBe(JSON.stringify(readSnapshot(archive.connection.db, id)));

    expect(mismatches(BATCH)).toEqual([]);
    expect(mismatches(1)).toEqual([]);
    expect((await archive.check()).problems).toEqual([]);
  });

  it('reports a change from outside to any part of a snapshot for exactly the document changed', async () => {
    const raw = backEnd.raw(archive);
    const run = (statement: string, ...values: unknown[]) => raw.prepare(statement).run(...values);
    const pageIds = (index: number) =>
      raw.prepare('SELECT id FROM pages WHERE document_id = ? AND position IS NOT NULL ORDER BY position').pluck().all(slips[index]!.id) as number[];
    const batchId = raw.prepare('SELECT batch_id FROM disposed_documents').pluck().get() as number;
    const CHANGES: [index: number, part: string, change: () => void][] = [
      [
        4,
        'retention',
        () =>
          run(`INSERT INTO retention_extensions (document_id, retain_until, reason, actor, created_at) VALUES (?, '2099-12-31', 'x', 'x', 'x')`, slips[4]!.id),
      ],
      [1, 'title', () => run(`UPDATE documents SET title = 'retitled' WHERE id = ?`, slips[1]!.id)],
      [0, 'rotation', () => run('UPDATE pages SET rotation = 180 WHERE id = ?', pageIds(0)[1])],
      [2, 'customer', () => run(`UPDATE documents SET customer_id = (SELECT id FROM customers WHERE name = '华北物流') WHERE id = ?`, slips[2]!.id)],
      [10, 'tags', () => run('DELETE FROM document_tags WHERE document_id = ?', slips[10]!.id)],
      [5, 'amount', () => run('UPDATE documents SET amount_minor = amount_minor + 1 WHERE id = ?', slips[5]!.id)],
      [
        3,
        'page order',
        () => {
          const [first, second] = pageIds(3);
          run('UPDATE pages SET position = NULL WHERE id = ?', first);
          run('UPDATE pages SET position = 1 WHERE id = ?', second);
          run('UPDATE pages SET position = 2 WHERE id = ?', first);
        },
      ],
      [6, 'page text', () => run(`UPDATE pages SET text = '改过的文字' WHERE id = ?`, pageIds(6)[2])],
      [DISPOSED, 'location', () => run(`UPDATE document_locations SET location_code = 'B2' WHERE document_id = ?`, slips[DISPOSED]!.id)],
      [8, 'location removed', () => run('DELETE FROM document_locations WHERE document_id = ?', slips[8]!.id)],
      [9, 'disposal', () => run(`INSERT INTO disposed_documents (document_id, batch_id, disposed_at) VALUES (?, ?, 'x')`, slips[9]!.id, batchId)],
    ];
    try {
      const changed: number[] = [];
      for (const [index, part, change] of CHANGES) {
        change();
        changed.push(index);
        const expected = [...changed].sort((a, b) => a - b).map(changedOutside);
        expect(mismatches(BATCH), part).toEqual(expected);
      }
      const report = await archive.check();
      expect(report.problems.map((problem) => problem.message)).toEqual(mismatches(BATCH));
      expect(report.problems.map((problem) => problem.documents)).toEqual(slips.map((slip) => [slip.archiveNo]));
    } finally {
      raw.close();
    }
  });
});
