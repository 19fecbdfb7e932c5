/**
 * bench:ocr's field scoring (bench/ocr-fields.ts): a hit is the label as the TOP suggestion; checks marked
 * "register" are scored on extraction given the customer register, the others on the suggestions made
 * without one; names compare without case, width and spacing.
 */
import { describe, expect, it } from 'vitest';
import { extractSuggestions } from '../../src/main/core/extract/suggest';
import type { CustomerRecord } from '../../src/shared/model';
import type { DatasetItem } from '../../bench/ocr-datasets.mjs';
import { checkFields, fieldShares, SLIP_FIELDS } from '../../bench/ocr-fields';

const slip = (fields: Partial<DatasetItem>): DatasetItem => ({
  name: 'slip.png',
  stem: 'slip',
  file: '/nowhere/slip.png',
  mime: 'image/png',
  groundTruth: '',
  date: '2025-03-18',
  total: '4860.00',
  slipNo: 'SH20250318021',
  customer: '成都云帆商贸有限公司',
  signer: '陶立群',
  ...fields,
});
const TEXT = ['送货单', '单号：SH20250318021', '收货单位：成都云帆商贸有限公司', '日期：2025-03-18', '合计：4,860.00', '签收人：陶立群'].join('\n');
const REGISTER: CustomerRecord[] = [
  { id: 1, name: '成都云帆商贸有限公司', aliases: [], signers: ['祁向东', '陶立群'] },
  { id: 2, name: '杭州禾木包装有限公司', aliases: [], signers: ['陶立'] },
];
const withoutRegister = (text: string) => extractSuggestions(text, { customers: [], documentTypes: [] });
const hitsOf = (results: ReturnType<typeof checkFields>) => Object.fromEntries(results.map((result) => [result.check.title, result.hit]));

describe('checkFields', () => {
  it('finds the signer only through the register, and every other labelled field', () => {
    const hits = hitsOf(checkFields(SLIP_FIELDS, REGISTER, slip({}), TEXT, withoutRegister(TEXT)));
    expect(hits).toEqual({
      date: true,
      total: true,
      'slip no.': true,
      'customer, no register': true,
      'customer, register': true,
      'signer, register': true,
    });
    expect(hitsOf(checkFields(SLIP_FIELDS, [], slip({}), TEXT, withoutRegister(TEXT)))['signer, register']).toBe(false);
  });

  it('scores the suggestions it is given for checks without the register, not the text', () => {
    const results = checkFields(SLIP_FIELDS, REGISTER, slip({}), TEXT, []);
    expect(hitsOf(results)).toMatchObject({ date: false, 'customer, no register': false, 'customer, register': true });
  });

  it('compares names without case, width or spaces, and other fields exactly', () => {
    const latin = slip({ customer: 'Harbor  Lane Textiles', signer: 'nora quill', total: '4860.0' });
    const text = 'Consignee: HARBOR LANE TEXTILES\nReceived by: Nora Quill\nTotal: 4,860.00';
    const register: CustomerRecord[] = [{ id: 1, name: 'Ｈarbor Lane Textiles', aliases: [], signers: ['Nora Quill'] }];
    const hits = hitsOf(checkFields(SLIP_FIELDS, register, latin, text, withoutRegister(text)));
    expect(hits).toMatchObject({ 'customer, register': true, 'signer, register': true, total: false });
  });

  it('is no hit where the label is missing', () => {
    const results = checkFields(SLIP_FIELDS, REGISTER, slip({ signer: undefined }), TEXT, withoutRegister(TEXT));
    expect(hitsOf(results)['signer, register']).toBe(false);
  });
});

describe('fieldShares', () => {
  it('is the share of items per check whose label is the top suggestion', () => {
    const other = slip({ signer: '祁向东' });
    const shares = fieldShares(SLIP_FIELDS, REGISTER, [slip({}), other], [TEXT, TEXT], [withoutRegister(TEXT), withoutRegister(TEXT)]);
    expect(shares['signer, register']).toBe(0.5);
    expect(shares.date).toBe(1);
  });
});
