/**
 * Importing ERP exports into the slip ledger on a real archive, through the contract as a clerk: UTF-8 and
 * GBK CSV, XLSX with date cells and serial numbers, saved mappings, bad rows (all or nothing, or the good
 * rows when asked), re-imports that update rather than duplicate, and every kind of bad file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { InputOf, Method, OutputOf } from '../../src/shared/contract';
import type { ErrorPayload } from '../../src/shared/errors';
import type { LedgerRowProblem } from '../../src/shared/model';
import { tempDir } from '../helpers/fixtures';
import { encodeGb18030 } from '../helpers/gb18030';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let dir: string;
  let archive: Archive;
  let api: Api;
  let clerk: ApiClient;
  /** 2026-04-01, local noon: the day every call computes aging on. */
  const clock = new Date(2026, 3, 1, 12).getTime();

  async function call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    const result = await clerk.invoke(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { payload: result.error });
    return result.value as OutputOf<M>;
  }

  async function refusal<M extends Method>(method: M, input: InputOf<M>): Promise<ErrorPayload> {
    const result = await clerk.invoke(method, input);
    if (result.ok) throw new Error(`${method} was expected to fail`);
    return result.error;
  }

  function file(name: string, content: string | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  const ledgerRowCount = () => archive.connection.sqlite.prepare('SELECT count(*) FROM ledger_rows').pluck().get() as number;

  const HEADER = '送货单号,客户名称,发货日期,金额,币种,发票号,跟单员\n';

  beforeAll(async () => {
    dir = tempDir();
    archive = await backEnd.init(join(dir, 'archive'), { program: 'ledger import test' });
    api = createApi(archive, { now: () => clock });
    clerk = await clientAs(api, archive, 'clerk', 'li.na');
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
  });

  describe('a UTF-8 CSV as an ERP exports it', () => {
    it('previews without writing, then imports every row with its expected-back date', async () => {
      const path = file(
        'erp-utf8.csv',
        '\uFEFF' +
          HEADER +
          'SO-2026-0001,华南贸易,2026-03-05,"¥1,234.50",CNY,INV-1,li.na\n' +
          'so-2026-0002 ,华南贸易,2026/3/6,800,,,\n' +
          'SO-2026-0003,东方物流,2026年3月7日,"12,000.5",人民币,INV-3,\n',
      );
      const preview = await call('ledger:importPreview', { path });
      expect(preview).toMatchObject({ format: 'csv', encoding: 'utf-8', missingColumns: [], totalRows: 3, goodRows: 3, problems: [] });
      expect(preview.columns).toMatchObject({ slipNo: '送货单号', customer: '客户名称', issueDate: '发货日期', amount: '金额', owner: '跟单员' });
      expect(preview.rows.map((row) => [row.line, row.action, row.values?.slipNo, row.values?.issueDate, row.values?.amount])).toEqual([
        [2, 'create', 'SO-2026-0001', '2026-03-05', '1234.50'],
        [3, 'create', 'SO-2026-0002', '2026-03-06', '800.00'],
        [4, 'create', 'SO-2026-0003', '2026-03-07', '12000.50'],
      ]);
      expect(ledgerRowCount()).toBe(0);

      const result = await call('ledger:import', { path });
      expect(result).toMatchObject({ created: 3, updated: 0, unchanged: 0, skipped: [] });
      const list = await call('ledger:list', { sort: { by: 'slipNo', direction: 'asc' } });
      expect(list.asOf).toBe('2026-04-01');
      expect(list.items.map((row) => [row.slipNo, row.customer, row.expectedBackDate, row.amount, row.currency, row.owner, row.custody, row.bucket])).toEqual([
        ['SO-2026-0001', '华南贸易', '2026-03-20', '1234.50', 'CNY', 'li.na', 'sent', '0-15'],
        ['SO-2026-0002', '华南贸易', '2026-03-21', '800.00', 'CNY', null, 'sent', '0-15'],
        ['SO-2026-0003', '东方物流', '2026-03-22', '12000.50', 'CNY', null, 'sent', '0-15'],
      ]);
      const event = archive.audit.list(result.auditSeq! - 1, 1)[0]!;
      expect(event).toMatchObject({ action: 'ledger.import', actor: 'li.na', details: { created: 3, totalRows: 3 } });
      const detail = await call('ledger:get', { row: 'so-2026-0001' });
      expect(detail.history).toMatchObject([{ action: 'import', actor: 'li.na', auditSeq: result.auditSeq, reason: `line 2 of ${path}` }]);
    });

    it('updates rows on a re-import of the same export instead of duplicating them', async () => {
      const path = file(
        'erp-utf8-again.csv',
        HEADER +
          'SO-2026-0001,华南贸易,2026-03-05,"¥1,234.50",CNY,INV-1,li.na\n' +
          'SO-2026-0002,华南贸易,2026-03-06,800,,INV-2,\n' +
          'SO-2026-0003,东方物流,2026-03-07,12000.50,CNY,INV-3,\n',
      );
      const result = await call('ledger:import', { path });
      expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
      expect(ledgerRowCount()).toBe(3);
      const detail = await call('ledger:get', { row: 'SO-2026-0002' });
      expect(detail.row.invoiceNo).toBe('INV-2');
      expect(detail.history.at(-1)!.changes).toEqual({ invoiceNo: { from: null, to: 'INV-2' } });
      const again = await call('ledger:import', { path });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, auditSeq: null });
    });
  });

  describe('a GBK CSV as Excel in China saves it', () => {
    const gbk = () => encodeGb18030('回单号;客户;日期;金额\r\nGB-0001;南方钢铁;2026-03-10;"1,000"\r\nGB-0002;南方钢铁;2026.3.11;2000\r\n');

    it('is recognised as GB18030 and imported with its Chinese intact', async () => {
      const path = file('erp-gbk.csv', gbk());
      const preview = await call('ledger:importPreview', { path });
      expect(preview).toMatchObject({ encoding: 'gb18030', headers: ['回单号', '客户', '日期', '金额'], goodRows: 2 });
      expect(await call('ledger:import', { path, encoding: 'gb18030' })).toMatchObject({ created: 2, encoding: 'gb18030' });
      expect((await call('ledger:get', { row: 'GB-0002' })).row).toMatchObject({ customer: '南方钢铁', issueDate: '2026-03-11', amount: '2000.00' });
    });

    it('is refused when read as UTF-8, and a UTF-8 file is refused when read as GB18030', async () => {
      const gbkPath = file('declared-wrong.csv', gbk());
      const asUtf8 = await refusal('ledger:importPreview', { path: gbkPath, encoding: 'utf-8' });
      expect(asUtf8).toMatchObject({ code: 'VALIDATION' });
      expect(asUtf8.message).toMatch(/is not valid UTF-8 text; .*GB18030\/GBK/);
      const utf8Path = file('utf8-declared-gbk.csv', `${HEADER}X-1,华南贸易,2026-03-05,1,CNY,,\n`);
      const asGbk = await refusal('ledger:import', { path: utf8Path, encoding: 'gb18030' });
      expect(asGbk.message).toMatch(/is UTF-8, not GB18030/);
      const mangled = await refusal('ledger:import', { path: file('mangled.csv', `${HEADER}X-1,锟斤拷,2026-03-05,1,CNY,,\n`) });
      expect(mangled.message).toMatch(/contains garbled text \("锟斤拷"\)/);
      expect(await call('ledger:list', { filters: { text: 'X-1' } })).toMatchObject({ total: 0 });
    });
  });

  describe('an XLSX workbook', () => {
    it('reads date cells, serial numbers and numeric amounts from the first sheet', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('出库单');
      sheet.addRow(['单据编号', '客户', '出库日期', '应回日期', '价税合计', '状态']);
      sheet.addRow(['XL-0001', '华南贸易', new Date(Date.UTC(2026, 2, 1)), null, 1500.5, '已发出']);
      // 46083 is Excel's serial number of 2026-03-02, 46101 of 2026-03-20.
      sheet.addRow(['XL-0002', '东方物流', 46083, 46101, 99, '客户已签收']);
      const path = join(dir, 'erp.xlsx');
      await workbook.xlsx.writeFile(path);
      const preview = await call('ledger:importPreview', { path });
      expect(preview).toMatchObject({ format: 'xlsx', headers: ['单据编号', '客户', '出库日期', '应回日期', '价税合计', '状态'], goodRows: 2 });
      await call('ledger:import', { path });
      expect((await call('ledger:get', { row: 'XL-0001' })).row).toMatchObject({ issueDate: '2026-03-01', expectedBackDate: '2026-03-16', amount: '1500.50' });
      expect((await call('ledger:get', { row: 'XL-0002' })).row).toMatchObject({
        issueDate: '2026-03-02',
        expectedBackDate: '2026-03-20',
        custody: 'signed_at_customer',
      });
    });
  });

  describe('bad rows', () => {
    const badFile = () =>
      file(
        'bad-rows.csv',
        HEADER +
          'OK-0001,华南贸易,2026-03-05,100,CNY,,\n' +
          ',华南贸易,2026-03-05,100,CNY,,\n' +
          'DUP-1,华南贸易,2026-03-05,100,CNY,,\n' +
          'DUP-1,华南贸易,2026-03-06,100,CNY,,\n' +
          'BAD-DATE,华南贸易,2026-02-30,100,CNY,,\n' +
          'NEG-1,华南贸易,2026-03-05,-5,CNY,,\n' +
          'CUR-1,华南贸易,2026-03-05,5,XYZ,,\n' +
          'OWN-1,华南贸易,2026-03-05,5,CNY,,nobody\n' +
          'OK-0002,东方物流,2026-03-08,7,,,\n',
      );
    const expectedProblems: Pick<LedgerRowProblem, 'line' | 'problem'>[] = [
      { line: 3, problem: 'missing-value' },
      { line: 4, problem: 'duplicate-slip' },
      { line: 5, problem: 'duplicate-slip' },
      { line: 6, problem: 'bad-date' },
      { line: 7, problem: 'negative-amount' },
      { line: 8, problem: 'unknown-currency' },
      { line: 9, problem: 'unknown-owner' },
    ];

    it('refuse the whole file by default, listing each with its line and reason', async () => {
      const before = ledgerRowCount();
      const headBefore = archive.audit.head().seq;
      const error = await refusal('ledger:import', { path: badFile() });
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toMatch(
        /^7 of 9 rows of .* cannot be imported, so nothing was imported: line 3: slipNo is empty; line 4: slip number DUP-1 is in the file more than once \(lines 4, 5\)/,
      );
      const problems = (error.details as { problems: LedgerRowProblem[] }).problems;
      expect(problems.map(({ line, problem }) => ({ line, problem }))).toEqual(expectedProblems);
      expect(problems.find((problem) => problem.line === 6)!.reason).toBe('issue date "2026-02-30" is not a real calendar day');
      expect(problems.find((problem) => problem.line === 7)!.reason).toMatch(/amount -5 is negative/);
      expect(problems.find((problem) => problem.line === 8)!.reason).toBe('currency "XYZ" is not a known currency code');
      expect(ledgerRowCount()).toBe(before);
      expect(archive.audit.head().seq).toBe(headBefore);
    });

    it('import only the good rows when that is asked for, and say which were skipped', async () => {
      const result = await call('ledger:import', { path: badFile(), goodRows: true });
      expect(result).toMatchObject({ totalRows: 9, created: 2 });
      expect(result.skipped.map(({ line, problem }) => ({ line, problem }))).toEqual(expectedProblems);
      expect((await call('ledger:list', { filters: { text: 'OK-000' } })).total).toBe(2);
    });
  });

  describe('mappings', () => {
    it('are saved by name and used for exports whose headers nobody could guess', async () => {
      const path = file('odd-headers.csv', 'A,B,C,D\nMAP-1,华南贸易,2026-03-01,10\n');
      const unguessed = await call('ledger:importPreview', { path });
      expect(unguessed.missingColumns).toEqual(['slipNo', 'customer', 'issueDate']);
      const error = await refusal('ledger:import', { path });
      expect(error.message).toMatch(/has no column for slipNo, customer, issueDate; map it and import again. Nothing was imported./);
      await call('ledger:saveMapping', { name: 'ERP A', columns: { slipNo: 'A', customer: 'B', issueDate: 'C', amount: 'D' } });
      expect(await call('ledger:mappings', {})).toMatchObject([{ name: 'ERP A', columns: { slipNo: 'A', amount: 'D' } }]);
      expect(await call('ledger:import', { path, mappingName: 'ERP A' })).toMatchObject({ created: 1 });
      const wrongColumn = await refusal('ledger:import', { path, columns: { slipNo: 'A', customer: 'B', issueDate: 'Date' } });
      expect(wrongColumn.message).toMatch(/has no column for issueDate \(column "Date"\)/);
      expect((await refusal('ledger:import', { path, mappingName: 'ERP B' })).message).toBe('There is no saved mapping "ERP B" (saved: ERP A).');
    });
  });

  describe('bad files', () => {
    it('each get a specific message and change nothing', async () => {
      const before = ledgerRowCount();
      const empty = await refusal('ledger:import', { path: file('empty.csv', '\uFEFF\n') });
      expect(empty.message).toMatch(/empty\.csv is empty\./);
      const notXlsx = await refusal('ledger:import', { path: file('fake.xlsx', 'slip,customer\n1,2\n') });
      expect(notXlsx).toMatchObject({ code: 'UNSUPPORTED_FILE' });
      expect(notXlsx.message).toMatch(/is not an XLSX workbook/);
      // The start of a Compound File as Office writes for an encrypted workbook: the OLE signature, and the
      // directory naming the EncryptedPackage stream (UTF-16LE), padded to a sector.
      const ole = Buffer.alloc(2048);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole, 0);
      Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 1024);
      const encrypted = await refusal('ledger:import', { path: file('locked.xlsx', ole) });
      expect(encrypted.message).toMatch(/is a password-protected workbook: .*remove the password/);
      const xls = Buffer.alloc(2048);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(xls, 0);
      Buffer.from('Workbook', 'utf16le').copy(xls, 1024);
      expect((await refusal('ledger:import', { path: file('old.xls', xls) })).message).toMatch(/old Excel 97–2003 \(\.xls\) workbook/);
      const brokenZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)]);
      expect((await refusal('ledger:import', { path: file('broken.xlsx', brokenZip) })).message).toMatch(/is not a readable XLSX workbook/);
      expect(await refusal('ledger:import', { path: join(dir, 'missing.csv') })).toMatchObject({ code: 'FILE_NOT_FOUND' });
      expect(ledgerRowCount()).toBe(before);
    });
  });
});
