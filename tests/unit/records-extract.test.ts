/**
 * What OCR suggests from a letter of authority (validity period, agents) and from a slip (a registered
 * signer of the customer), and the day arithmetic authorization states rest on.
 */
import { describe, expect, it } from 'vitest';
import { addMonths, daysBetween, stateOn } from '../../src/main/core/authorizations/states';
import { extractSuggestions } from '../../src/main/core/extract/suggest';
import type { CustomerRecord } from '../../src/shared/model';

const CUSTOMERS: CustomerRecord[] = [
  { id: 1, name: '华南贸易有限公司', aliases: [], signers: ['王伟', '李娜'] },
  { id: 2, name: '北方物流', aliases: [], signers: ['张强'] },
];
const suggested = (text: string, field: string) =>
  extractSuggestions(text, { customers: CUSTOMERS, documentTypes: [] })
    .filter((suggestion) => suggestion.field === field)
    .map((suggestion) => suggestion.value);

describe('suggestions from a letter of authority', () => {
  it('keeps the validity period that a slip date would ignore, and names the agents', () => {
    const letter = ['授权委托书', '委托单位：华南贸易有限公司', '被授权人：王伟', '有效期自2026年1月1日至2026年12月31日', '日期：2025年12月20日'].join('\n');
    expect(suggested(letter, 'validFrom')).toEqual(['2026-01-01']);
    expect(suggested(letter, 'validTo')).toEqual(['2026-12-31']);
    expect(suggested(letter, 'signedDate')[0]).toBe('2025-12-20');
    expect(suggested(letter, 'signer')).toContain('王伟');
    expect(suggested('Valid until 31 Mar 2027', 'validTo')).toEqual(['2027-03-31']);
    expect(suggested('有效期至：2027-06-30', 'validFrom')).toEqual([]);
  });

  it("suggests a registered signer found on a slip, the suggested customer's first", () => {
    const slip = ['华南贸易有限公司 送货单', '签收人：张强  复核：王伟'].join('\n');
    const signers = extractSuggestions(slip, { customers: CUSTOMERS, documentTypes: [] }).filter((suggestion) => suggestion.field === 'signer');
    expect(signers.map((signer) => signer.value)).toEqual(['王伟', '张强']);
    expect(suggested('签收人：赵六', 'signer')).toEqual([]);
  });
});

describe('authorization states on a clock', () => {
  it('counts days and months on the calendar', () => {
    expect(daysBetween('2026-12-24', '2026-12-31')).toBe(7);
    expect(daysBetween('2027-01-01', '2026-12-31')).toBe(-1);
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('keeps an overdue review loud but in force, while a passed end date expires', () => {
    const untilRevoked = { status: 'active' as const, validTo: null, reviewDate: '2026-06-01' };
    expect(stateOn(untilRevoked, '2026-06-10')).toMatchObject({ state: 'expiring', warning: 7, daysToEnd: -9 });
    expect(stateOn({ ...untilRevoked, validTo: '2026-06-01' }, '2026-06-10').state).toBe('expired');
    expect(stateOn({ status: 'draft', validTo: '2026-06-01', reviewDate: null }, '2026-06-10').state).toBe('draft');
  });
});
