import { describe, expect, it } from 'vitest';
import { findAmounts } from '../../src/main/core/extract/amounts';
import { findCapitalAmounts } from '../../src/main/core/extract/capital-amount';
import { matchCustomers } from '../../src/main/core/extract/customers';
import { findDates } from '../../src/main/core/extract/dates';
import { guessDocumentType } from '../../src/main/core/extract/document-type';
import { levenshtein } from '../../src/main/core/extract/levenshtein';
import { findSlipNumbers } from '../../src/main/core/extract/slip-numbers';
import { holdsTax, includedTax, taxSummaryGross } from '../../src/main/core/extract/tax-summary';

describe('date extraction', () => {
  it.each([
    ['日期：2026-03-05', '2026-03-05'],
    ['送货日期 2026年3月5日', '2026-03-05'],
    ['Date: 05/03/2026', '2026-03-05'],
    ['DATE 5 Mar 2026', '2026-03-05'],
    ['Date: Feb 17, 2024 Currency: CNY', '2024-02-17'],
    ['14-02-18 10:22', '2018-02-14'],
    ['2026/06/02', '2026-06-02'],
    ['03/25/2026', '2026-03-25'],
    ['签署日期：二〇二六年三月五日', '2026-03-05'],
    ['二零二五年十二月三十一日', '2025-12-31'],
    ['二〇二六年十月二十日生效', '2026-10-20'],
    ['日期：２０２６／０３／０５', '2026-03-05'],
    ['送货日期 ２０２６年３月５日', '2026-03-05'],
  ])('reads %s as %s', (text, iso) => {
    expect(findDates(text)[0]?.value).toBe(iso);
  });

  it('does not read phone numbers or far-future numbers as the date', () => {
    expect(findDates('Tel. : 05.22.95.66.66\nle 30/03/2018 a 12:36')[0]?.value).toBe('2018-03-30');
  });

  it('repairs 0s printed faintly and read as 8s, ranking the repaired date lower', () => {
    expect(findDates('CASH H18-82          17/83/2817 21:35')[0]).toMatchObject({ value: '2017-03-17' });
    expect(findDates('Date: 18/05/2018\nCASH 17/83/2817')[0]?.value).toBe('2018-05-18');
  });

  it('repairs a 1 read as 4 when it makes a far-future year plausible, and only then', () => {
    expect(findDates('RECEIPT #: CSP0420207 DATE: 13/12/2047')[0]).toMatchObject({ value: '2017-12-13', confidence: 0.57 });
    expect(findDates('DATE: 14/04/2024')[0]?.value).toBe('2024-04-14');
    expect(findDates('DATE: 24/12/2046')[0]?.value).toBe('2016-12-24');
  });

  it('joins a date field OCR split with a stray space, but not prices', () => {
    expect(findDates('Receipt #: 500093091 Date: 04/1 2/2017')[0]?.value).toBe('2017-12-04');
    expect(findDates('日期：2026-0 3-05')[0]?.value).toBe('2026-03-05');
    expect(findDates('2 X 1.1 2.18')).toEqual([]);
  });

  it('ignores impossible dates and prefers the labelled date over a validity period', () => {
    expect(findDates('31/02/2026 2026-13-01')).toEqual([]);
    const found = findDates('授权期限自2026-06-29起至2026-12-26止\n日期：2026-06-26');
    expect(found[0]?.value).toBe('2026-06-26');
  });
});

describe('total and currency extraction', () => {
  it('prefers the labelled total over sub-totals, tax and change', () => {
    const text = 'ITEM A 12.00\nSUBTOTAL 20.00\nGST 6% 1.20\nTOTAL RM 21.20\nCASH 50.00\nCHANGE 28.80';
    const { totals, currencies } = findAmounts(text);
    expect(totals[0]?.value).toBe('21.20');
    expect(currencies[0]?.value).toBe('MYR');
  });

  it('reads Chinese totals with thousands separators and ¥', () => {
    const { totals, currencies } = findAmounts('矿泉水 箱 48 27.21 1,306.08\n合计金额 Total：¥364,074.85（叁拾陆万肆仟零柒拾肆元捌角伍分）');
    expect(totals[0]?.value).toBe('364074.85');
    expect(currencies[0]?.value).toBe('CNY');
  });

  it('is sure of a currency the slip names, less of a marker, least of a shared symbol', () => {
    const top = (text: string) => findAmounts(text).currencies[0];
    expect(top('币种 Currency：人民币\n合计 12.00')).toMatchObject({ value: 'CNY', confidence: 0.9 });
    expect(top('Date: Feb 17, 2024 Currency: CNY\nTotal 12.00')).toMatchObject({ value: 'CNY', confidence: 0.9 });
    // A yen figure has no minor unit: ¥ with fen is yuan, as sure as a code.
    expect(top('合计 ¥473,000.00')).toMatchObject({ value: 'CNY', confidence: 0.75 });
    expect(top('Total: CNY 103,653.71')).toMatchObject({ value: 'CNY', confidence: 0.75 });
    expect(top('TOTAL $ 21.20')).toMatchObject({ value: 'USD', confidence: 0.6 });
    // "人民币" in the capital-numeral line with no figure of its own: a hint, not a marker.
    expect(top('人民币壹拾元整')).toMatchObject({ value: 'CNY', confidence: 0.5 });
  });

  it('ranks totals including tax over totals excluding it, and ignores cash tendered', () => {
    const text = 'Total (Excluding GST): 28.58\nTotal (Inclusive of GST): 30.30\nCASH 50.00\nCHANGE 19.70';
    expect(findAmounts(text).totals[0]?.value).toBe('30.30');
    expect(findAmounts('Total 0% supplies: 39.01\nTotal Payable: 20.21').totals[0]?.value).toBe('20.21');
    expect(findAmounts('合计 Total 10184 106, 047.70').totals[0]?.value).toBe('106047.70');
    expect(findAmounts('TOTAL GST INCL) 38.37\nTOTAL GST 2.17').totals[0]?.value).toBe('38.37');
    expect(findAmounts('SUB-TOTAL (GST) 24.00\nTAX TOTAL: 1.36').totals[0]?.value).toBe('24.00');
  });

  it('takes cash minus change over a misread total where the tax the total includes agrees with it', () => {
    const receipt = 'TOTAL INCL. GST RM 47.90\nCASH RM 50.00\nCHANGE RM 8.10\nGST @6% included in total RM 2.37';
    const misread = findAmounts(receipt).totals;
    expect(misread[0]).toMatchObject({ value: '41.90', evidence: 'GST @6% included in total RM 2.37' });
    expect(misread.map((total) => total.value)).toContain('47.90');
    // Cash or change may be the misread figure: with nothing else agreeing, the printed total stands.
    expect(findAmounts(receipt.replace('2.37', '2.71')).totals[0]?.value).toBe('47.90');
    expect(findAmounts('TOTAL RM 53.20\nCASH RM 108.00\nCHANGE RM 46.80').totals[0]?.value).toBe('53.20');
  });

  it('trusts cash tendered minus change over a misread TOTAL figure', () => {
    const text = 'Round Amt 0.00\nTOTAL 11.00\nCash 71.00\nCash Received 101,00\nChange 30.00';
    expect(findAmounts(text).totals[0]?.value).toBe('71.00');
  });

  it('prefers the cash-rounded total printed after the exact one', () => {
    const text = 'Total Sales (Inclusive GST) RM 177.22\nRounding Adjustment RM -.02\nRounding RM 177.20\nCHANGE RM 0.00';
    expect(findAmounts(text).totals[0]?.value).toBe('177.20');
  });

  it('ranks a single-figure Total above a tax summary row labelled Total', () => {
    const text = 'Total : 99.00\nGST Summary Amount Tax\nTotal : 93.40 5.60';
    expect(findAmounts(text).totals[0]?.value).toBe('99.00');
  });

  it('reads a decimal comma but not a thousands separator as cents', () => {
    expect(findAmounts('TOTAL 101,00').totals[0]?.value).toBe('101.00');
    expect(findAmounts('TOTAL 1,306.08').totals[0]?.value).toBe('1306.08');
  });

  it('falls back to the largest amount without a label', () => {
    expect(findAmounts('A 3.50\nB 120.00\nC 9.90').totals[0]?.value).toBe('120.00');
  });

  it('joins a figure OCR split after its point when a currency or thousands grouping shows it is money', () => {
    expect(findAmounts('代收货款 COD amount: ¥24,390. 11').totals[0]?.value).toBe('24390.11');
    expect(findAmounts('Payable on delivery RMB 17,526. 67 cash').totals[0]?.value).toBe('17526.67');
    expect(findAmounts('Total parcels 1,204. 55 kg').totals[0]?.value).toBe('1204.55');
    // Without either, "3. 25" is a numbered line and a quantity, not money.
    expect(findAmounts('3. 25 cartons stacked').totals).toEqual([]);
  });

  it('does not read the year and month of a dotted date as an amount', () => {
    const { totals } = findAmounts('授权期限自2025.12.27起至2027.12.26止。单笔业务金额不超过232,000.00。');
    expect(totals.map((total) => total.value)).toEqual(['232000.00']);
    expect(findAmounts('Version 1.20.3 released, fee 45.00').totals.map((total) => total.value)).toEqual(['45.00']);
  });
});

describe('amounts in capital Chinese numerals (大写金额)', () => {
  it.each([
    ['人民币壹拾万陆仟零肆拾柒元柒角整', '106047.70'],
    ['人民币壹万壹仟零贰拾伍元肆角柒分', '11025.47'],
    ['大写：拾伍元整', '15.00'],
    ['叁亿零伍万元整', '300050000.00'],
    ['玖佰元零伍分', '900.05'],
  ])('reads %s as %s', (text, value) => {
    expect(findCapitalAmounts(text).map((amount) => amount.value)).toEqual([value]);
  });

  it('ignores text that only looks like numerals', () => {
    expect(findCapitalAmounts('零元购 促销')).toEqual([]);
    expect(findCapitalAmounts('收货人签字')).toEqual([]);
  });

  it('ranks the figure equal to the capital amount first, over a larger labelled one', () => {
    const text = '合计 Total 1,350.00\n其中 运费 150.00\n实收金额(大写)：人民币壹仟贰佰元整 1,200.00';
    expect(findAmounts(text).totals[0]).toMatchObject({ value: '1200.00', confidence: 0.96 });
  });

  it('offers the capital amount when OCR garbled the figure beside it', () => {
    const { totals } = findAmounts('合计金额(大写)：人民币叁佰肆拾伍元陆角 ¥3?5.6O\n单价 12.00');
    expect(totals[0]).toMatchObject({ value: '345.60', evidence: '合计金额(大写)：人民币叁佰肆拾伍元陆角 ¥3?5.6O' });
  });
});

describe('slip numbers, customers, types', () => {
  it('reads labelled and patterned slip numbers', () => {
    expect(findSlipNumbers('客户名称：南京明辉化工有限公司 单号 No.：INV-2024-12-59904')[0]?.value).toBe('INV-2024-12-59904');
    expect(findSlipNumbers('送货单 SO-2026-0417')[0]?.value).toBe('SO-2026-0417');
    expect(findSlipNumbers('wh S0-2026-0417')[0]?.value).toBe('SO-2026-0417');
    expect(findSlipNumbers('Ref 2026-0417')).toEqual([]);
    expect(findSlipNumbers('only words here')).toEqual([]);
    expect(findSlipNumbers('ref ABC*77', ['ABC\\*\\d+'])[0]?.value).toBe('ABC*77');
  });

  it('matches customers and aliases despite OCR errors', () => {
    const customers = [
      { id: 1, name: '华南贸易有限公司', aliases: ['HUANAN TRADING'] },
      { id: 2, name: '北京远东物流', aliases: [] },
    ];
    expect(matchCustomers('收货单位：华南贸昜有限公司', customers)[0]).toMatchObject({ value: '华南贸易有限公司' });
    expect(matchCustomers('Bill to: Huanan Tradlng', customers)[0]).toMatchObject({ value: '华南贸易有限公司' });
    expect(matchCustomers('上海某某公司', customers)).toEqual([]);
  });

  it('guesses the document type from keywords', () => {
    const types = [
      { code: 'delivery_receipt', nameZh: '送货单', nameEn: 'Delivery receipt', keywords: ['送货单', 'delivery'] },
      { code: 'invoice', nameZh: '发票', nameEn: 'Invoice', keywords: ['发票', 'invoice'] },
    ];
    expect(guessDocumentType('送 货 单\nDELIVERY NOTE', types)[0]?.value).toBe('delivery_receipt');
    expect(guessDocumentType('nothing', types)).toEqual([]);
  });

  it('counts edit distance in characters, not bytes', () => {
    expect(levenshtein('送货单', '送货单')).toBe(0);
    expect(levenshtein('送货单', '送贷单')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
  });
});

describe('receipt conventions that carry over to unseen receipts', () => {
  it('reads AMT as the till abbreviation of AMOUNT', () => {
    const { totals } = findAmounts('ITEM A 2 15.00 30.00\nGROSS AMT : 30.00\nMEMBER DISC 3.00\nNET AMT : 27.00');
    expect(totals[0]).toMatchObject({ value: '27.00', evidence: 'NET AMT : 27.00' });
    expect(findAmounts('DEPOSIT 20.00\nAMT DUE 9.40').totals[0]?.value).toBe('9.40');
  });

  it('keeps the printed total when cash minus change differs from it in one digit and nothing else agrees', () => {
    // Cash rounding (21.43 paid as 21.45) is no misreading of the total.
    expect(findAmounts('SUBTOTAL 21.43\nTOTAL 21.43\nCASH 50.45\nROUNDING 0.02\nCHANGE DUE 29.00').totals[0]?.value).toBe('21.43');
    // The cash may be the misread figure (29.60 read as 34.60) as well as the total.
    expect(findAmounts('TOTAL INCL. GST 24.60\nCASH 34.60\nCHANGE 5.00').totals[0]?.value).toBe('24.60');
  });

  it('never suggests a zero figure over a paid one', () => {
    const { totals } = findAmounts('SUB TOTAL\nDISCOUNT RM0.00\nTOTAL RM0.00\nPAYMENT RM12.50\nCHANGE RM0.00');
    expect(totals[0]?.value).toBe('12.50');
    expect(totals.find((total) => total.value === '0.00')?.confidence).toBe(0.05);
  });
});

describe('totals that other figures on the receipt confirm', () => {
  it('takes the tax summary (net + tax at its rate) as a restatement of the total', () => {
    const receipt = ['Sales Total 38.16 incl GST', 'Final Total 38.76', 'GST SUMMARY  AMOUNT(RM)  TAX(RM)', 'SR @ 6%   36.00   2.16'].join('\n');
    expect(findAmounts(receipt).totals[0]?.value).toBe('38.16');
    // A summary row whose tax is not its rate of the net was misread: it confirms nothing.
    expect(findAmounts(receipt.replace('2.16', '2.76')).totals[0]?.value).toBe('38.76');
  });

  it('sums the summary over every rate and leaves rows that are not tax alone', () => {
    expect(taxSummaryGross(['GST Summary Amount Tax', 'S @ 6% 50.00 3.00', 'Z @ 0% 4.50 0.00'])).toBe(5750);
    expect(taxSummaryGross(['Member DISC 10% 20.00 2.00'])).toBeNull();
    expect(taxSummaryGross(['GST SUMMARY', 'SR 6% 20.00 1.20', 'SERVICE CHARGE 10% 20.00 2.00'])).toBe(2120);
    expect(taxSummaryGross(['Loyalty 5% 20.00 1.00'])).toBeNull();
  });

  it('reads cash with no change as the total only where the amount is printed elsewhere too', () => {
    const misreadTotal = 'ITEM B 1 17.40 17.40\nTOTAL (INCL GST) I7.4O\nCASH 17.40\nCHANGE 0.00';
    expect(findAmounts(misreadTotal).totals[0]).toMatchObject({ value: '17.40', confidence: 0.93 });
    expect(findAmounts('TOTAL 17.10\nCASH 17.40\nCHANGE 0.00').totals[0]?.value).toBe('17.10');
  });

  it('reads a total whose point faded ("TOTAL 39 00") as the amount', () => {
    expect(findAmounts('Item 2 RM26.00\nGrand Total 41 50\nCash RM50.00\nChange RM8.50').totals[0]).toMatchObject({ value: '41.50', confidence: 0.93 });
    const [faded] = findAmounts('TOTAL 12 50').totals;
    expect(faded?.value).toBe('12.50');
    expect(faded?.confidence).toBeLessThan(findAmounts('TOTAL 12.50').totals[0]!.confidence);
    // Only on a line labelled as the total, and only where no figure was read with its point.
    expect(findAmounts('ITEM 12 50')).toMatchObject({ totals: [] });
    expect(findAmounts('TOTAL 12.50 QTY 3 10').totals.map((total) => total.value)).toEqual(['12.50']);
  });

  it('reads the tax a total includes however the receipt words it', () => {
    expect(includedTax(['TOTAL INCLUDES 6% GST 1.13'])).toMatchObject({ rate: 6, cents: 113 });
    // OCR lost the tax's name, but "n% included in total" says what it is.
    expect(includedTax(['5T @6% included in total RM 1.43'])).toMatchObject({ rate: 6, cents: 143 });
    expect(includedTax(['10% service charge included in total 5.00'])).toBeNull();
    expect(holdsTax(2520, { rate: 6, cents: 143, line: '' })).toBe(true);
    expect(holdsTax(2720, { rate: 6, cents: 143, line: '' })).toBe(false);
  });
});

describe('dates printed with a slashed zero', () => {
  it('reads ¢, Ø and ø next to a date’s digits as the zero they are', () => {
    expect(findDates('Date: 21/07/2¢19 10:02')[0]?.value).toBe('2019-07-21');
    expect(findDates('DATE 3Ø-Ø4-2Ø19')[0]?.value).toBe('2019-04-30');
    expect(findDates('Inv date 1ø.11.2ø18')[0]?.value).toBe('2018-11-10');
    // A cent sign that is one (after a price, beside no date) is left alone.
    expect(findDates('Sweets 5¢ each')).toEqual([]);
  });
});
