/**
 * Imports customers from a CSV file or an XLSX workbook (its first sheet) with a column mapping (a CRM preset, a saved mapping, an explicit one,
 * or SlipVault's own export headings). Every row is checked before anything is written; one bad row refuses
 * the whole file with each bad row's line and problems, and nothing changes. A row updates the customer with
 * the same code, else the same CRM id, else the same name; otherwise it creates one.
 */
import { basename } from 'node:path';
import { eq } from 'drizzle-orm';
import { SlipVaultError } from '../../../shared/errors';
import {
  CUSTOMER_IMPORT_FIELDS,
  type CustomerContact,
  type CustomerDetail,
  type CustomerImportField,
  type CustomerImportProblem,
  type CustomerImportResult,
  type CustomerImportRow,
  type CustomerMapping,
} from '../../../shared/records';
import type { AuditLog } from '../audit/audit-log';
import type { Connection } from '../db/connection';
import { customerImportMappings } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { cellText, readTable, type Cell, type SourceRecord } from '../tables/read-table';
import { CUSTOMER_PRESETS, OWN_HEADINGS } from './presets';
import type { CustomerRegister } from './register';
import { canonicalJson } from '../audit/canonical';

export interface CustomerImportOptions {
  path: string;
  preset?: string | undefined;
  mapping?: CustomerMapping | undefined;
  encoding?: 'utf-8' | 'gb18030' | undefined;
  dryRun: boolean;
  saveMappingAs?: string | undefined;
}

const LIMITS: Partial<Record<CustomerImportField, number>> = { name: 200, code: 50, crmId: 100, contactName: 100, contactPhone: 50, contactEmail: 200 };
/** A leading apostrophe is how CSV writers (ours included) keep a spreadsheet from running a cell as a formula. */
const unprotect = (value: string) => (/^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value);
/** Names are kept as written (full-width brackets stay full-width), unlike the ledger's NFKC-normalized cells. */
const cellString = (cell: Cell) => (cell instanceof Date ? cellText(cell) : cell === null ? '' : String(cell).trim());

interface ParsedRow {
  line: number;
  values: Partial<Record<CustomerImportField, string>>;
}

export class CustomerImport {
  constructor(private readonly deps: { connection: Connection; audit: AuditLog; register: CustomerRegister; now: () => string }) {}

  savedMappings(): Record<string, CustomerMapping> {
    return Object.fromEntries(
      this.deps.connection.db
        .select()
        .from(customerImportMappings)
        .all()
        .map((row) => [row.name, row.mapping]),
    );
  }

  private mappingFor(options: CustomerImportOptions, headers: string[]): CustomerMapping {
    if (options.mapping) return options.mapping;
    if (options.preset) {
      const mapping = CUSTOMER_PRESETS[options.preset] ?? this.savedMappings()[options.preset];
      if (!mapping) {
        const known = [...Object.keys(CUSTOMER_PRESETS), ...Object.keys(this.savedMappings())];
        throw new SlipVaultError('VALIDATION', `There is no import preset or saved mapping "${options.preset}". Known: ${known.join(', ')}.`, {
          field: 'preset',
        }).withMessage('customers.unknownPreset', { preset: options.preset });
      }
      // A CRM export may leave optional columns out (the user picks which to export); the name must be there.
      return Object.fromEntries(Object.entries(mapping).filter(([field, heading]) => field === 'name' || headers.includes(heading)));
    }
    const own = Object.fromEntries(
      CUSTOMER_IMPORT_FIELDS.filter((field) => headers.includes(OWN_HEADINGS[field])).map((field) => [field, OWN_HEADINGS[field]]),
    );
    if (own.name) return own;
    const preset = Object.values(CUSTOMER_PRESETS).find((candidate) => candidate.name !== undefined && headers.includes(candidate.name));
    if (preset) return preset;
    throw new SlipVaultError('VALIDATION', `No column mapping fits the headings ${headers.join(', ')}; give a preset or a mapping with at least "name".`, {
      field: 'mapping',
      headers,
    }).withMessage('customers.noMappingFits');
  }

  private rowsOf(records: SourceRecord[], headers: string[], mapping: CustomerMapping): ParsedRow[] {
    const missing = Object.entries(mapping).filter(([, heading]) => !headers.includes(heading));
    if (!mapping.name)
      throw new SlipVaultError('VALIDATION', 'The column mapping must say which column holds the customer name.', { field: 'mapping' }).withMessage(
        'customers.mappingNeedsName',
      );
    if (missing.length > 0) {
      throw new SlipVaultError(
        'VALIDATION',
        `The file has no column ${missing.map(([, heading]) => `"${heading}"`).join(', ')} (headings: ${headers.join(', ')}).`,
        {
          field: 'mapping',
          missing: missing.map(([field]) => field),
        },
      ).withMessage('customers.columnsMissing', { columns: missing.map(([, heading]) => heading).join(', ') });
    }
    return records.map(({ line, cells }) => ({
      line,
      values: Object.fromEntries(
        Object.entries(mapping).map(([field, heading]) => [field, unprotect(cellString(cells[headers.indexOf(heading)] ?? null))]),
      ) as ParsedRow['values'],
    }));
  }

  /** What each row would do, or every row's problems. */
  private plan(rows: ParsedRow[], existing: CustomerDetail[]): { line: number; target: CustomerDetail | null; values: ParsedRow['values'] }[] {
    const problems: CustomerImportProblem[] = [];
    const seen = { code: new Map<string, number>(), crmId: new Map<string, number>(), name: new Map<string, number>() };
    const planned = rows.map(({ line, values }) => {
      const rowProblems: string[] = [];
      if (!values.name) rowProblems.push('the customer name is empty');
      for (const [field, limit] of Object.entries(LIMITS) as [CustomerImportField, number][]) {
        if ((values[field]?.length ?? 0) > limit) rowProblems.push(`${field} is longer than ${limit} characters`);
      }
      if (values.contactEmail && !/^[^@\s]+@[^@\s]+$/.test(values.contactEmail)) rowProblems.push(`"${values.contactEmail}" is not an e-mail address`);
      for (const key of ['code', 'crmId', 'name'] as const) {
        const value = values[key];
        if (!value) continue;
        const earlier = seen[key].get(value);
        if (earlier !== undefined) rowProblems.push(`${key} ${value} is also on line ${earlier}`);
        else seen[key].set(value, line);
      }
      const byCode = values.code ? existing.find((customer) => customer.code === values.code) : undefined;
      const byCrm = values.crmId ? existing.find((customer) => customer.crmId === values.crmId) : undefined;
      if (byCode && byCrm && byCode.id !== byCrm.id) {
        rowProblems.push(`code ${values.code} belongs to ${byCode.name} but CRM id ${values.crmId} to ${byCrm.name}`);
      }
      const target = byCode ?? byCrm ?? existing.find((customer) => customer.name === values.name) ?? null;
      const clash = existing.find((customer) => customer.id !== target?.id && (customer.name === values.name || customer.aliases.includes(values.name ?? '')));
      if (clash) rowProblems.push(`the name ${values.name} is already used by the customer ${clash.name} (code ${clash.code ?? 'none'})`);
      if (rowProblems.length > 0) problems.push({ line, problems: rowProblems });
      return { line, target, values };
    });
    if (problems.length > 0) {
      throw new SlipVaultError(
        'VALIDATION',
        `${problems.length} row(s) of the file cannot be imported, so nothing was imported: ${problems
          .slice(0, 5)
          .map((problem) => `line ${problem.line}: ${problem.problems.join('; ')}`)
          .join(' | ')}${problems.length > 5 ? ' | …' : ''}`,
        { rows: problems },
      ).withMessage('customers.badRows', { rows: problems.length });
    }
    return planned;
  }

  async run(options: CustomerImportOptions): Promise<CustomerImportResult> {
    const table = await readTable(options.path, { encoding: options.encoding ?? 'auto' });
    const { headers, encoding } = table;
    const mapping = this.mappingFor(options, headers);
    const rows = this.rowsOf(table.records, headers, mapping);
    return inTransaction(this.deps.connection.sqlite, () => {
      const planned = this.plan(rows, this.deps.register.list());
      const results: CustomerImportRow[] = [];
      for (const { line, target, values } of planned) {
        const contacts: CustomerContact[] = values.contactName
          ? [
              {
                name: values.contactName,
                ...(values.contactPhone ? { phone: values.contactPhone } : {}),
                ...(values.contactEmail ? { email: values.contactEmail } : {}),
              },
            ]
          : (target?.contacts ?? []);
        const next = {
          name: values.name!,
          aliases:
            values.aliases === undefined
              ? (target?.aliases ?? [])
              : values.aliases
                  .split(/[;；、]/)
                  .map((alias) => alias.trim())
                  .filter(Boolean),
          code: values.code === undefined ? (target?.code ?? null) : values.code || null,
          crmId: values.crmId === undefined ? (target?.crmId ?? null) : values.crmId || null,
          contacts,
          notes: values.notes ?? target?.notes ?? '',
        };
        // Compared in canonical form: PostgreSQL's jsonb gives a contact's keys back in its own order.
        const unchanged =
          target !== null && (Object.keys(next) as (keyof typeof next)[]).every((key) => canonicalJson(next[key]) === canonicalJson(target[key]));
        results.push({ line, action: target === null ? 'create' : unchanged ? 'unchanged' : 'update', name: next.name, code: next.code, crmId: next.crmId });
        if (options.dryRun || unchanged) continue;
        this.deps.register.save({ ...(target ? { id: target.id } : {}), ...next, reason: `import ${basename(options.path)} line ${line}` });
      }
      const counts = { created: results.filter((row) => row.action === 'create').length, updated: results.filter((row) => row.action === 'update').length };
      if (!options.dryRun) {
        if (options.saveMappingAs) this.saveMapping(options.saveMappingAs, mapping);
        this.deps.audit.append({
          action: 'customer.import',
          details: { file: basename(options.path), sha256: table.sha256, format: table.format, encoding, mapping, rows: results.length, ...counts },
        });
      }
      return { encoding, headers, mapping, rows: results, ...counts, dryRun: options.dryRun };
    });
  }

  private saveMapping(name: string, mapping: CustomerMapping): void {
    const now = this.deps.now();
    const before = this.deps.connection.db.select().from(customerImportMappings).where(eq(customerImportMappings.name, name)).get();
    this.deps.connection.db
      .insert(customerImportMappings)
      .values({ name, mapping, updatedAt: now })
      .onConflictDoUpdate({ target: customerImportMappings.name, set: { mapping, updatedAt: now } })
      .run();
    this.deps.audit.append({ action: 'customer.mapping.save', targetType: 'mapping', targetId: name, details: { mapping, before: before?.mapping ?? null } });
  }
}
