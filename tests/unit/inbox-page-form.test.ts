/**
 * The pure pieces of filing beside the page (issue 19 item 1): which suggestions wait for the clerk's
 * confirmation, where a field's value was read, and how text picked on the page becomes a field's value.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, fieldValue } from '../../src/renderer/inbox/filing';
import { fieldTextOf, joinPicked } from '../../src/renderer/inbox/picked-text';
import { CONFIRM_BELOW, confirmSuggestion, needsConfirmation, sourceBoxOf, unconfirmedFields } from '../../src/renderer/inbox/suggestion-review';
import type { DocumentTypeRecord, InboxItem } from '../../src/shared/model';

const ITEM: InboxItem = {
  document: {
    id: 4,
    archiveNo: 'SV-2026-000004',
    title: 'slip-4',
    customer: null,
    type: null,
    signedDate: null,
    slipNo: 'DN-1',
    amount: null,
    currency: null,
    signer: null,
    status: 'inbox',
    pageCount: 1,
    currentVersion: 2,
    createdAt: '2026-03-01T08:00:00Z',
    updatedAt: '2026-03-01T08:00:00Z',
  },
  suggestions: [
    { field: 'amount', value: '73000.00', confidence: 0.25, evidence: '473000.00', box: { pageId: 9, bbox: [10, 20, 90, 40] } },
    { field: 'signedDate', value: '2026-03-05', confidence: CONFIRM_BELOW, evidence: '2026年3月5日', box: { pageId: 9, bbox: [10, 60, 90, 80] } },
    { field: 'slipNo', value: 'DN-2', confidence: 0.1, evidence: 'No. DN-2' },
    { field: 'currency', value: 'CNY', confidence: 0.5, evidence: '元' },
  ],
  pagesDone: 1,
  pagesTotal: 1,
  failedPages: [],
  minConfidence: 88,
  needsReview: false,
  warnings: [],
};

describe('suggestions to confirm', () => {
  it('holds back shown suggestions below the bar, not confident ones nor stored values', () => {
    // The slip number shows the stored DN-1, not the 10 % suggestion; the date sits exactly on the bar.
    expect(unconfirmedFields(ITEM, EMPTY_DRAFT)).toEqual(['amount', 'currency']);
    expect(needsConfirmation(ITEM, EMPTY_DRAFT, 'signedDate')).toBe(false);
    expect(needsConfirmation(ITEM, { edits: { amount: '473000.00' }, accepted: false }, 'amount')).toBe(false);
  });

  it('a confirmed suggestion becomes the clerk’s own value and takes the item back from accepted', () => {
    const confirmed = confirmSuggestion(ITEM, { edits: { title: 'x' }, accepted: true }, 'amount');
    expect(confirmed).toEqual({ edits: { title: 'x', amount: '73000.00' }, accepted: false });
    expect(fieldValue(ITEM, confirmed, 'amount')).toEqual({ value: '73000.00', source: { kind: 'edited' } });
    expect(unconfirmedFields(ITEM, confirmed)).toEqual(['currency']);
  });

  it('frames where the shown value was read, while it is a suggested value', () => {
    expect(sourceBoxOf(ITEM, EMPTY_DRAFT, 'amount')).toEqual({ pageId: 9, bbox: [10, 20, 90, 40] });
    expect(sourceBoxOf(ITEM, confirmSuggestion(ITEM, EMPTY_DRAFT, 'amount'), 'amount')).toEqual({ pageId: 9, bbox: [10, 20, 90, 40] });
    expect(sourceBoxOf(ITEM, { edits: { amount: '473000.00' }, accepted: false }, 'amount')).toBeUndefined();
    expect(sourceBoxOf(ITEM, EMPTY_DRAFT, 'currency')).toBeUndefined();
  });
});

const TYPES: DocumentTypeRecord[] = [
  { code: 'signed_back', nameZh: '签回单', nameEn: 'Signed-back slip', keywords: ['回单', 'return slip'], requiredFields: [] },
];

describe('text picked on the page', () => {
  it('joins Chinese without spaces and other words with one', () => {
    expect(joinPicked(['华南', '贸易', '有限公司'])).toBe('华南贸易有限公司');
    expect(joinPicked(['DELIVERY', ' NOTE ', ''])).toBe('DELIVERY NOTE');
    expect(joinPicked(['收货单位：', 'Acme', 'Co.'])).toBe('收货单位： Acme Co.');
  });

  it('normalises amounts, dates, currencies and types as the fields expect', () => {
    expect(fieldTextOf('amount', '¥1,280.5', TYPES)).toBe('1280.50');
    expect(fieldTextOf('amount', 'Qty 3 12,089.63', TYPES)).toBe('12089.63');
    expect(fieldTextOf('amount', '４７３０００', TYPES)).toBe('473000.00');
    expect(fieldTextOf('signedDate', '2026年3月5日', TYPES)).toBe('2026-03-05');
    expect(fieldTextOf('signedDate', 'Date: 12/05/2026', TYPES)).toBe('2026-05-12');
    expect(fieldTextOf('signedDate', '05/13/2026', TYPES)).toBe('2026-05-13');
    expect(fieldTextOf('signedDate', '20260417', TYPES)).toBe('2026-04-17');
    expect(fieldTextOf('currency', '人民币', TYPES)).toBe('CNY');
    expect(fieldTextOf('currency', 'RM', TYPES)).toBe('MYR');
    expect(fieldTextOf('currency', 'usd', TYPES)).toBe('USD');
    expect(fieldTextOf('type', '签回单', TYPES)).toBe('signed_back');
    expect(fieldTextOf('type', 'Return slip', TYPES)).toBe('signed_back');
  });

  it('leaves text that does not read as the field’s kind as picked, for the form’s own check', () => {
    expect(fieldTextOf('amount', 'Goods', TYPES)).toBe('Goods');
    expect(fieldTextOf('signedDate', '2026-02-30', TYPES)).toBe('2026-02-30');
    expect(fieldTextOf('type', '合同', TYPES)).toBe('合同');
    expect(fieldTextOf('customer', '  华南贸易有限公司 ', TYPES)).toBe('华南贸易有限公司');
  });
});
