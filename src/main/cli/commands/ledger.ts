/**
 * The slip ledger from the command line (docs/ledger.md): import ERP exports, list what is out, link and
 * unlink slips, create the day's reminders, export lists and reminder letters, and the due summary — for
 * scripts and scheduled jobs as much as for people.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputOf } from '../../../shared/contract';
import {
  AGING_BUCKETS,
  CUSTODY_STEPS,
  LEDGER_ENCODINGS,
  LEDGER_REPORTS,
  type AgingBucket,
  type CustodyStep,
  type DueSummary,
  type ExportedFile,
  type LedgerEncoding,
  type LedgerImportResult,
  type LedgerReportKind,
  type LedgerRow,
} from '../../../shared/model';
import { CliFailure, EXIT_USAGE, parsePositiveInteger, type CommandModule } from '../context';

function choice<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliFailure({ code: 'VALIDATION', message: `${what} is one of ${allowed.join(', ')}, not "${value}".` }, EXIT_USAGE);
  }
  return value as T;
}

function formatRows(rows: LedgerRow[]): string {
  if (rows.length === 0) return 'No ledger rows match.';
  return rows
    .map((row) =>
      [
        row.slipNo.padEnd(18),
        row.customer.padEnd(12),
        row.expectedBackDate,
        (row.daysOverdue !== null && row.daysOverdue > 0 ? `${row.daysOverdue}d over` : '').padEnd(10),
        (row.amount ? `${row.amount} ${row.currency ?? ''}` : '').padEnd(16),
        row.custody.padEnd(18),
        row.owner ?? '-',
        row.archiveNo ?? '',
        row.exception ? `[${row.exception}]` : '',
      ]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function formatImport(file: string, result: LedgerImportResult): string {
  const lines = [
    `Imported ${file} (${result.format}, ${result.encoding}): ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged of ${result.totalRows} rows.`,
  ];
  for (const problem of result.skipped) lines.push(`  skipped line ${problem.line}: ${problem.reason}`);
  return lines.join('\n');
}

const amounts = (sums: Record<string, string>) =>
  Object.entries(sums)
    .map(([currency, amount]) => `${amount} ${currency}`)
    .join(', ');

function formatDue(summary: DueSummary): string {
  const lines = [`Due on ${summary.asOf} for ${summary.user}:`];
  lines.push(`  my slips due back today: ${summary.myDueToday.map((row) => `${row.slipNo} (${row.customer})`).join(', ') || 'none'}`);
  lines.push(`  my overdue slips: ${summary.myOverdue}`);
  lines.push(`  outstanding by days overdue: ${summary.buckets.map((bucket) => `${bucket.bucket} ${bucket.count}`).join(' · ')}`);
  for (const group of summary.overdueByCustomer.slice(0, 10))
    lines.push(`  overdue  ${String(group.key).padEnd(16)} ${group.count}  ${amounts(group.amounts)}`);
  for (const group of summary.overdueByOwner) lines.push(`  chaser   ${(group.key ?? '(nobody)').padEnd(16)} ${group.count}`);
  lines.push(`  back but not filed: ${summary.backNotFiled}; filed slips nobody expected: ${summary.unexpected}`);
  lines.push(`  inbox items older than ${summary.inbox.olderThanDays} days: ${summary.inbox.count}; OCR review backlog: ${summary.ocrReviewBacklog}`);
  const backup = summary.backup;
  lines.push(
    `  backup: ${backup.neverVerified ? 'never verified' : `last verified ${backup.lastVerifiedAt}`}${backup.stale ? ` — older than ${backup.olderThanDays} days, run a backup` : ''}`,
  );
  lines.push(`  unread notifications: ${summary.unreadNotifications}`);
  return lines.join('\n');
}

function writeExport(out: string, file: ExportedFile): string {
  const path = resolve(out);
  writeFileSync(path, Buffer.from(file.base64, 'base64'));
  return path;
}

interface ListOptions {
  overdue?: boolean;
  customer?: string;
  owner?: string;
  bucket?: string;
  custody?: string;
  text?: string;
  asOf?: string;
}

function filtersOf(options: ListOptions): InputOf<'ledger:list'>['filters'] {
  return {
    ...(options.overdue ? { overdue: true } : {}),
    ...(options.customer ? { customer: options.customer } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.bucket ? { bucket: choice<AgingBucket>(options.bucket, AGING_BUCKETS, 'bucket')! } : {}),
    ...(options.custody ? { custody: choice<CustodyStep>(options.custody, CUSTODY_STEPS, 'custody')! } : {}),
    ...(options.text ? { text: options.text } : {}),
  };
}

export const registerLedgerCommands: CommandModule = (program, context) => {
  const ledger = program.command('ledger').description('the slips that must come back signed (docs/ledger.md)');

  ledger
    .command('import <file>')
    .description('import an ERP export (CSV in UTF-8 or GB18030/GBK, or XLSX); all rows or none unless --good-rows')
    .option('--mapping <name>', 'a saved column mapping (default: guessed from the headers)')
    .option('--encoding <encoding>', 'CSV encoding: auto, utf-8 or gb18030', 'auto')
    .option('--sheet <name>', 'XLSX: the sheet to read (default the first)')
    .option('--good-rows', 'import the good rows and list the bad ones, instead of refusing the file')
    .option('--preview', 'check the file and show what would be imported, writing nothing')
    .action(async (file: string, options: { mapping?: string; encoding: string; sheet?: string; goodRows?: boolean; preview?: boolean }) => {
      const source = {
        path: resolve(file),
        encoding: choice<LedgerEncoding>(options.encoding, LEDGER_ENCODINGS, 'encoding')!,
        ...(options.mapping ? { mappingName: options.mapping } : {}),
        ...(options.sheet ? { sheet: options.sheet } : {}),
      };
      if (options.preview) {
        const preview = await context.call('ledger import', 'ledger:importPreview', source);
        const lines = [
          `${file}: ${preview.format}, ${preview.encoding}, ${preview.totalRows} rows, ${preview.goodRows} good.`,
          ...(preview.missingColumns.length > 0 ? [`  no column for: ${preview.missingColumns.join(', ')}`] : []),
          ...preview.problems.map((problem) => `  line ${problem.line}: ${problem.reason}`),
        ];
        context.emit(preview, lines.join('\n'));
        return;
      }
      const result = await context.call('ledger import', 'ledger:import', { ...source, goodRows: options.goodRows === true });
      context.emit(result, formatImport(file, result));
    });

  ledger
    .command('list')
    .description('ledger rows, most overdue first')
    .option('--overdue', 'only slips still out past their expected-back date')
    .option('--customer <name>', 'one customer')
    .option('--owner <user>', 'one chaser')
    .option('--bucket <bucket>', `days overdue: ${AGING_BUCKETS.join(', ')}`)
    .option('--custody <step>', CUSTODY_STEPS.join(', '))
    .option('--text <text>', 'part of a slip number, invoice number or customer')
    .option('--as-of <date>', 'count days overdue on this day (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many rows', '100')
    .action(async (options: ListOptions & { limit: string }) => {
      const list = await context.call('ledger list', 'ledger:list', {
        filters: filtersOf(options),
        limit: parsePositiveInteger(options.limit, 'number of rows'),
        ...(options.asOf ? { asOf: options.asOf } : {}),
      });
      const more = list.total > list.items.length ? `\n(${list.items.length} of ${list.total} shown)` : '';
      context.emit(list, formatRows(list.items) + more);
    });

  ledger
    .command('link <slip> <document>')
    .description('confirm that a document (SV-… or id) brought back this slip')
    .option('--reason <text>', 'why, for the history')
    .option('--signature-override <text>', 'link a document the signed check finds unsigned, and why (audited)')
    .action(async (slip: string, document: string, options: { reason?: string; signatureOverride?: string }) => {
      const row = await context.call('ledger link', 'ledger:link', {
        row: slip,
        document,
        ...(options.reason ? { reason: options.reason } : {}),
        ...(options.signatureOverride ? { signatureOverride: options.signatureOverride } : {}),
      });
      context.emit(row, `${row.slipNo} is linked to ${row.archiveNo} (${row.custody}).`);
    });

  ledger
    .command('unlink <slip>')
    .description('undo a link: the slip counts as out again')
    .requiredOption('--reason <text>', 'why the link was wrong')
    .action(async (slip: string, options: { reason: string }) => {
      const row = await context.call('ledger unlink', 'ledger:unlink', { row: slip, reason: options.reason });
      context.emit(row, `${row.slipNo} is no longer linked (${row.custody}).`);
    });

  ledger
    .command('remind')
    .description("create today's reminders: due → owner, +7 days → owner again, +30 days → administrators")
    .option('--as-of <date>', 'the day to remind for (YYYY-MM-DD)')
    .action(async (options: { asOf?: string }) => {
      const run = await context.call('ledger remind', 'ledger:remind', options.asOf ? { asOf: options.asOf } : {});
      context.emit(run, [`${run.created.length} reminder(s) created for ${run.asOf}.`, ...run.created.map((n) => `  ${n.recipient}: ${n.text}`)].join('\n'));
    });

  ledger
    .command('export')
    .description('write a list (the list filters) or a report as CSV or XLSX')
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', 'csv or xlsx', 'csv')
    .option('--report <kind>', LEDGER_REPORTS.join(', '))
    .option('--overdue', 'only overdue slips')
    .option('--customer <name>', 'one customer')
    .option('--owner <user>', 'one chaser')
    .option('--bucket <bucket>', AGING_BUCKETS.join(', '))
    .option('--custody <step>', CUSTODY_STEPS.join(', '))
    .option('--text <text>', 'part of a slip number, invoice number or customer')
    .option('--as-of <date>', 'the day (YYYY-MM-DD)')
    .action(async (options: ListOptions & { out: string; format: string; report?: string }) => {
      const report = choice<LedgerReportKind>(options.report, LEDGER_REPORTS, 'report');
      const file = await context.call('ledger export', 'ledger:export', {
        source: report ? { kind: 'report', report } : { kind: 'list', filters: filtersOf(options) },
        format: choice<'csv' | 'xlsx'>(options.format, ['csv', 'xlsx'], 'format')!,
        ...(options.asOf ? { asOf: options.asOf } : {}),
      });
      const path = writeExport(options.out, file);
      context.emit({ ...file, base64: undefined, path }, `Wrote ${file.rows} row(s) to ${path}.`);
    });

  ledger
    .command('letter <customer>')
    .description("a reminder letter (PDF) listing the customer's outstanding slips")
    .requiredOption('--out <file>', 'the PDF to write')
    .option('--as-of <date>', 'the day (YYYY-MM-DD)')
    .action(async (customer: string, options: { out: string; asOf?: string }) => {
      const file = await context.call('ledger letter', 'ledger:reminderPdf', { customer, ...(options.asOf ? { asOf: options.asOf } : {}) });
      const path = writeExport(options.out, file);
      context.emit({ ...file, base64: undefined, path }, `Wrote the reminder to ${customer} (${file.rows} slip(s)) to ${path}.`);
    });

  program
    .command('due')
    .description("what needs chasing today: your slips, aging, overdue by customer and chaser, the archive's backlog")
    .option('--as-of <date>', 'the day (YYYY-MM-DD)')
    .option('--inbox-days <n>', 'count inbox items older than this many days', '3')
    .option('--backup-days <n>', 'a verified backup older than this many days is stale', '7')
    .action(async (options: { asOf?: string; inboxDays: string; backupDays: string }) => {
      const summary = await context.call('due', 'due:summary', {
        inboxOlderThanDays: parsePositiveInteger(options.inboxDays, 'number of days'),
        backupOlderThanDays: parsePositiveInteger(options.backupDays, 'number of days'),
        ...(options.asOf ? { asOf: options.asOf } : {}),
      });
      context.emit(summary, formatDue(summary));
    });
};
