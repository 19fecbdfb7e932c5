/**
 * `slipvault audit`: the audit trail, newest first, filtered by user, document, action and date, or exported
 * as CSV. Dates are days of this computer's calendar (--since 2026-03-01 --until 2026-03-31 is all of March,
 * both days included) or ISO date-times with an offset.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { AuditFilters, AuditPage } from '../../../shared/audit-view';
import type { AuditEvent } from '../../../shared/model';
import { toStorageError } from '../../core/fs-errors';
import { CliFailure, EXIT_FAILED, EXIT_USAGE, parsePositiveInteger, type CommandModule } from '../context';

interface AuditOptions {
  user?: string;
  doc?: string;
  action?: string;
  since?: string;
  until?: string;
  limit: string;
  before?: string;
  csv?: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function usage(message: string): CliFailure {
  return new CliFailure({ code: 'VALIDATION', message }, EXIT_USAGE);
}

/** Local midnight starting the day, `days` after the given one; null when the date is not on the calendar. */
function localMidnight(text: string, days: number): Date | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day + days);
  const check = new Date(year, month - 1, day);
  return check.getFullYear() === year && check.getMonth() === month - 1 && check.getDate() === day ? date : null;
}

/** --since takes the start of its day, --until the end of its day; a date-time is taken as written. */
function instantOf(text: string, option: 'since' | 'until'): string {
  const trimmed = text.trim();
  if (DAY.test(trimmed)) {
    const date = localMidnight(trimmed, option === 'until' ? 1 : 0);
    if (!date) throw usage(`--${option} ${text}: there is no such day.`);
    return date.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))) return trimmed;
  throw usage(`--${option} takes a date (2026-03-05) or a date-time with its offset (2026-03-05T08:00:00+08:00), not "${text}".`);
}

function filtersOf(options: AuditOptions): AuditFilters {
  return {
    ...(options.user !== undefined ? { user: options.user } : {}),
    ...(options.doc !== undefined ? { document: options.doc } : {}),
    ...(options.action !== undefined ? { action: options.action } : {}),
    ...(options.since !== undefined ? { since: instantOf(options.since, 'since') } : {}),
    ...(options.until !== undefined ? { until: instantOf(options.until, 'until') } : {}),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time, to the second. */
function localTime(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function describeEvent(event: AuditEvent): string {
  const target = event.targetId ?? event.targetType ?? '-';
  const details = JSON.stringify(event.details);
  return `${String(event.seq).padStart(7)}  ${localTime(event.at)}  ${event.actor}  ${event.action}  ${target}  ${details === '{}' ? '' : details}`.trimEnd();
}

function formatAuditPage(page: AuditPage): string {
  if (page.events.length === 0) return 'No audit events match.';
  const lines = page.events.map(describeEvent);
  lines.push(`${page.events.length} of ${page.total} matching event(s), newest first.`);
  if (page.nextBefore !== null) lines.push(`Older ones: add --before ${page.nextBefore}.`);
  return lines.join('\n');
}

/** Checked before the export is made (and recorded): a file in an existing folder, not a folder itself. */
function checkDestination(file: string): void {
  const folder = dirname(file);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new CliFailure({ code: 'FILE_NOT_FOUND', message: `The folder ${folder} does not exist; nothing was exported.` }, EXIT_FAILED);
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw usage(`${file} is a folder; --csv names the file to write.`);
}

/** Written beside the target and renamed over it, so a failed write never leaves half a file. */
function writeWhole(file: string, text: string): void {
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  try {
    writeFileSync(partial, text, 'utf8');
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new CliFailure(toStorageError(error, `Could not write ${file}`).toPayload(), EXIT_FAILED);
  }
}

export const registerAuditCommands: CommandModule = (program: Command, context) => {
  program
    .command('audit')
    .description('the audit trail, newest first: who did what, when, to which document')
    .option('--user <name>', 'only what this user did')
    .option('--doc <DOC>', 'only events about this document (archive number or id)')
    .option('--action <code>', 'only this action (document.edit) or family (document.*)')
    .option('--since <date>', 'from this day (YYYY-MM-DD, local) or date-time on')
    .option('--until <date>', 'up to and including this day, or before this date-time')
    .option('--limit <n>', 'how many events', '50')
    .option('--before <seq>', 'only events older than this seq (the next page)')
    .option('--csv <file>', 'write every matching event to a CSV file (UTF-8, opens in Excel)')
    .action(async (options: AuditOptions) => {
      const filters = filtersOf(options);
      if (options.csv !== undefined) {
        const file = resolve(options.csv);
        checkDestination(file);
        const exported = await context.call('audit --csv', 'audit:export', { filters });
        writeWhole(file, exported.csv);
        context.emit({ file, rows: exported.rows }, `Wrote ${exported.rows} audit event(s) to ${file}.`);
        return;
      }
      const page = await context.call('audit', 'audit:query', {
        filters,
        limit: parsePositiveInteger(options.limit, 'number of events (--limit)'),
        ...(options.before !== undefined ? { before: parsePositiveInteger(options.before, 'seq (--before)') } : {}),
      });
      context.emit(page, formatAuditPage(page));
    });
};
