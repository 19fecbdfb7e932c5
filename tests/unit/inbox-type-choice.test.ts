/** The Inbox type field's quick entry (src/renderer/inbox/type-choice.ts): a code, or the start of one type's code or name. */
import { describe, expect, it } from 'vitest';
import type { DocumentTypeRecord } from '../../src/shared/model';
import { resolveTypeCode } from '../../src/renderer/inbox/type-choice';

const type = (code: string, nameZh: string, nameEn: string): DocumentTypeRecord => ({ code, nameZh, nameEn, keywords: [], requiredFields: [] });
const TYPES = [
  type('delivery_receipt', '送货单', 'Delivery receipt'),
  type('signed_back', '签回单', 'Signed-back slip'),
  type('invoice', '发票', 'Invoice'),
  type('contract', '合同', 'Contract'),
  type('custom_note', '客户便条', 'Customer note'),
];

describe('resolveTypeCode', () => {
  it('takes the start of exactly one code or name, in either language', () => {
    expect(resolveTypeCode('inv', TYPES)).toBe('invoice');
    expect(resolveTypeCode('签回', TYPES)).toBe('signed_back');
    expect(resolveTypeCode('Delivery', TYPES)).toBe('delivery_receipt');
    expect(resolveTypeCode('  发票 ', TYPES)).toBe('invoice');
  });

  it('keeps a code as it is, and leaves what names several types or none as typed', () => {
    expect(resolveTypeCode('contract', TYPES)).toBe('contract');
    expect(resolveTypeCode('c', TYPES)).toBe('c');
    expect(resolveTypeCode('收据', TYPES)).toBe('收据');
    expect(resolveTypeCode('', TYPES)).toBe('');
  });
});
