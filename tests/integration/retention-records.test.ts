/**
 * Retention fed by the records of issue 18 on a real archive: an authorization's end starts the
 * `authorization-end` period of the document that grants it, and the disposal certificate names the paper
 * original's place for physical destruction (and the box label downloads for the same box).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { openPdf } from '../../src/main/core/pdf/pdfjs';
import type { DocumentSummary } from '../../src/shared/model';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const TODAY = Date.parse('2057-06-01T08:00:00Z');

  let archive: Archive;
  let requester: ApiClient;
  let approver: ApiClient;
  let clerk: ApiClient;
  let files: string;

  async function slip(changes: Record<string, unknown>): Promise<DocumentSummary> {
    const document = await archive.documents.importFile(await writeJpeg(files, `slip-${Math.random().toString(36).slice(2)}.jpg`));
    await callOk(clerk, 'documents:edit', { ref: document.archiveNo, changes });
    return document;
  }

  async function pdfText(path: string): Promise<string> {
    const document = await openPdf(new Uint8Array(readFileSync(path)));
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const content = await (await document.getPage(number)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join(''));
    }
    return pages.join('\n');
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'));
    files = tempDir('slipvault-files-');
    const api = createApi(archive, { now: () => TODAY });
    requester = await clientAs(api, archive, 'admin', 'li.na');
    approver = await clientAs(api, archive, 'admin', 'wang.fang');
    clerk = await clientAs(api, archive, 'clerk', 'zhao.clerk');
    await callOk(clerk, 'customers:save', { name: '华南贸易' });
  });

  afterAll(() => archive.close());

  describe('authorization-end retention', () => {
    it('starts when the granted authorization is revoked, expires or is superseded, and not while it is in force', async () => {
      const letter = () => slip({ type: 'authorization', customer: '华南贸易', signedDate: '2026-01-01' });
      const grant = async (document: DocumentSummary, fields: Record<string, unknown>) =>
        callOk(clerk, 'authorizations:save', { customer: '华南贸易', agents: [{ name: '张三' }], scope: {}, grantingDocument: document.archiveNo, ...fields });
      const retention = async (document: DocumentSummary) => {
        const state = await callOk(clerk, 'retention:document', { ref: document.archiveNo });
        return [state.startDate, state.dueDate];
      };

      const untilRevoked = await letter();
      const open = await grant(untilRevoked, { validFrom: '2026-01-01' });
      const dated = await letter();
      await grant(dated, { validFrom: '2026-01-01', validTo: '2027-12-31' });
      const replaced = await letter();
      const older = await grant(replaced, { validFrom: '2026-01-01' });
      const draft = await letter();
      await grant(draft, { validFrom: '2026-01-01', validTo: '2026-06-30', draft: true });
      const unlinked = await letter();

      // The shipped schedule: 30 years from the day an authorization stops being in force, then review.
      expect(await retention(untilRevoked)).toEqual([null, null]);
      expect(await retention(dated)).toEqual(['2028-01-01', '2058-01-01']);
      expect(await retention(draft)).toEqual([null, null]);
      expect(await retention(unlinked)).toEqual([null, null]);

      await callOk(clerk, 'authorizations:revoke', { id: open.id, revokedOn: '2026-06-30', reason: '员工离职' });
      expect(await retention(untilRevoked)).toEqual(['2026-06-30', '2056-06-30']);
      await grant(await letter(), { validFrom: '2026-09-01', supersedes: older.id });
      expect(await retention(replaced)).toEqual(['2026-09-01', '2056-09-01']);

      const due = (await callOk(requester, 'retention:due', {})).items.map((item) => item.archiveNo);
      expect(due).toEqual([untilRevoked.archiveNo, replaced.archiveNo]);
    });
  });

  describe('the disposal certificate', () => {
    it('lists where the paper original of each disposed document is kept', async () => {
      await callOk(requester, 'locations:save', { code: 'A', kind: 'cabinet', label: 'Finance room' });
      await callOk(requester, 'locations:save', { code: 'B2026-014', kind: 'box', label: 'Receipts March 2026', parentCode: 'A' });
      const boxed = await slip({ type: 'delivery_receipt', signedDate: '2026-03-05', customer: '华南贸易' });
      const loose = await slip({ type: 'delivery_receipt', signedDate: '2026-03-06', customer: '华南贸易' });
      await callOk(clerk, 'documents:setLocation', { ref: boxed.archiveNo, location: 'B2026-014' });
      // The same box's label, handed back for the window to download; a cabinet has none.
      const label = await callOk(clerk, 'locations:boxLabelPdf', { box: 'B2026-014' });
      expect(label).toMatchObject({ filename: 'box-B2026-014.pdf', mime: 'application/pdf', rows: 1 });
      expect(Buffer.from(label.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const cabinet = await refusalOf(clerk, 'locations:boxLabelPdf', { box: 'A' });
      expect(cabinet).toMatchObject({ code: 'VALIDATION', message: 'A is a cabinet; labels are printed for boxes.' });

      const batch = await callOk(requester, 'disposal:request', {
        items: [
          { ref: boxed.archiveNo, decision: 'dispose' },
          { ref: loose.archiveNo, decision: 'dispose' },
        ],
        reason: '2057 年度销毁',
      });
      await callOk(approver, 'disposal:approve', { batch: batch.id, reason: '经鉴定可以销毁' });
      const out = join(tempDir(), 'certificate.pdf');
      await callOk(approver, 'disposal:certificate', { batch: batch.id, out });
      const text = (await pdfText(out)).replace(/\s+/g, ' ');
      expect(text).toContain(`Paper original: A / B2026-014 (Receipts March 2026)`);
      expect(text).toContain(`${boxed.archiveNo}: A / B2026-014 (Receipts March 2026)`);
      expect(text).toContain(`${loose.archiveNo}: no location recorded`);
    });
  });
});
