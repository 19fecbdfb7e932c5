/**
 * The records a signed slip depends on, from the command line (docs/customers.md): `customers
 * list|import|export|merge`, `signers list|add`, `auth list [--expiring DAYS]|check|add|revoke`, `locations
 * list|add|set|label`.
 */
import { resolve } from 'node:path';
import type { AuthorizationRecord, CustomerDetail, CustomerImportResult, SignerRecord, StorageLocation } from '../../../shared/records';
import { CliFailure, EXIT_USAGE, type CommandModule } from '../context';

function formatCustomers(customers: CustomerDetail[]): string {
  if (customers.length === 0) return 'No customers.';
  return customers
    .map((customer) =>
      [
        customer.name.padEnd(24),
        (customer.code ?? '-').padEnd(10),
        (customer.crmId ?? '-').padEnd(12),
        `${customer.documents} doc(s)`.padEnd(10),
        customer.aliases.length > 0 ? `aka ${customer.aliases.join(', ')}` : '',
      ]
        .join(' ')
        .trimEnd(),
    )
    .join('\n');
}

function formatImport(result: CustomerImportResult): string {
  const lines = result.rows.map((row) => `line ${String(row.line).padStart(4)}  ${row.action.padEnd(9)} ${row.name}${row.code ? ` (${row.code})` : ''}`);
  const verb = result.dryRun ? 'would create' : 'created';
  return [...lines, `${verb} ${result.created}, ${result.dryRun ? 'would update' : 'updated'} ${result.updated} (${result.encoding})`].join('\n');
}

function formatSigners(signers: SignerRecord[]): string {
  if (signers.length === 0) return 'No signers.';
  return signers
    .map((signer) =>
      `${signer.customer.padEnd(24)} ${signer.name.padEnd(12)} ${(signer.title ?? '').padEnd(12)} ${signer.validFrom ?? '…'} – ${signer.validTo ?? '…'}`.trimEnd(),
    )
    .join('\n');
}

function formatAuthorizations(records: AuthorizationRecord[]): string {
  if (records.length === 0) return 'No authorizations.';
  return records
    .map((record) =>
      [
        `#${record.id}`.padEnd(5),
        record.state.padEnd(10),
        record.customer.padEnd(20),
        record.agents
          .map((agent) => agent.name)
          .join(', ')
          .padEnd(16),
        `${record.validFrom} – ${record.validTo ?? `until revoked (review ${record.reviewDate ?? '-'})`}`,
        record.daysToEnd === null ? '' : `${record.daysToEnd} day(s) left`,
      ]
        .join(' ')
        .trimEnd(),
    )
    .join('\n');
}

function formatLocations(locations: StorageLocation[]): string {
  if (locations.length === 0) return 'No storage locations.';
  return locations
    .map((location) => `${location.path.join(' / ').padEnd(30)} ${location.kind.padEnd(8)} ${location.documents} doc(s)  ${location.label}`.trimEnd())
    .join('\n');
}

function days(value: string): number {
  if (!/^\d{1,4}$/.test(value)) throw new CliFailure({ code: 'VALIDATION', message: `--expiring takes a number of days, not "${value}".` }, EXIT_USAGE);
  return Number(value);
}

/** An authorization's number as `auth list` shows it (#12 or 12). */
function authorizationId(value: string, what: string): number {
  const digits = value.replace(/^#/, '');
  if (!/^\d{1,9}$/.test(digits) || Number(digits) === 0) {
    throw new CliFailure({ code: 'VALIDATION', message: `${what} takes an authorization's number (as auth list shows it), not "${value}".` }, EXIT_USAGE);
  }
  return Number(digits);
}

/** An agent as NAME or NAME=ID-NUMBER. */
function agentOf(value: string): { name: string; idNumber?: string } {
  const at = value.indexOf('=');
  if (at < 0) return { name: value };
  if (at === 0) throw new CliFailure({ code: 'VALIDATION', message: `--agent takes NAME or NAME=ID-NUMBER, not "${value}".` }, EXIT_USAGE);
  return { name: value.slice(0, at), idNumber: value.slice(at + 1) };
}

/** A customer named on the command line: its id when all digits, else its name or alias. */
const customerKey = (value: string): number | string => (/^\d+$/.test(value) ? Number(value) : value);

export const registerRecordCommands: CommandModule = (program, context) => {
  const customers = program.command('customers').description('the customer register: list, import and export CSV or XLSX, merge');
  customers
    .command('list')
    .description('every customer with code, CRM id, documents and aliases')
    .action(async () => {
      const list = await context.call('customers list', 'customers:register', {});
      context.emit(list, formatCustomers(list));
    });
  customers
    .command('import <file>')
    .description('import customers from CSV (UTF-8 or GB18030) or XLSX (its first sheet); all rows or none')
    .option('--preset <name>', 'a CRM preset (fxiaoke, zoho) or a saved mapping')
    .option('--map <field=heading...>', 'map a customer field (name, code, crmId, aliases, contactName, contactPhone, contactEmail, notes) to a column')
    .option('--encoding <encoding>', 'of a CSV file: utf-8 or gb18030 (default: detected)')
    .option('--dry-run', 'check every row and show what would change, change nothing')
    .option('--save-mapping <name>', 'remember the mapping used under this name')
    .action(async (file: string, options: { preset?: string; map?: string[]; encoding?: string; dryRun?: boolean; saveMapping?: string }) => {
      const mapping = options.map?.map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new CliFailure({ code: 'VALIDATION', message: `--map takes field=heading, not "${pair}".` }, EXIT_USAGE);
        return [pair.slice(0, at), pair.slice(at + 1)];
      });
      const result = await context.call('customers import', 'customers:import', {
        path: resolve(file),
        dryRun: options.dryRun === true,
        ...(options.preset ? { preset: options.preset } : {}),
        ...(mapping ? { mapping: Object.fromEntries(mapping) } : {}),
        ...(options.encoding ? { encoding: options.encoding as 'utf-8' } : {}),
        ...(options.saveMapping ? { saveMappingAs: options.saveMapping } : {}),
      });
      context.emit(result, formatImport(result));
    });
  customers
    .command('export <file>')
    .description('write the register as XLSX when FILE ends in .xlsx, else as CSV (UTF-8 with BOM); import reads it back')
    .action(async (file: string) => {
      const result = await context.call('customers export', 'customers:export', { path: resolve(file) });
      context.emit(result, `Wrote ${result.customers} customer(s) to ${result.path}.`);
    });
  customers
    .command('merge <from> <into>')
    .description('merge a customer into another: its documents get a new version, its name becomes an alias')
    .option('--reason <text>', 'why, kept with each new version')
    .action(async (from: string, into: string, options: { reason?: string }) => {
      const result = await context.call('customers merge', 'customers:merge', {
        from: customerKey(from),
        into: customerKey(into),
        ...(options.reason ? { reason: options.reason } : {}),
      });
      context.emit(result, `Merged ${result.mergedName} into ${result.into.name}: ${result.documents.length} document(s) have a new version.`);
    });

  const signers = program.command('signers').description('who signs for a customer');
  signers
    .command('list [customer]')
    .description("a customer's signers (or everyone's)")
    .action(async (customer?: string) => {
      const list =
        customer === undefined
          ? (await context.call('signers list', 'customers:register', {})).flatMap((entry) => entry.signers)
          : (await context.call('signers list', 'customers:get', { customer: customerKey(customer) })).signers;
      context.emit(list, formatSigners(list));
    });
  signers
    .command('add <customer> <name>')
    .description('add a signer to a customer, with scanned specimens')
    .option('--title <title>', 'job title')
    .option('--contact <contact>', 'phone or e-mail')
    .option('--from <date>', 'valid from YYYY-MM-DD')
    .option('--to <date>', 'valid to YYYY-MM-DD')
    .option('--signature <image>', 'a JPEG or PNG of the specimen signature')
    .option('--seal <image>', 'a JPEG or PNG of the seal')
    .action(
      async (customer: string, name: string, options: { title?: string; contact?: string; from?: string; to?: string; signature?: string; seal?: string }) => {
        const signer = await context.call('signers add', 'signers:save', {
          customer: customerKey(customer),
          name,
          ...(options.title ? { title: options.title } : {}),
          ...(options.contact ? { contact: options.contact } : {}),
          ...(options.from ? { validFrom: options.from } : {}),
          ...(options.to ? { validTo: options.to } : {}),
          ...(options.signature ? { signatureImage: resolve(options.signature) } : {}),
          ...(options.seal ? { sealImage: resolve(options.seal) } : {}),
        });
        context.emit(signer, `Added ${signer.name} as a signer of ${signer.customer}.`);
      },
    );

  const auth = program.command('auth').description('authorizations (授权书): who may sign for a customer');
  auth
    .command('list')
    .description('authorizations with their state today')
    .option('--customer <customer>', "only this customer's")
    .option('--expiring <days>', 'only those ending within DAYS (or already ended)')
    .option('--on <date>', 'the states on this day (YYYY-MM-DD) instead of today')
    .action(async (options: { customer?: string; expiring?: string; on?: string }) => {
      const list = await context.call('auth list', 'authorizations:list', {
        ...(options.customer ? { customer: customerKey(options.customer) } : {}),
        ...(options.expiring !== undefined ? { expiringWithinDays: days(options.expiring) } : {}),
        ...(options.on ? { on: options.on } : {}),
      });
      context.emit(list, formatAuthorizations(list));
    });
  auth
    .command('check <doc>')
    .description("whether the document's signer was authorized on its signing date: green, amber or red")
    .action(async (doc: string) => {
      const check = await context.call('auth check', 'authorizations:check', { ref: doc });
      context.emit(check, `${check.verdict.toUpperCase()}: ${check.message}`);
    });
  auth
    .command('add <customer>')
    .description('record an authorization (授权书) of a customer: who may sign, for what, from when until when')
    .requiredOption('--agent <agent...>', 'an agent who may sign: NAME, or NAME=ID-NUMBER where the 授权书 gives one (several allowed)')
    .requiredOption('--from <date>', 'the first day it is valid (YYYY-MM-DD)')
    .option('--to <date>', 'the last day it is valid; without it, it is valid until revoked')
    .option('--review <date>', 'for one valid until revoked: when to review it (default 12 months after --from)')
    .option('--matter <text...>', 'matters it covers')
    .option('--type <type...>', 'document types it covers (default: every type)')
    .option('--site <text...>', 'sites it covers')
    .option('--cap <amount>', 'the largest amount one slip may have')
    .option('--verified-by <how>', 'how the identity was verified (ID card, call-back, …)')
    .option('--attach <file...>', 'verification attachments (scans, a call-back note)')
    .option('--document <doc>', 'the document that grants it (the scanned 授权书)')
    .option('--supersedes <id>', 'the earlier authorization this one replaces')
    .option('--draft', 'save as a draft, not in force yet')
    .action(
      async (
        customer: string,
        options: {
          agent: string[];
          from: string;
          to?: string;
          review?: string;
          matter?: string[];
          type?: string[];
          site?: string[];
          cap?: string;
          verifiedBy?: string;
          attach?: string[];
          document?: string;
          supersedes?: string;
          draft?: boolean;
        },
      ) => {
        const record = await context.call('auth add', 'authorizations:save', {
          customer: customerKey(customer),
          agents: options.agent.map(agentOf),
          scope: {
            ...(options.matter ? { matters: options.matter } : {}),
            ...(options.type ? { documentTypes: options.type } : {}),
            ...(options.site ? { sites: options.site } : {}),
            ...(options.cap !== undefined ? { amountCap: options.cap } : {}),
          },
          validFrom: options.from,
          ...(options.to ? { validTo: options.to } : {}),
          ...(options.review ? { reviewDate: options.review } : {}),
          ...(options.verifiedBy ? { verificationMethod: options.verifiedBy } : {}),
          ...(options.attach ? { verificationAttachments: options.attach.map((file) => resolve(file)) } : {}),
          ...(options.document ? { grantingDocument: options.document } : {}),
          ...(options.supersedes ? { supersedes: authorizationId(options.supersedes, '--supersedes') } : {}),
          draft: options.draft === true,
        });
        context.emit(record, `Authorization #${record.id} of ${record.customer} is ${record.state}.\n${formatAuthorizations([record])}`);
      },
    );
  auth
    .command('revoke <id>')
    .description('revoke an authorization from a day on; slips signed before it stay covered')
    .requiredOption('--on <date>', 'the day it is revoked (YYYY-MM-DD)')
    .requiredOption('--reason <text>', 'why it is revoked')
    .option('--document <doc>', 'the document that revokes it')
    .action(async (id: string, options: { on: string; reason: string; document?: string }) => {
      const record = await context.call('auth revoke', 'authorizations:revoke', {
        id: authorizationId(id, 'auth revoke'),
        revokedOn: options.on,
        reason: options.reason,
        ...(options.document ? { revokingDocument: options.document } : {}),
      });
      context.emit(record, `Authorization #${record.id} of ${record.customer} is revoked from ${record.revokedOn}.`);
    });

  const locations = program.command('locations').description('where paper originals are kept: cabinets, shelves, boxes');
  locations
    .command('list')
    .description('the location list with the number of documents in each')
    .action(async () => {
      const list = await context.call('locations list', 'locations:list', {});
      context.emit(list, formatLocations(list));
    });
  locations
    .command('add <code> <kind>')
    .description('add a cabinet, shelf or box to the list (administrators)')
    .option('--in <parent>', 'the cabinet or shelf it is kept in')
    .option('--label <text>', 'a label shown beside the code')
    .action(async (code: string, kind: string, options: { in?: string; label?: string }) => {
      const location = await context.call('locations add', 'locations:save', {
        code,
        kind: kind as 'box',
        ...(options.label ? { label: options.label } : {}),
        ...(options.in ? { parentCode: options.in } : {}),
      });
      context.emit(location, `${location.path.join(' / ')} (${location.kind}) is on the list.`);
    });
  locations
    .command('set <doc> <code>')
    .description('record where the paper original is (a new version); "-" clears it')
    .option('--reason <text>', 'kept with the version')
    .action(async (doc: string, code: string, options: { reason?: string }) => {
      const detail = await context.call('locations set', 'documents:setLocation', {
        ref: doc,
        location: code === '-' ? null : code,
        ...(options.reason ? { reason: options.reason } : {}),
      });
      context.emit(detail, `${detail.archiveNo} is now version ${detail.currentVersion}, kept in ${detail.location ?? 'no recorded place'}.`);
    });
  locations
    .command('label <box>')
    .description('write a PDF label listing the documents in a box')
    .requiredOption('--out <file>', 'the PDF file to write')
    .action(async (box: string, options: { out: string }) => {
      const label = await context.call('locations label', 'locations:boxLabel', { box, out: resolve(options.out) });
      context.emit(label, `Wrote ${label.out}: box ${label.box}, ${label.documents.length} document(s).`);
    });
};
