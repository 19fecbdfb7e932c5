/** Writes the customer register as CSV with SlipVault's own headings, which `customers import` reads back unchanged. */
import { writeFile } from 'node:fs/promises';
import { CUSTOMER_IMPORT_FIELDS, type CustomerDetail } from '../../../shared/records';
import { CSV_BOM, csvRecord } from '../audit/csv';
import { toStorageError } from '../fs-errors';
import { OWN_HEADINGS } from './presets';

/** Several aliases share one cell, separated like this; the import splits on it (and on ；、). */
export const ALIAS_SEPARATOR = '; ';

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

export async function exportCustomersCsv(customers: CustomerDetail[], path: string): Promise<{ path: string; customers: number }> {
  const text =
    CSV_BOM + csvRecord(CUSTOMER_IMPORT_FIELDS.map((field) => OWN_HEADINGS[field])) + customers.map((customer) => csvRecord(rowOf(customer))).join('');
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    throw toStorageError(error, `Could not write ${path}`);
  }
  return { path, customers: customers.length };
}
