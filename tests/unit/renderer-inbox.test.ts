/** The pure pieces of the Inbox screen: what the filing form shows and sends, moving on, job progress. */
import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, fieldValue, filingChanges, nextOpenIndex, type Draft } from '../../src/renderer/inbox/filing';
import { FINISHED_JOB_VISIBLE_MS, percentOf, updateJobs } from '../../src/renderer/inbox/jobs';
import type { InboxItem } from '../../src/shared/model';

function item(id: number, overrides: Partial<InboxItem['document']> = {}, suggestions: InboxItem['suggestions'] = []): InboxItem {
  return {
    document: {
      id,
      archiveNo: `SV-2026-${String(id).padStart(6, '0')}`,
      title: `slip-${id}`,
      customer: null,
      type: null,
      signedDate: null,
      slipNo: null,
      amount: null,
      currency: null,
      signer: null,
      status: 'inbox',
      pageCount: 1,
      currentVersion: 2,
      createdAt: '2026-03-01T08:00:00Z',
      updatedAt: '2026-03-01T08:00:00Z',
      ...overrides,
    },
    suggestions,
    pagesDone: 1,
    pagesTotal: 1,
    failedPages: [],
    minConfidence: 88,
    needsReview: false,
    warnings: [],
  };
}

const suggested = item(1, { slipNo: 'DN-1' }, [
  { field: 'amount', value: '1280.50', confidence: 0.9, evidence: 'TOTAL 1,280.50' },
  { field: 'amount', value: '80.00', confidence: 0.3, evidence: '80.00' },
  { field: 'slipNo', value: 'DN-2', confidence: 0.8, evidence: 'No. DN-2' },
  { field: 'signedDate', value: '2026-03-05', confidence: 0.7, evidence: '2026年3月5日' },
]);

describe('filing form values', () => {
  it('shows the clerk’s entry, else the stored value, else the best suggestion', () => {
    const draft: Draft = { edits: { signedDate: '2026-03-06' }, accepted: false };
    expect(fieldValue(suggested, draft, 'signedDate')).toEqual({ value: '2026-03-06', source: { kind: 'edited' } });
    expect(fieldValue(suggested, draft, 'slipNo')).toEqual({ value: 'DN-1', source: { kind: 'stored' } });
    expect(fieldValue(suggested, draft, 'amount')).toEqual({ value: '1280.50', source: { kind: 'suggested', confidence: 0.9 } });
    expect(fieldValue(suggested, draft, 'customer')).toEqual({ value: '', source: { kind: 'empty' } });
    // Clearing a suggested field is the clerk's choice and stays cleared.
    expect(fieldValue(suggested, { edits: { amount: '' }, accepted: false }, 'amount').value).toBe('');
  });

  it('sends only what differs from the stored document, suggestions included', () => {
    expect(filingChanges(suggested, EMPTY_DRAFT)).toEqual({ ok: true, changes: { amount: '1280.50', signedDate: '2026-03-05' } });
    const cleared = filingChanges(suggested, { edits: { slipNo: ' ', currency: 'cny' }, accepted: false });
    expect(cleared).toEqual({ ok: true, changes: { amount: '1280.50', signedDate: '2026-03-05', slipNo: null, currency: 'CNY' } });
    expect(filingChanges(item(2), EMPTY_DRAFT)).toEqual({ ok: true, changes: undefined });
  });

  it('refuses what the core would refuse, per field, in the contract’s words', () => {
    const check = filingChanges(suggested, { edits: { amount: '12,80', signedDate: '2026-02-30', title: '' }, accepted: false });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors.amount).toEqual({ field: 'amount', issue: 'invalid_format' });
    expect(check.errors.signedDate).toEqual({ field: 'signedDate', issue: 'invalid_format' });
    expect(check.errors.title).toEqual({ field: 'title', issue: 'too_small', limit: 1 });
    expect(check.errors.customer).toBeUndefined();
  });
});

describe('moving on', () => {
  it('goes to the next item not yet accepted, wrapping, and stops when all are', () => {
    const items = [item(1), item(2), item(3)];
    const drafts = new Map<number, Draft>([[2, { edits: {}, accepted: true }]]);
    expect(nextOpenIndex(items, drafts, 0)).toBe(2);
    expect(nextOpenIndex(items, drafts, 2)).toBe(0);
    drafts.set(1, { edits: {}, accepted: true }).set(3, { edits: {}, accepted: true });
    expect(nextOpenIndex(items, drafts, 1)).toBeNull();
  });
});

describe('job progress', () => {
  it('keeps the latest report per job, newest first, and lets finished jobs go after a while', () => {
    let jobs = updateJobs([], { jobId: 'ocr-1', phase: 'ocr', done: 0, total: 5 }, 1000);
    jobs = updateJobs(jobs, { jobId: 'backup-1', phase: 'backup', done: 1, total: 10 }, 1100);
    jobs = updateJobs(jobs, { jobId: 'ocr-1', phase: 'ocr', done: 5, total: 5, etaMs: 0 }, 1200);
    expect(jobs.map((job) => [job.jobId, job.done, job.finished])).toEqual([
      ['ocr-1', 5, true],
      ['backup-1', 1, false],
    ]);
    expect(percentOf(jobs[1]!)).toBe(10);
    jobs = updateJobs(jobs, { jobId: 'backup-1', phase: 'backup', done: 2, total: 10 }, 1200 + FINISHED_JOB_VISIBLE_MS);
    expect(jobs.map((job) => job.jobId)).toEqual(['backup-1']);
    expect(percentOf({ jobId: 'x', phase: 'ocr', done: 0, total: 0 })).toBe(0);
  });
});
