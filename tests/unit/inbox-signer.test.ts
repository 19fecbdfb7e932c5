/**
 * The signer in the Inbox's filing form (issue 19 item 2): the form shows the suggested signer, chooses among
 * the registered signers of its customer, keeps it in the draft, and sends it with inbox:file, so a type whose
 * rule requires a signer (授权书) is filed without an override.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { EMPTY_DRAFT, fieldValue, filingChanges, formValues, missingToFile, type Draft } from '../../src/renderer/inbox/filing';
import { resolveSignerName, signersOf } from '../../src/renderer/inbox/signer-choice';
import { needsConfirmation } from '../../src/renderer/inbox/suggestion-review';
import type { CustomerRecord, InboxItem } from '../../src/shared/model';
import { clientAs } from '../helpers/sessions';
import { tempDir, writeJpeg } from '../helpers/fixtures';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let clerk: ApiClient;
  let files: string;

  async function ok<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await clerk.invoke(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value as OutputOf<M>;
  }

  async function inboxItem(): Promise<InboxItem> {
    const path = await writeJpeg(files, `auth-${Date.now()}-${Math.random()}.jpg`);
    const [entry] = (await ok('documents:import', { paths: [path] })).imported;
    const item = (await ok('inbox:list', { limit: 1000 })).find((candidate) => candidate.document.archiveNo === entry!.document.archiveNo);
    return item!;
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { actor: 'signer-form' });
    clerk = await clientAs(createApi(archive), archive, 'clerk', 'li.na');
    files = tempDir('slipvault-signer-files-');
    await ok('customers:save', { name: '华南贸易有限公司', aliases: ['华南贸易'] });
    await ok('signers:save', { customer: '华南贸易有限公司', name: '张伟' });
    await ok('signers:save', { customer: '华南贸易有限公司', name: '李娜' });
    await ok('customers:save', { name: '北方物流' });
    await ok('signers:save', { customer: '北方物流', name: '张强' });
  });

  afterAll(() => archive.close());

  const AUTHORIZATION = { customer: '华南贸易有限公司', type: 'authorization', signedDate: '2026-03-05' };

  describe('the signer field', () => {
    it('completes from the registered signers of the form customer, by name or alias, and resolves a typed start', async () => {
      const customers: CustomerRecord[] = await ok('customers:list', {});
      expect(signersOf('华南贸易有限公司', customers).sort()).toEqual(['张伟', '李娜']);
      expect(signersOf(' 华南贸易 ', customers).sort()).toEqual(['张伟', '李娜']);
      expect(signersOf('', customers)).toEqual([]);
      expect(signersOf('无此客户', customers)).toEqual([]);
      const signers = signersOf('华南贸易', customers);
      expect(resolveSignerName('张', signers)).toBe('张伟');
      expect(resolveSignerName('李 娜', signers)).toBe('李娜');
      // Not registered, or naming several: kept as typed.
      expect(resolveSignerName('王五', signers)).toBe('王五');
      expect(resolveSignerName('张', [...signers, '张强'])).toBe('张');
      expect(resolveSignerName('', signers)).toBe('');
    });

    it('shows a signer suggestion, and one the extractor is unsure of waits for confirmation', async () => {
      const item = await inboxItem();
      const sure: InboxItem = { ...item, suggestions: [{ field: 'signer', value: '张伟', confidence: 0.9, evidence: '签收人：张伟' }] };
      expect(fieldValue(sure, EMPTY_DRAFT, 'signer')).toEqual({ value: '张伟', source: { kind: 'suggested', confidence: 0.9 } });
      expect(needsConfirmation(sure, EMPTY_DRAFT, 'signer')).toBe(false);
      const unsure: InboxItem = { ...item, suggestions: [{ field: 'signer', value: '张伟', confidence: 0.55, evidence: '张伟' }] };
      expect(needsConfirmation(unsure, EMPTY_DRAFT, 'signer')).toBe(true);
      expect(needsConfirmation(unsure, { ...EMPTY_DRAFT, edits: { signer: '张伟' } }, 'signer')).toBe(false);
    });

    it('keeps the signer in the filing draft', async () => {
      const item = await inboxItem();
      await ok('inbox:saveDraft', { ref: item.document.archiveNo, draft: { values: { ...AUTHORIZATION, signer: '张伟' }, accepted: true } });
      const drafts = await ok('inbox:drafts', {});
      expect(drafts.find((draft) => draft.archiveNo === item.document.archiveNo)?.values.signer).toBe('张伟');
    });
  });

  describe('filing an authorization from the form', () => {
    it('is refused without a signer and the form says so', async () => {
      const item = await inboxItem();
      const types = await ok('documentTypes:list', {});
      const draft: Draft = { edits: AUTHORIZATION, accepted: true };
      expect(missingToFile(formValues(item, draft), types, null)).toEqual(['signer']);
      const check = filingChanges(item, draft);
      expect(check.ok).toBe(true);
      const refused = await clerk.invoke('inbox:file', {
        ref: item.document.archiveNo,
        changes: check.ok ? check.changes : undefined,
        acceptSuggestions: false,
      });
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error).toMatchObject({ code: 'FILING_INCOMPLETE', details: { missing: ['signer'] } });
    });

    it('files with the signer the form shows: the rule is met, no override is needed or recorded', async () => {
      const item = await inboxItem();
      const withSuggestion: InboxItem = { ...item, suggestions: [{ field: 'signer', value: '张伟', confidence: 0.9, evidence: '签收人：张伟' }] };
      const types = await ok('documentTypes:list', {});
      const draft: Draft = { edits: AUTHORIZATION, accepted: true };
      expect(missingToFile(formValues(withSuggestion, draft), types, null)).toEqual([]);
      const check = filingChanges(withSuggestion, draft);
      expect(check).toEqual({ ok: true, changes: { ...AUTHORIZATION, signer: '张伟' } });
      const since = archive.audit.head().seq;
      const filed = await ok('inbox:file', { ref: item.document.archiveNo, changes: check.ok ? check.changes : undefined, acceptSuggestions: false });
      expect(filed.status).toBe('filed');
      expect(filed.metadata).toMatchObject({ ...AUTHORIZATION, signer: '张伟' });
      const events = archive.audit.list(since, 1000).filter((event) => event.targetId === item.document.archiveNo);
      expect(events.map((event) => event.action)).toEqual(['document.edit']);
      const summary = (await ok('documents:list', { status: 'filed' })).items.find((document) => document.archiveNo === item.document.archiveNo);
      expect(summary?.signer).toBe('张伟');
    });

    it('sends the signer typed in the form and no change when the stored signer is shown', async () => {
      const item = await inboxItem();
      const typed = filingChanges(item, { edits: { ...AUTHORIZATION, signer: ' 李娜 ' }, accepted: true });
      expect(typed).toEqual({ ok: true, changes: { ...AUTHORIZATION, signer: '李娜' } });
      const stored: InboxItem = { ...item, document: { ...item.document, signer: '李娜' } };
      expect(filingChanges(stored, { edits: {}, accepted: true })).toEqual({ ok: true, changes: undefined });
      expect(filingChanges(stored, { edits: { signer: '' }, accepted: true })).toEqual({ ok: true, changes: { signer: null } });
    });
  });
});
