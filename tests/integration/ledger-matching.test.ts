/**
 * Matching filed documents to the slip ledger on a real archive, through the contract: an exact slip number
 * links the document (a new version with the ledger tag, audited) and moves the row on; a near one only
 * becomes a candidate the clerk confirms; manual link and unlink, each a new version; the refusals; and
 * filed slips nobody expected.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { ErrorPayload } from '../../src/shared/errors';
import { tempDir, writeJpeg } from '../helpers/fixtures';
import { signedPage } from '../helpers/signed-pages';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let dir: string;
  let archive: Archive;
  let api: Api;
  let clerk: ApiClient;
  const clock = new Date(2026, 3, 1, 12).getTime();

  async function call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await clerk.invoke(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function refusal<M extends Method>(method: M, input: InputOf<M>): Promise<ErrorPayload> {
    const result = await clerk.invoke(method, input);
    if (result.ok) throw new Error(`${method} was expected to fail`);
    return result.error;
  }

  let imported = 0;
  /** A new scanned slip in the inbox, signed and sealed unless said otherwise, its signed check run as the filing form does. */
  async function scan(signed = true): Promise<string> {
    imported += 1;
    const path = join(dir, `slip-${imported}.jpg`);
    if (signed) writeFileSync(path, await signedPage({ seed: imported, signature: true, seal: true }));
    else await writeJpeg(dir, `slip-${imported}.jpg`);
    const result = await call('documents:import', { paths: [path] });
    const archiveNo = result.imported[0]!.document.archiveNo;
    expect((await call('documents:signatureCheck', { ref: archiveNo })).signed).toBe(signed);
    return archiveNo;
  }

  const FILING = { type: 'delivery_receipt', signedDate: '2026-03-28' } as const;

  async function fileSlip(slipNo: string, customer: string, signed = true): Promise<string> {
    const archiveNo = await scan(signed);
    await call('inbox:file', { ref: archiveNo, changes: { ...FILING, slipNo, customer }, acceptSuggestions: false });
    return archiveNo;
  }

  beforeAll(async () => {
    dir = tempDir();
    archive = await backEnd.init(join(dir, 'archive'), { program: 'ledger matching test', clock: () => new Date(clock) });
    api = createApi(archive, { now: () => clock });
    clerk = await clientAs(api, archive, 'clerk', 'li.na');
    for (const [slipNo, customer] of [
      ['SO-2026-0011', '华南贸易'],
      ['SO-2026-0012', '华南贸易'],
      ['SO-2026-0013', '东方物流'],
      ['SO-2026-0014', '华南贸易'],
      ['SO-2026-0015', '华南贸易'],
    ]) {
      await call('ledger:create', { slipNo: slipNo!, customer: customer!, issueDate: '2026-03-01', amount: '100.00', owner: 'li.na' });
    }
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  describe('filing a document', () => {
    it('with the exact slip number links it, files the row and tags the document in a new version', async () => {
      const archiveNo = await fileSlip('so-2026-0011', '华南贸易');
      const { row, history } = await call('ledger:get', { row: 'SO-2026-0011' });
      expect(row).toMatchObject({ archiveNo, custody: 'filed', returnedOn: '2026-04-01', daysOverdue: null, bucket: null });
      expect(history.at(-1)).toMatchObject({ action: 'match', actor: 'li.na', changes: { custody: { from: 'sent', to: 'filed' } } });
      const document = await call('documents:get', { ref: archiveNo });
      expect(document.metadata.tags).toEqual(['ledger:SO-2026-0011']);
      const versions = await call('documents:history', { ref: archiveNo });
      expect(versions.map((version) => version.action)).toEqual(['import', 'edit', 'edit']);
      expect(versions.at(-1)!.reason).toMatch(/slip SO-2026-0011 matched/);
      const match = archive.audit.list(0, 1000).find((event) => event.action === 'ledger.match');
      expect(match).toMatchObject({ actor: 'li.na', targetType: 'ledger-row', targetId: 'SO-2026-0011' });
    });

    it('one or two characters off, or for another customer, only proposes candidates', async () => {
      const nearNo = await fileSlip('SO-2026-0O12', '华南贸易');
      expect((await call('ledger:get', { row: 'SO-2026-0012' })).row).toMatchObject({ custody: 'sent', documentId: null });
      const candidates = await call('ledger:candidates', { document: nearNo });
      expect(candidates[0]).toMatchObject({ distance: 1, slipNo: 'SO-2026-0O12', source: 'document', customerDiffers: false, row: { slipNo: 'SO-2026-0012' } });
      expect(candidates.map((candidate) => candidate.row.slipNo)).not.toContain('SO-2026-0011');

      const otherCustomer = await fileSlip('SO-2026-0013', '华南贸易');
      expect((await call('ledger:get', { row: 'SO-2026-0013' })).row.documentId).toBeNull();
      expect((await call('ledger:candidates', { document: otherCustomer }))[0]).toMatchObject({ distance: 0, customerDiffers: true });

      // The clerk confirms the near match.
      const linked = await call('ledger:link', { row: 'SO-2026-0012', document: nearNo, reason: 'OCR read 0 as O' });
      expect(linked).toMatchObject({ custody: 'filed', archiveNo: nearNo });
      const versions = await call('documents:history', { ref: nearNo });
      expect(versions.at(-1)).toMatchObject({ action: 'edit', reason: 'OCR read 0 as O', actor: 'li.na' });
    });

    it('with a slip number no row expects is flagged as not expected', async () => {
      const stray = await fileSlip('ZZ-9999', '华南贸易');
      const unexpected = await call('ledger:unexpected', {});
      expect(unexpected.items.map((item) => item.document.archiveNo)).toContain(stray);
      expect(unexpected.items.map((item) => item.document.archiveNo)).not.toContain((await call('ledger:get', { row: 'SO-2026-0011' })).row.archiveNo);
    });
  });

  describe('manual link and unlink', () => {
    it('unlink puts the row back out, removes the tag as a new version, and the matcher leaves the pair alone', async () => {
      const archiveNo = (await call('ledger:get', { row: 'SO-2026-0011' })).row.archiveNo!;
      const before = (await call('documents:get', { ref: archiveNo })).currentVersion;
      const row = await call('ledger:unlink', { row: 'SO-2026-0011', reason: 'wrong slip scanned' });
      expect(row).toMatchObject({ custody: 'sent', documentId: null, returnedOn: null, daysOverdue: 16, bucket: '16-30' });
      const document = await call('documents:get', { ref: archiveNo });
      expect(document.currentVersion).toBe(before + 1);
      expect(document.metadata.tags).toEqual([]);
      // Editing the document again does not link it back to the row it was unlinked from.
      await call('documents:edit', { ref: archiveNo, changes: { notes: 'checked' } });
      expect((await call('ledger:get', { row: 'SO-2026-0011' })).row.documentId).toBeNull();
      const events = archive.audit.list(0, 1000).filter((event) => event.action === 'ledger.unlink');
      expect(events).toMatchObject([{ actor: 'li.na', details: { reason: 'wrong slip scanned' } }]);
    });

    it('refuses a voided document, a row linked elsewhere and a document linked to another row', async () => {
      const voided = await scan();
      await call('documents:void', { ref: voided, reason: 'blank page' });
      const voidedRefusal = await refusal('ledger:link', { row: 'SO-2026-0014', document: voided });
      expect(voidedRefusal).toMatchObject({ code: 'CONFLICT' });
      expect(voidedRefusal.message).toMatch(/is voided; a voided document cannot bring back the slip SO-2026-0014/);

      const linkedTo = (await call('ledger:get', { row: 'SO-2026-0012' })).row.archiveNo!;
      const spare = await scan();
      expect((await refusal('ledger:link', { row: 'SO-2026-0012', document: spare })).message).toBe(
        `The slip SO-2026-0012 is already linked to ${linkedTo}; unlink it there first.`,
      );
      expect((await refusal('ledger:link', { row: 'SO-2026-0014', document: linkedTo })).message).toBe(
        `${linkedTo} is already linked to the slip SO-2026-0012; unlink it there first.`,
      );
      expect((await refusal('ledger:link', { row: 'NOPE-1', document: spare })).message).toBe('No ledger row expects the slip NOPE-1.');
      expect((await call('ledger:get', { row: 'SO-2026-0014' })).row).toMatchObject({ documentId: null, custody: 'sent' });
      expect((await call('documents:get', { ref: spare })).currentVersion).toBe(1);
    });

    it('a link to an inbox document puts the slip at the office; filing it then files the row', async () => {
      const inboxDoc = await scan();
      expect(await call('ledger:link', { row: 'SO-2026-0015', document: inboxDoc })).toMatchObject({ custody: 'at_office' });
      expect((await call('documents:get', { ref: inboxDoc })).metadata).toMatchObject({ slipNo: 'SO-2026-0015', tags: ['ledger:SO-2026-0015'] });
      await call('inbox:file', { ref: inboxDoc, changes: { ...FILING, customer: '华南贸易' }, acceptSuggestions: false });
      expect((await call('ledger:get', { row: 'SO-2026-0015' })).row.custody).toBe('filed');
    });
  });

  describe('returned needs signed', () => {
    it('an unsigned slip that matches exactly is linked with a signature problem, not moved on; filing leaves it', async () => {
      await call('ledger:create', { slipNo: 'SO-2026-0021', customer: '华南贸易', issueDate: '2026-03-01', owner: 'li.na' });
      const archiveNo = await fileSlip('SO-2026-0021', '华南贸易', false);
      const { row, history } = await call('ledger:get', { row: 'SO-2026-0021' });
      expect(row).toMatchObject({ archiveNo, custody: 'sent', returnedOn: null, exception: 'signature_problem' });
      expect(row.exceptionReason).toBe(`${archiveNo} shows no signature or seal; check the paper`);
      expect(history.at(-1)).toMatchObject({ action: 'match', changes: { exception: { from: null, to: 'signature_problem' } } });
      await call('documents:edit', { ref: archiveNo, changes: { notes: 'looked again' } });
      expect((await call('ledger:get', { row: 'SO-2026-0021' })).row.custody).toBe('sent');
    });

    it('a manual link of an unsigned document is refused with NOT_SIGNED, or made with an audited override', async () => {
      await call('ledger:create', { slipNo: 'SO-2026-0022', customer: '华南贸易', issueDate: '2026-03-01' });
      const unsigned = await scan(false);
      const refused = await refusal('ledger:link', { row: 'SO-2026-0022', document: unsigned });
      expect(refused).toMatchObject({
        code: 'NOT_SIGNED',
        message: `${unsigned} shows no signature or seal, so it cannot bring back the slip SO-2026-0022; check the paper, or give an override reason.`,
      });
      expect((await call('ledger:get', { row: 'SO-2026-0022' })).row).toMatchObject({ documentId: null, custody: 'sent' });
      expect((await call('documents:get', { ref: unsigned })).currentVersion).toBe(1);

      const linked = await call('ledger:link', { row: 'SO-2026-0022', document: unsigned, signatureOverride: 'customer signed the carbon copy' });
      expect(linked).toMatchObject({ custody: 'at_office', exception: null, archiveNo: unsigned });
      const override = archive.audit.list(0, 10_000).filter((event) => event.action === 'document.signed-override');
      expect(override.at(-1)).toMatchObject({
        actor: 'li.na',
        targetId: unsigned,
        details: { reason: 'customer signed the carbon copy', slipNo: 'SO-2026-0022' },
      });
      const { history } = await call('ledger:get', { row: 'SO-2026-0022' });
      expect(history.at(-1)).toMatchObject({ action: 'link', reason: 'not signed: customer signed the carbon copy' });
    });
  });
});
