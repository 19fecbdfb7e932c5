/**
 * Customers from and to XLSX workbooks: the same mapping, presets, row errors and all-or-nothing import as
 * CSV, through the table reader the ledger import uses, on a real archive and real workbooks.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import type { CustomerImportProblem } from '../../src/shared/records';
import { callOk, refusalOf } from '../helpers/api-calls';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

describe.each(BACK_ENDS)('on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);

  let archive: Archive;
  let clerk: ApiClient;
  let files: string;

  const auditCount = () => archive.connection.sqlite.prepare('SELECT count(*) FROM audit_events').pluck().get() as number;
  const customerCount = () => archive.connection.sqlite.prepare('SELECT count(*) FROM customers').pluck().get() as number;

  async function writeWorkbook(name: string, rows: ExcelJS.CellValue[][]): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Accounts');
    for (const row of rows) sheet.addRow(row);
    const path = join(files, name);
    await workbook.xlsx.writeFile(path);
    return path;
  }

  function writeBytes(name: string, bytes: Buffer): string {
    const path = join(files, name);
    writeFileSync(path, bytes);
    return path;
  }

  /** The start of a Compound File (OLE2): the signature, and a directory entry naming a stream (UTF-16LE). */
  function compoundFile(stream: string): Buffer {
    const bytes = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes, 0);
    Buffer.from(stream, 'utf16le').copy(bytes, 1024);
    return bytes;
  }

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir('slipvault-customer-xlsx-'), 'archive'));
    files = tempDir('slipvault-customer-xlsx-files-');
    clerk = await clientAs(createApi(archive), archive, 'clerk', 'clerk-xlsx');
  });

  afterAll(() => archive.close());

  describe('customer import from XLSX', () => {
    it('reads a Zoho CRM workbook with its preset: numbers as text, names as written', async () => {
      const path = await writeWorkbook('zoho.xlsx', [
        ['Record Id', 'Account Name', 'Account Number', 'Phone', 'Description', 'Owner'],
        ['zcrm_1001', '华南贸易（深圳）有限公司', 5001, 13800138000, 'key account', 'li'],
        ['zcrm_1002', { richText: [{ text: 'Pearl ' }, { text: 'River', font: { bold: true } }] }, 'P-2', null, null, 'wang'],
      ]);
      const preview = await callOk(clerk, 'customers:import', { path, preset: 'zoho', dryRun: true });
      expect(preview.rows).toEqual([
        { line: 2, action: 'create', name: '华南贸易（深圳）有限公司', code: '5001', crmId: 'zcrm_1001' },
        { line: 3, action: 'create', name: 'Pearl River', code: 'P-2', crmId: 'zcrm_1002' },
      ]);
      expect(customerCount()).toBe(0);

      const imported = await callOk(clerk, 'customers:import', { path, preset: 'zoho' });
      expect(imported).toMatchObject({ created: 2, updated: 0 });
      expect(await callOk(clerk, 'customers:get', { customer: '华南贸易（深圳）有限公司' })).toMatchObject({
        code: '5001',
        crmId: 'zcrm_1001',
        contacts: [],
        notes: 'key account',
      });
      const event = archive.connection.sqlite.prepare("SELECT details FROM audit_events WHERE action = 'customer.import'").pluck().get() as string;
      expect(JSON.parse(event)).toMatchObject({ file: 'zoho.xlsx', format: 'xlsx', rows: 2, created: 2 });
    });

    it('refuses a workbook with bad rows as a whole, naming each sheet row, and changes nothing', async () => {
      const path = await writeWorkbook('bad.xlsx', [
        ['name', 'code', 'contactEmail'],
        ['新客户', 'N1', null],
        [null, 'N2', null],
        ['另一个', 'N1', 'nobody'],
      ]);
      const before = { audit: auditCount(), customers: customerCount() };
      const refusal = await refusalOf(clerk, 'customers:import', { path });
      expect(refusal.code).toBe('VALIDATION');
      expect((refusal.details?.rows as CustomerImportProblem[]).map((row) => [row.line, row.problems])).toEqual([
        [3, ['the customer name is empty']],
        [4, ['"nobody" is not an e-mail address', 'code N1 is also on line 2']],
      ]);
      expect({ audit: auditCount(), customers: customerCount() }).toEqual(before);
    });

    it('names a file that is not an XLSX, a password-protected workbook and an old .xls, and changes nothing', async () => {
      const before = { audit: auditCount(), customers: customerCount() };
      const notXlsx = await refusalOf(clerk, 'customers:import', { path: writeBytes('fake.xlsx', Buffer.from('name,code\nA,1\n')) });
      expect(notXlsx.code).toBe('UNSUPPORTED_FILE');
      expect(notXlsx.message).toMatch(/fake\.xlsx is not an XLSX workbook/);
      const locked = await refusalOf(clerk, 'customers:import', { path: writeBytes('locked.xlsx', compoundFile('EncryptedPackage')) });
      expect(locked).toMatchObject({ code: 'UNSUPPORTED_FILE', details: { reason: 'encrypted' } });
      expect(locked.message).toMatch(/locked\.xlsx is a password-protected workbook: .*remove the password/);
      const xls = await refusalOf(clerk, 'customers:import', { path: writeBytes('old.xls', compoundFile('Workbook')) });
      expect(xls.message).toMatch(/old Excel 97–2003 \(\.xls\) workbook/);
      const brokenZip = await refusalOf(clerk, 'customers:import', {
        path: writeBytes('broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 7)])),
      });
      expect(brokenZip).toMatchObject({ code: 'CORRUPT_FILE' });
      expect({ audit: auditCount(), customers: customerCount() }).toEqual(before);
    });
  });

  describe('customer export to XLSX', () => {
    it('writes the register with SlipVault headings as text cells, and it imports back unchanged', async () => {
      await callOk(clerk, 'customers:save', {
        name: '北方物流',
        code: '00123',
        aliases: ['北方', '北方物流公司'],
        contacts: [{ name: '李娜', phone: '010-5678', email: 'li@example.cn' }],
        notes: '=not a formula',
      });
      const out = join(files, 'register.xlsx');
      const exported = await callOk(clerk, 'customers:export', { path: out });
      expect(exported).toEqual({ path: out, customers: 3 });
      expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      const sheet = workbook.worksheets[0]!;
      expect((sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1)).toEqual([
        'name',
        'code',
        'crmId',
        'aliases',
        'contactName',
        'contactPhone',
        'contactEmail',
        'notes',
      ]);
      const rows = sheet.getSheetValues().slice(2) as ExcelJS.CellValue[][];
      expect(rows.find((row) => row[1] === '北方物流')?.slice(1)).toEqual([
        '北方物流',
        '00123',
        '',
        '北方; 北方物流公司',
        '李娜',
        '010-5678',
        'li@example.cn',
        '=not a formula',
      ]);

      const reimport = await callOk(clerk, 'customers:import', { path: out, dryRun: true });
      expect(reimport.rows.map((row) => row.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    });
  });
});
