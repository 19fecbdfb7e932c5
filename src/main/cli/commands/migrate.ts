/**
 * `slipvault migrate --from ARCHIVE_DIR --to postgres://… --files DIR`: moves a local archive onto PostgreSQL
 * (issue 20 item 5; docs/server-postgres.md). Unlike other commands it never goes through the archive's owner:
 * it opens the archive itself, holding the writer lock for the whole move, so no other program can change the
 * archive while it is copied; while an owner runs (the desktop app, `slipvault serve`), the move is refused.
 * It logs in as an administrator and makes the one contract call `archive:moveToPostgres`.
 */
import { resolve } from 'node:path';
import type { CallResult, InputOf, Method, OutputOf } from '../../../shared/contract';
import type { JobProgress } from '../../../shared/events';
import type { PostgresMoveReport } from '../../../shared/postgres-move';
import { SlipVaultError } from '../../../shared/errors';
import type { Archive } from '../../core/archive';
import { describeHolder, readLockHolder } from '../../core/lock';
import { CliFailure, EXIT_FAILED, type CliContext, type CommandModule } from '../context';
import { formatBytes, table } from '../format';

const PHASE_NAMES: Record<string, string> = {
  'move-files': 'copying files',
  'move-rows': 'copying tables',
  reindex: 'building the search index on PostgreSQL',
  'move-verify': 'verifying files',
};

/** Progress on stderr: a line per step, counted in place on a terminal. */
function progressPrinter(context: CliContext): { listen(progress: JobProgress): void; end(): void } {
  const terminal = process.stderr.isTTY === true;
  let phase = '';
  return {
    listen(progress) {
      if (context.json()) return;
      const name = PHASE_NAMES[progress.phase] ?? progress.phase;
      const bytes = progress.bytesTotal === undefined ? '' : ` (${formatBytes(progress.bytesDone ?? 0)} of ${formatBytes(progress.bytesTotal)})`;
      if (terminal) {
        context.io.stderr(`${progress.phase === phase ? '\r' : phase ? '\n' : ''}${name}: ${progress.done}/${progress.total}${bytes}   `);
      } else if (progress.phase !== phase) {
        context.io.stderr(`${name}: ${progress.total} to do\n`);
      }
      phase = progress.phase;
    },
    end() {
      if (terminal && phase) context.io.stderr('\n');
    },
  };
}

/** The move's report in words (also `restore --to`'s, whose second step is this move). */
export function formatReport(report: PostgresMoveReport): string {
  const rows = Object.entries(report.rows).filter(([, count]) => count > 0);
  const lines = [
    `Archive ${report.archiveId} → ${report.target}, files in ${report.filesDir}`,
    '',
    table([['table', 'rows'], ...rows.map(([name, count]) => [name, String(count)])]),
    `(${Object.keys(report.rows).length - rows.length} other table(s) empty)`,
    '',
    `files        ${report.files} (${formatBytes(report.bytes)})`,
    `audit chain  archive:    ${report.audit.archive.events} events, head ${report.audit.archive.head}`,
    `             PostgreSQL: ${report.audit.postgres.events} events, head ${report.audit.postgres.head}`,
    '',
  ];
  if (report.verifiedAt !== null) {
    lines.push(`Verified at ${report.verifiedAt}: both sides hold the same rows, the same audit chain and every file.`);
  } else {
    lines.push(`NOT verified — the two sides differ (${report.problems.length} problem(s)); the database is marked unfinished:`);
    for (const problem of report.problems) lines.push(`  ${problem}`);
  }
  return lines.join('\n');
}

/** The archive, held by this process alone; an owner holding it already is named, with what to do. */
async function openForMove(archiveDir: string): Promise<Archive> {
  const { openArchive } = await import('../../core/archive');
  try {
    return await openArchive(archiveDir, { program: 'slipvault migrate' });
  } catch (error) {
    if (error instanceof SlipVaultError && error.code === 'ARCHIVE_IN_USE') {
      const holder = readLockHolder(archiveDir);
      throw new CliFailure(
        {
          ...error.toPayload(),
          message: `The archive ${archiveDir} is in use by ${holder ? describeHolder(holder) : 'another SlipVault process'}. A move copies the archive as it is at one moment, so nothing may change it meanwhile: stop that program (close the desktop app, stop \`slipvault serve\` or the preview) and run \`slipvault migrate\` again. Nothing was copied.`,
        },
        EXIT_FAILED,
      );
    }
    throw error;
  }
}

export const registerMigrateCommands: CommandModule = (program, context) => {
  program
    .command('migrate')
    .description('move a local archive onto PostgreSQL: documents, versions, the audit chain and files, then verify both sides (administrators)')
    .requiredOption('--from <archive-dir>', 'the archive folder to move; no other program may have it open')
    .requiredOption('--to <postgres-url>', 'an empty PostgreSQL database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (or the password in PGPASSWORD)')
    .requiredOption('--files <dir>', "a new or empty folder for the archive's files (content-addressed, as in an archive folder)")
    .action(async (options: { from: string; to: string; files: string }) => {
      const archive = await openForMove(resolve(options.from));
      const { createApi } = await import('../../core/api');
      const api = createApi(archive);
      const printer = progressPrinter(context);
      const unsubscribe = archive.events.subscribe((event, payload) => {
        if (event === 'jobs:progress') printer.listen(payload as JobProgress);
      });
      try {
        const client = api.connect();
        const call = async <M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> => {
          const result = (await client.invoke(method, input)) as CallResult<M>;
          if (!result.ok) throw context.failureOf(result.error);
          return result.value;
        };
        if ((await call('auth:status', {})).setupRequired) {
          throw new CliFailure(
            { code: 'UNAUTHENTICATED', message: `The archive ${archive.dir} has no accounts yet: there is nothing an administrator could move.` },
            EXIT_FAILED,
          );
        }
        await call('auth:login', await context.credentials());
        let report: PostgresMoveReport;
        try {
          report = await call('archive:moveToPostgres', { to: options.to, filesDir: resolve(options.files) });
        } finally {
          printer.end();
        }
        context.emit(report, formatReport(report));
        if (report.verifiedAt === null) context.fail(EXIT_FAILED);
      } finally {
        unsubscribe();
        await api.dispose();
        archive.close();
      }
    });
};
