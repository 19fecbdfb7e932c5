/**
 * The customer suggested from a page's own text (issue 19 item 2): company names by their form and by the
 * label they stand after, the customer's above the letterhead's, a supplier's never; and known customers
 * still win over a name read with a few errors. Text samples are laid out as OCR returns them (columns
 * separated by runs of spaces, labels in two languages, fields run together).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { findCompanyNames } from '../../src/main/core/extract/company-names';
import { suggestCustomers } from '../../src/main/core/extract/customers';
import { extractSuggestions } from '../../src/main/core/extract/suggest';
import { pdfBytes, tempDir } from '../helpers/fixtures';
import { adminClient } from '../helpers/sessions';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  const names = (text: string) => findCompanyNames(text).map((candidate) => [candidate.value, candidate.confidence]);
  const top = (text: string) => findCompanyNames(text)[0]?.value;

  describe('company names on a page', () => {
    it('takes the name after a customer label, ending at its company form even when the next field runs on', () => {
      expect(top('收货单位 Consignee：深圳天成包装材料有限公司送货日期 Date：2026/06/02')).toBe('深圳天成包装材料有限公司');
      expect(top('客户名称 Bil1 to: 南京明辉化工有限公司单号No.: INV-2024-12-59904')).toBe('南京明辉化工有限公司');
      expect(top('收货方：嘉禾供应链管理股份有限公司')).toBe('嘉禾供应链管理股份有限公司');
      expect(top('购货单位：成都市荣昌食品有限责任公司 税号：91510100')).toBe('成都市荣昌食品有限责任公司');
      expect(top('客户：温州瓯海五金厂   日期：2026-03-05')).toBe('温州瓯海五金厂');
      expect(top('客户: 广州东山百货商行')).toBe('广州东山百货商行');
    });

    it('reads English forms: Co., Ltd., Inc., LLC, Limited, after Bill to, Sold to, Consignee, Customer', () => {
      expect(top('Bill to: Jiahe Supply Chain Management Co., Ltd.                          No.: XS202402170707')).toBe(
        'Jiahe Supply Chain Management Co., Ltd.',
      );
      expect(top('Consignee : Orient Freight LLC')).toBe('Orient Freight LLC');
      expect(top('SOLD TO: Pacific Rim Traders Inc.   Date: Mar 5, 2026')).toBe('Pacific Rim Traders Inc.');
      expect(top('Customer: Harbour View Holdings Limited')).toBe('Harbour View Holdings Limited');
      expect(top('Bill to: Qingdao Shunyi Hardware Products Co.,Ltd')).toBe('Qingdao Shunyi Hardware Products Co.,Ltd');
    });

    it("ranks the customer's name above the letterhead's, and never offers a supplier's", () => {
      const invoice = ['南京市宏远商贸有限公司', '销售清单 SALES INVOICE', '客户名称 Bill to：南京明辉化工有限公司 单号 No.：INV-1'].join('\n');
      expect(names(invoice)).toEqual([
        ['南京明辉化工有限公司', 0.9],
        ['南京市宏远商贸有限公司', 0.3],
      ]);
      const signedBack = ['回单号 Slip No.：YD933978753164', '发货方 Shipper：金桥塑胶制品股份有限公司', '收货方 Consignee：厦门广源包装材料有限公司'].join(
        '\n',
      );
      expect(names(signedBack)).toEqual([['厦门广源包装材料有限公司', 0.9]]);
      expect(names('Shipper: Crestview Supply Chain Co., Ltd.\nIssued by: Daniel Cheung')).toEqual([]);
    });

    it('on a letter of authority takes the company granting it (我公司…) above the one it is addressed to (致)', () => {
      const letter = [
        '授权委托书',
        '致：苏州弘毅商贸有限公司',
        '兹授权汪杰（身份证号：238826198210095020）为我公司青岛众诚纺织有限公司的合法代理',
        '人，代表我公司与贵公司办理下列事项：',
      ].join('\n');
      expect(names(letter)).toEqual([
        ['青岛众诚纺织有限公司', 0.85],
        ['苏州弘毅商贸有限公司', 0.6],
      ]);
    });

    it('keeps a labelled name whose company form was misread, at a lower confidence; not a word that is no name', () => {
      expect(names('收货单位 Consignee：昆山市凯越信息技术有限公同送货日期 Date：2026/12/18')).toEqual([['昆山市凯越信息技术有限公同', 0.6]]);
      expect(names('客户签收 Customer signature：')).toEqual([]);
      expect(names('第一联：存根（白）  第二联：客户（红）  第三联：回单（黄）')).toEqual([]);
      expect(names('送货地址 Deliver to：浙江省宁波市经济技术开发区迎宾大道2155号2号厂房')).toEqual([]);
      expect(names('Please check, sign and stamp, then return this slip to the shipper.')).toEqual([]);
      expect(names('代表我公司与贵公司办理下列事项')).toEqual([]);
    });

    it('offers each name once, at the best place it was found', () => {
      const text = ['Orient Freight LLC', 'Consignee: Orient Freight LLC', 'Orient Freight LLC thanks you'].join('\n');
      expect(findCompanyNames(text)).toEqual([{ value: 'Orient Freight LLC', confidence: 0.9, evidence: 'Consignee: Orient Freight LLC', index: 1 }]);
    });
  });

  describe('the customer suggestion', () => {
    const known = [
      { id: 1, name: '华南贸易有限公司', aliases: ['HUANAN TRADING'] },
      { id: 2, name: '厦门广源包装材料有限公司', aliases: [] },
    ];

    it('in a new archive is the name the page shows', () => {
      const suggestions = extractSuggestions('收货方 Consignee：厦门广源包装材料有限公司\n代收货款 COD amount：2,905.55元', {
        customers: [],
        documentTypes: [],
      });
      expect(suggestions.filter((suggestion) => suggestion.field === 'customer')).toEqual([
        { field: 'customer', value: '厦门广源包装材料有限公司', confidence: 0.9, evidence: '收货方 Consignee：厦门广源包装材料有限公司' },
      ]);
    });

    it('is the known customer when the name on the page is that customer read with an error, or an alias', () => {
      expect(suggestCustomers('收货方：厦门广源包装材科有限公司', known).map((candidate) => candidate.value)).toEqual(['厦门广源包装材料有限公司']);
      expect(suggestCustomers('Bill to: Huanan Trading Co., Ltd.', known)[0]?.value).toBe('华南贸易有限公司');
    });

    it('keeps a known customer found on the page first, and offers a new labelled name after it', () => {
      const text = ['华南贸易有限公司', '送货单', '收货单位：北方远东物流有限公司'].join('\n');
      expect(suggestCustomers(text, known).map((candidate) => [candidate.value, candidate.confidence])).toEqual([
        ['华南贸易有限公司', 0.97],
        ['北方远东物流有限公司', 0.9],
      ]);
    });

    it('between two known customers matched equally, takes the labelled one over a letterhead that contains the other', () => {
      const register = [
        { id: 101, name: 'Jiahe Supply Chain Management Co., Ltd.', aliases: [] },
        { id: 102, name: 'Qingdao Ruifeng Office Supplies Co., Ltd.', aliases: [] },
      ];
      const text = [
        'Chengdu Jiahe Supply Chain Management Co., Ltd.',
        'GOODS RECEIVED NOTE SHD20250216-6772',
        'Consignee: Qingdao Ruifeng Office Supplies Co., Ltd. Date: 16/02/2025',
      ].join('\n');
      const suggested = suggestCustomers(text, register);
      expect(suggested.slice(0, 2).map((candidate) => [candidate.value, candidate.confidence])).toEqual([
        ['Qingdao Ruifeng Office Supplies Co., Ltd.', 0.97],
        ['Jiahe Supply Chain Management Co., Ltd.', 0.97],
      ]);
    });

    it('in a new archive is read from the recognised page and filing creates the customer', async () => {
      const dir = tempDir();
      const archive = await backEnd.init(join(dir, 'archive'), { actor: 'suggestion test' });
      try {
        const client = await adminClient(archive);
        const call = async <M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> => {
          const result = await client.invoke(method, input);
          if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
          return result.value as OutputOf<M>;
        };
        // A text-layer PDF: its page text is read without OCR, through the same queue and extraction.
        const file = join(dir, 'note.pdf');
        writeFileSync(file, pdfBytes(1, 'Consignee: Orient Freight LLC'));
        const archiveNo = (await call('documents:import', { paths: [file] })).imported[0]!.document.archiveNo;
        await call('ocr:process', {});
        const [item] = await call('inbox:list', {});
        expect(item!.suggestions.find((suggestion) => suggestion.field === 'customer')).toMatchObject({ value: 'Orient Freight LLC', confidence: 0.9 });
        expect(await call('customers:list', {})).toEqual([]);
        const filed = await call('inbox:file', { ref: archiveNo, changes: { type: 'other' } });
        expect(filed.customer).toBe('Orient Freight LLC');
        expect((await call('customers:list', {})).map((customer) => customer.name)).toEqual(['Orient Freight LLC']);
      } finally {
        archive.close();
      }
    });
  });
});
