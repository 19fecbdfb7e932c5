/**
 * The slip ledger's calls (src/shared/contract.ts, the ledger block), spread into api.ts's handler table.
 * Every call computes aging on `asOf` when given, else on the day of the api's clock, so tests and the
 * bench choose the day.
 */
import type { Method, OutputOf, ParsedInputOf } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import { AUTHORIZATION_WARNING_DAYS } from '../../../shared/model';
import { actingUser } from '../accounts/acting-user';
import type { Archive } from '../archive';
import { scheduleStatus } from '../backup/schedule';
import type { SecretStore } from '../backup/secret-store';
import { localDay } from './days';
import { dueSummary } from './due-summary';
import { exportTable, reportTable, rowsTable } from './export-table';
import { filedPerWeek } from './filed-per-week';
import { listLedger } from './ledger-list';
import { reminderLetterPdf } from './reminder-letter';
import { ledgerReport } from './reports';

type LedgerMethod = Extract<Method, `ledger:${string}` | `due:${string}` | `notifications:${string}`>;
export type LedgerHandlers = { [M in LedgerMethod]: (input: ParsedInputOf<M>) => OutputOf<M> | Promise<OutputOf<M>> };

/** Everything a row list can hold, for exports and the reminder letter (no paging). */
const ALL_ROWS = 10_000_000;

export function ledgerHandlers(archive: Archive, secrets: SecretStore, now: () => number): LedgerHandlers {
  const { ledger } = archive;
  const sqlite = archive.connection.sqlite;
  const dayOf = (asOf: string | undefined) => asOf ?? localDay(new Date(now()));
  const user = () => {
    const name = actingUser();
    if (!name) throw new SlipVaultError('UNAUTHENTICATED', 'Log in first: the ledger needs to know who you are.').withMessage('ledger.needsLogin');
    return name;
  };
  const allRows = (filters: ParsedInputOf<'ledger:list'>['filters'], asOf: string) =>
    listLedger(sqlite, { filters, asOf, limit: ALL_ROWS, offset: 0, sort: { by: 'expectedBackDate', direction: 'asc' } }).items;
  return {
    'ledger:list': ({ filters, asOf, limit, offset, sort }) => listLedger(sqlite, { filters, asOf: dayOf(asOf), limit, offset, sort }),
    'ledger:get': ({ row }) => ledger.rows.get(row, dayOf(undefined)),
    'ledger:create': ({ slipNo, ...fields }) => ledger.rows.create(slipNo, fields, dayOf(undefined)),
    'ledger:update': ({ row, changes, reason }) => ledger.rows.update(row, changes, reason ?? null, dayOf(undefined)),
    'ledger:cancel': ({ row, reason }) => ledger.rows.cancel(row, reason, dayOf(undefined)),
    'ledger:importPreview': ({ rows, ...source }) => ledger.importer.preview(source, rows, dayOf(undefined)),
    'ledger:import': ({ goodRows, ...source }) => ledger.importer.import(source, goodRows, dayOf(undefined)),
    'ledger:mappings': () => ledger.mappings.list(),
    'ledger:saveMapping': ({ name, columns }) => ledger.mappings.save(name, columns),
    'ledger:candidates': ({ document }) => ledger.matcher.candidates(archive.documents.summary(document).id, dayOf(undefined)),
    'ledger:link': async ({ row, document, reason, signatureOverride }) => {
      const { signed } = await archive.signatures.ofDocument(document);
      return ledger.rows.link(row, document, reason ?? null, dayOf(undefined), 'link', {
        signed,
        ...(signatureOverride ? { override: signatureOverride } : {}),
      });
    },
    'ledger:unlink': ({ row, reason }) => ledger.rows.unlink(row, reason, dayOf(undefined)),
    'ledger:unexpected': ({ limit, offset }) => ledger.matcher.unexpected(limit, offset),
    'ledger:report': ({ kind, asOf }) => ledgerReport(sqlite, kind, dayOf(asOf)),
    'ledger:export': ({ source, format, asOf }) => {
      const day = dayOf(asOf);
      const table = source.kind === 'list' ? rowsTable('list', allRows(source.filters, day)) : reportTable(ledgerReport(sqlite, source.report, day));
      return exportTable(table, format, day);
    },
    'ledger:reminderPdf': async ({ customer, asOf }) => {
      const day = dayOf(asOf);
      const rows = allRows({ customer, includeCancelled: false }, day).filter((row) => row.daysOverdue !== null);
      if (rows.length === 0)
        throw new SlipVaultError('NOT_FOUND', `${customer} has no slips outstanding on ${day}: there is nothing to remind them of.`, { customer }).withMessage(
          'ledger.nothingToRemind',
          { customer, day },
        );
      const pdf = await reminderLetterPdf({ customer, asOf: day, rows, from: user() });
      return { filename: `reminder-${customer}-${day}.pdf`, mime: 'application/pdf', base64: Buffer.from(pdf).toString('base64'), rows: rows.length };
    },
    'ledger:remind': ({ asOf }) => ledger.reminders.run(dayOf(asOf)),
    'due:summary': async ({ asOf, inboxOlderThanDays, backupOlderThanDays }) => {
      const day = dayOf(asOf);
      const backup = await scheduleStatus(archive, secrets, new Date(now()));
      const me = user();
      const authorizationsEnding = archive.records.authorizations.list({ expiringWithinDays: AUTHORIZATION_WARNING_DAYS }, day).length;
      return dueSummary(sqlite, {
        asOf: day,
        user: me,
        inboxOlderThanDays,
        backupOlderThanDays,
        lastVerifiedAt: backup.lastVerifiedAt,
        verifiedOverdue: backup.verifiedOverdue,
        ocrReviewBacklog: archive.reviewList(1_000_000).length,
        unreadNotifications: ledger.reminders.unreadCount(me),
        authorizationsEnding: { withinDays: AUTHORIZATION_WARNING_DAYS, count: authorizationsEnding },
      });
    },
    'due:filedPerWeek': ({ asOf, weeks }) => filedPerWeek(sqlite, dayOf(asOf), weeks),
    'notifications:list': ({ unreadOnly, limit }) => ledger.reminders.list(user(), unreadOnly, limit),
    'notifications:markRead': ({ ids, all }) => ({ marked: ledger.reminders.markRead(user(), all ? 'all' : (ids ?? [])) }),
  };
}
