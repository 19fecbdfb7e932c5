/**
 * Reading the audit trail: filtered by user, action, document and time, newest first, paged with a keyset on
 * seq (each page starts below the last seq shown, so page 500 costs what page 1 costs, and events appended
 * meanwhile do not shift the pages), and exported as CSV.
 */
import { SlipVaultError } from '../../../shared/errors';
import { MAX_EXPORT_ROWS, type AuditExport, type AuditFilters, type AuditPage } from '../../../shared/audit-view';
import type { AuditEvent } from '../../../shared/model';
import type { Connection } from '../db/connection';
import type { DocumentService } from '../documents/document-service';
import type { AuditLog } from './audit-log';
import { csvRecord, CSV_BOM } from './csv';
import { inReadSnapshot, inTransaction } from '../db/transaction';

/** What an Archive has: pass the archive itself. */
export interface AuditQueryDeps {
  connection: Connection;
  audit: AuditLog;
  documents: Pick<DocumentService, 'summary'>;
}

interface Where {
  sql: string;
  params: Record<string, string | number>;
}

const COLUMNS = 'seq, at, actor, action, target_type AS targetType, target_id AS targetId, details, prev_hash AS prevHash, hash';

type EventRow = Omit<AuditEvent, 'details'> & { details: string };

/** Instants are stored as Date.toISOString() (UTC, milliseconds), so the filter is brought to the same form to compare as text. */
const storedInstant = (iso: string) => new Date(iso).toISOString();

function whereOf(deps: AuditQueryDeps, filters: AuditFilters): Where {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  if (filters.user !== undefined) {
    conditions.push('actor = @user');
    params.user = filters.user;
  }
  if (filters.action !== undefined) {
    if (filters.action.endsWith('.*')) {
      // A family: every code that starts with "document." ('/' is the character after '.', so no LIKE escaping).
      conditions.push('action >= @familyFrom AND action < @familyTo');
      params.familyFrom = filters.action.slice(0, -1);
      params.familyTo = `${filters.action.slice(0, -2)}/`;
    } else {
      conditions.push('action = @action');
      params.action = filters.action;
    }
  }
  if (filters.document !== undefined) {
    const { archiveNo } = deps.documents.summary(filters.document);
    // Events about the document, and events about something else whose details name it (a proof export).
    conditions.push("((target_type = 'document' AND target_id = @archiveNo) OR instr(details, @quotedArchiveNo) > 0)");
    params.archiveNo = archiveNo;
    params.quotedArchiveNo = JSON.stringify(archiveNo);
  }
  if (filters.since !== undefined) {
    conditions.push('at >= @since');
    params.since = storedInstant(filters.since);
  }
  if (filters.until !== undefined) {
    conditions.push('at < @until');
    params.until = storedInstant(filters.until);
  }
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : 'TRUE', params };
}

function toEvent(row: EventRow): AuditEvent {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(row.details) as Record<string, unknown>;
  } catch {
    // A row damaged behind the archive's back is still shown (check reports it); its text is kept as it is.
    details = { unreadable: row.details };
  }
  return { ...row, details };
}

export function queryAudit(deps: AuditQueryDeps, input: { filters: AuditFilters; before?: number | undefined; limit: number }): AuditPage {
  const where = whereOf(deps, input.filters);
  const cursor = input.before === undefined ? '' : ' AND seq < @before';
  const params = { ...where.params, ...(input.before === undefined ? {} : { before: input.before }), limit: input.limit + 1 };
  // One read transaction: the page and its total describe the same moment.
  return inReadSnapshot(deps.connection.sqlite, () => {
    const rows = deps.connection.sqlite
      .prepare(`SELECT ${COLUMNS} FROM audit_events WHERE ${where.sql}${cursor} ORDER BY seq DESC LIMIT @limit`)
      .all(params) as EventRow[];
    const total = deps.connection.sqlite.prepare(`SELECT count(*) FROM audit_events WHERE ${where.sql}`).pluck().get(where.params) as number;
    const events = rows.slice(0, input.limit).map(toEvent);
    return { events, nextBefore: rows.length > input.limit ? events.at(-1)!.seq : null, total };
  });
}

const CSV_HEADER = ['seq', 'at', 'actor', 'action', 'target_type', 'target_id', 'details', 'prev_hash', 'hash'];

/**
 * Every matching event, newest first, as CSV: a byte order mark, the header, one record per event (details
 * as stored: canonical JSON). Refused above MAX_EXPORT_ROWS; the export is one audit event naming the
 * filters and the count, written in the same transaction as the read.
 */
export function exportAuditCsv(deps: AuditQueryDeps, filters: AuditFilters): AuditExport {
  return inTransaction(deps.connection.sqlite, () => {
    const matching = queryAudit(deps, { filters, limit: 1 }).total;
    if (matching > MAX_EXPORT_ROWS) {
      throw new SlipVaultError(
        'VALIDATION',
        `${matching} audit events match; one export holds at most ${MAX_EXPORT_ROWS}. Narrow the filters (e.g. a shorter date range) and export in parts.`,
        { matching, max: MAX_EXPORT_ROWS },
      ).withMessage('audit.exportTooLarge', { matching, max: MAX_EXPORT_ROWS });
    }
    const where = whereOf(deps, filters);
    const records = [CSV_BOM + csvRecord(CSV_HEADER)];
    const rows = deps.connection.sqlite
      .prepare(`SELECT ${COLUMNS} FROM audit_events WHERE ${where.sql} ORDER BY seq DESC`)
      .iterate(where.params) as IterableIterator<EventRow>;
    for (const row of rows) {
      records.push(csvRecord([String(row.seq), row.at, row.actor, row.action, row.targetType ?? '', row.targetId ?? '', row.details, row.prevHash, row.hash]));
    }
    deps.audit.append({ action: 'audit.export', details: { filters, rows: records.length - 1 } });
    return { csv: records.join(''), rows: records.length - 1 };
  });
}
