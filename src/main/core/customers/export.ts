/**
 * Writes the customer register with SlipVault's own headings, which `customers import` reads back unchanged:
 * as an XLSX workbook when the file name ends in .xlsx, else as CSV.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CUSTOMER_IMPORT_FIELDS, type CustomerDetail } from '../../../shared/records';
import { CSV_BOM, csvRecord } from '../audit/csv';
import { toStorageError } from '../fs-errors';
import { loadExcelJs } from '../lazy/exceljs';
import { OWN_HEADINGS } from './presets';

/** Several aliases share one cell, separated like this; the import splits on it (and on ；、). */
export const ALIAS_SEPARATOR = '; ';

const HEADINGS = CUSTOMER_IMPORT_FIELDS.map((field) => OWN_HEADINGS[field]);

function rowOf(customer: CustomerDetail): string[] {
  const contact = customer.contacts[0];
  return [
    customer.name,
    customer.code ?? '',
    customer.crmId ?? '',
    customer.aliases.join(ALIAS_SEPARATOR),
    contact?.name ?? '',
    contact?.phone ?? '',
    contact?.email ?? '',
    customer.notes,
  ];
}

function csvOf(customers: CustomerDetail[]): string {
  return CSV_BOM + csvRecord(HEADINGS) + customers.map((customer) => csvRecord(rowOf(customer))).join('');
}

async function xlsxOf(customers: CustomerDetail[]): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  workbook.creator = 'SlipVault';
  const sheet = workbook.addWorksheet('customers');
  // Every column is text, so a code such as 00123 or a phone number keeps its leading zeros in Excel.
  sheet.columns = HEADINGS.map((heading) => ({ header: heading, key: heading, width: Math.max(14, heading.length + 2), style: { numFmt: '@' } }));
  for (const customer of customers) sheet.addRow(rowOf(customer));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function exportCustomers(customers: CustomerDetail[], path: string): Promise<{ path: string; customers: number }> {
  const contents = extname(path).toLowerCase() === '.xlsx' ? await xlsxOf(customers) : csvOf(customers);
  try {
    await writeFile(path, contents);
  } catch (error) {
    throw toStorageError(error, `Could not write ${path}`);
  }
  return { path, customers: customers.length };
}
