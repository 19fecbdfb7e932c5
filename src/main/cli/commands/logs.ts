/**
 * `slipvault logs [--lines N] [--app]`: the newest lines of the archive's log — every call with its user,
 * duration and error code, every unexpected error with its id and stack — or, with --app, of this OS user's
 * app log. It reads files only: no login and no archive lock, so it works while another program has the
 * archive open, and when opening the archive is what fails. docs/logs.md
 */
import { join } from 'node:path';
import { appLogFolder, archiveLogFolder, LOG_FILE } from '../../core/logging/log-folders';
import { readRecentEntries, type LogEntry } from '../../core/logging/read-log';
import { CliFailure, EXIT_FAILED, parsePositiveInteger, type CommandModule } from '../context';

/** pino's numeric levels. */
const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

const pad = (n: number) => String(n).padStart(2, '0');

function localTime(iso: unknown): string {
  const date = new Date(typeof iso === 'string' ? iso : Number.NaN);
  if (Number.isNaN(date.getTime())) return '-';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);

function formatEntry(entry: LogEntry): string {
  if (typeof entry.unreadable === 'string') return `(unreadable line) ${entry.unreadable}`;
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const parts = [
    localTime(entry.time),
    level.padEnd(5),
    text(entry.call),
    text(entry.user),
    text(entry.msg),
    text(entry.code),
    entry.errorId ? `error id ${text(entry.errorId)}` : null,
    typeof entry.ms === 'number' ? `${entry.ms} ms` : null,
  ];
  const line = parts.filter((part) => part !== null).join('  ');
  const stack = (entry.err as { stack?: unknown } | undefined)?.stack;
  return typeof stack === 'string' ? `${line}\n${stack.replace(/^/gm, '    ')}` : line;
}

export const registerLogCommands: CommandModule = (program, context) => {
  program
    .command('logs')
    .description("the newest lines of the archive's log (calls, unexpected errors with their id and stack)")
    .option('--lines <n>', 'how many lines', '50')
    .option('--app', "this OS user's app log instead of the archive's")
    .action(async (options: { lines: string; app?: boolean }) => {
      const count = parsePositiveInteger(options.lines, 'number of lines');
      let folder: string;
      if (options.app) folder = appLogFolder(context.io.env);
      else {
        const dir = context.archiveDir();
        const { isArchive } = await import('../../core/archive');
        if (!isArchive(dir)) throw new CliFailure({ code: 'NOT_AN_ARCHIVE', message: `${dir} is not a SlipVault archive.` }, EXIT_FAILED);
        folder = archiveLogFolder(dir);
      }
      const file = join(folder, LOG_FILE);
      const entries = readRecentEntries(file, count);
      context.emit({ file, entries }, entries.length === 0 ? `No log lines in ${file} yet.` : entries.map(formatEntry).join('\n'));
    });
};
