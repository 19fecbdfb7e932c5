/** Archive and document commands: init, status, import, list, show, edit, history, diff, restore-version, void, check. */
import { contract, type InputOf } from '../../../shared/contract';
import { toErrorPayload } from '../../core/error-payload';
import { CliFailure, EXIT_FAILED, EXIT_USAGE, parsePositiveInteger, type CommandModule } from '../context';
import { formatCheck, formatDetail, formatDiff, formatHistory, formatImport, formatList } from '../format';
import { parseSetArguments } from '../set-args';
import type { VersionDiff } from '../../../shared/model';

export const registerDocumentCommands: CommandModule = (program, context) => {
  program
    .command('init [dir]')
    .description(
      'create a new archive in an empty or new folder, with its first administrator (SLIPVAULT_USER / SLIPVAULT_PASSWORD, or asked); on an archive without accounts, create its first administrator',
    )
    .action(async (dir?: string) => {
      const target = dir ?? context.archiveDir();
      const { username, password } = await context.credentials();
      const firstAdmin = { username, password };
      // Checked before anything is created: a refused password must not leave an archive nobody can log in to.
      const valid = contract['auth:setup'].input.safeParse(firstAdmin);
      if (!valid.success) throw new CliFailure({ code: 'VALIDATION', message: valid.error.issues.map((issue) => issue.message).join('; ') }, EXIT_USAGE);
      const { initArchive, openArchive, isArchive } = await import('../../core/archive');
      const existing = isArchive(target);
      const archive = existing ? await openArchive(target, { program: 'slipvault init' }) : await initArchive(target, { program: 'slipvault init' });
      const { createApi } = await import('../../core/api');
      const api = createApi(archive);
      try {
        if (existing && archive.accounts.count() > 0) {
          throw new CliFailure({ code: 'ARCHIVE_EXISTS', message: `${archive.dir} already holds a SlipVault archive with accounts.` }, EXIT_FAILED);
        }
        const setup = await api.connect().invoke('auth:setup', firstAdmin);
        if (!setup.ok) throw context.failureOf(setup.error);
        const status = archive.status();
        context.emit(
          { ...status, admin: username },
          existing
            ? `Created the first administrator ${username} of the archive ${status.path}.`
            : `Created archive ${status.path} (id ${status.archiveId}) with the administrator ${username}.`,
        );
      } finally {
        await api.dispose();
        archive.close();
      }
    });

  program
    .command('status')
    .description('show the archive and its audit-chain head')
    .action(async () => {
      const status = await context.call('status', 'archive:status', {});
      const backupLine = (label: string, record: typeof status.lastBackup) =>
        `\n  ${label} ${record ? `${record.at} (set ${record.setId} in ${record.target})` : 'never'}`;
      context.emit(
        status,
        `Archive ${status.path}\n  id ${status.archiveId}\n  schema ${status.schemaVersion}\n  documents ${status.documents}\n  audit head ${status.auditHead}` +
          backupLine('last backup', status.lastBackup) +
          backupLine('last verified backup', status.lastVerified) +
          backupLine('last verified restore', status.lastVerifiedRestore),
      );
    });

  program
    .command('import <files...>')
    .description('import JPG, PNG, TIFF (multi-page) or PDF files, one document per file or per part of a batch split by blank or slip-barcode pages')
    // issue 20 item 4: with --server, files on this computer are sent over the connection.
    .option('--upload', "send the files' bytes over the connection: with --server, files on this computer (without it, paths on the server)")
    .action(async (files: string[], options: { upload?: boolean }) => {
      const result = options.upload
        ? await context.withArchive('import', async (session) => (await import('../upload-import')).uploadAndImport(session, files))
        : await context.call('import', 'documents:import', { paths: files });
      context.emit(result, formatImport(result, `slipvault ${context.archiveOption()} process`));
      if (result.failed.length > 0) {
        for (const failure of result.failed) context.io.stderr(`slipvault: ${failure.message}\n`);
        context.fail(EXIT_FAILED);
      }
    });

  program
    .command('list')
    .description('list documents, newest first')
    .option('--status <status>', 'inbox, filed or voided')
    .option('--all', 'include voided documents')
    .option('--limit <n>', 'how many', '50')
    .option('--offset <n>', 'skip this many', '0')
    .action(async (options: { status?: string; all?: boolean; limit: string; offset: string }) => {
      const list = await context.call('list', 'documents:list', {
        ...(options.status ? { status: options.status as 'inbox' } : {}),
        includeVoided: options.all === true,
        limit: Number(options.limit),
        offset: Number(options.offset),
      });
      context.emit(list, formatList(list));
    });

  program
    .command('show <doc>')
    .description('show one document (archive number or id)')
    .action(async (doc: string) => {
      // Showing a document is opening it: one document.read, as when the UI opens it.
      const detail = await context.withArchive('show', async ({ call }) => {
        const shown = await call('documents:get', { ref: doc });
        await call('audit:recordView', { ref: shown.id, action: 'open' });
        return shown;
      });
      context.emit(detail, formatDetail(detail));
    });

  program
    .command('edit <doc>')
    .description('change fields; each edit is a new version')
    .requiredOption('--set <field=value...>', 'e.g. --set customer=华南贸易 amount=1200.50 signedDate=2026-03-05')
    .option('--reason <text>', 'why the change was made')
    .option('--override <reason>', "file although fields the document's type requires are missing (docs/filing-rules.md)")
    .option('--base-version <n>', 'the version these changes were made from: refused, with the differences, if someone saved since')
    .action(async (doc: string, options: { set: string[]; reason?: string; override?: string; baseVersion?: string }) => {
      let changes: Record<string, unknown>;
      try {
        changes = parseSetArguments(options.set);
      } catch (error) {
        throw new CliFailure(toErrorPayload(error), EXIT_USAGE);
      }
      const baseVersion = options.baseVersion === undefined ? undefined : parsePositiveInteger(options.baseVersion, 'version number');
      const detail = await context
        .call('edit', 'documents:edit', {
          ref: doc,
          changes: changes as InputOf<'documents:edit'>['changes'],
          ...(options.reason ? { reason: options.reason } : {}),
          ...(options.override !== undefined ? { filingOverride: options.override } : {}),
          ...(baseVersion !== undefined ? { baseVersion } : {}),
        })
        .catch((error: unknown) => {
          throw withConflictDiff(error);
        });
      context.emit(detail, `${detail.archiveNo} is now version ${detail.currentVersion}.\n${formatDetail(detail)}`);
    });

  program
    .command('history <doc>')
    .description('list the versions of a document')
    .action(async (doc: string) => {
      const result = await context.withArchive('history', async ({ call }) => {
        const versions = await call('documents:history', { ref: doc });
        const detail = await call('documents:get', { ref: doc });
        return { archiveNo: detail.archiveNo, versions };
      });
      context.emit(result.versions, formatHistory(result.archiveNo, result.versions));
    });

  program
    .command('diff <doc> <va> <vb>')
    .description('compare two versions: fields, pages and text')
    .action(async (doc: string, va: string, vb: string) => {
      const diff = await context.call('diff', 'documents:diff', {
        ref: doc,
        from: parsePositiveInteger(va, 'version number'),
        to: parsePositiveInteger(vb, 'version number'),
      });
      context.emit(diff, formatDiff(diff));
    });

  program
    .command('restore-version <doc> <version>')
    .description('make a new version equal to an earlier one (history is kept)')
    .option('--reason <text>', 'why')
    .action(async (doc: string, version: string, options: { reason?: string }) => {
      const detail = await context.call('restore-version', 'documents:restoreVersion', {
        ref: doc,
        version: parsePositiveInteger(version, 'version number'),
        ...(options.reason ? { reason: options.reason } : {}),
      });
      context.emit(detail, `${detail.archiveNo} restored to version ${version} as version ${detail.currentVersion}.`);
    });

  program
    .command('void <doc>')
    .description('void a document (it stays in the archive, marked void)')
    .requiredOption('--reason <text>', 'why it is voided')
    .action(async (doc: string, options: { reason: string }) => {
      const detail = await context.call('void', 'documents:void', { ref: doc, reason: options.reason });
      context.emit(detail, `${detail.archiveNo} is void (version ${detail.currentVersion}).`);
    });

  program
    .command('check')
    .description('verify database, every stored file and the audit chain')
    .action(async () => {
      const report = await context.call('check', 'archive:check', {});
      context.emit(report, formatCheck(report));
      if (!report.ok) context.fail(EXIT_FAILED);
    });
};

/** An edit conflict's message with the differences the other save made, as `slipvault diff` prints them. */
function withConflictDiff(error: unknown): unknown {
  if (!(error instanceof CliFailure) || error.payload.code !== 'EDIT_CONFLICT') return error;
  const diff = error.payload.details?.diff as VersionDiff | undefined;
  if (!diff) return error;
  return new CliFailure({ ...error.payload, message: `${error.payload.message}\n${formatDiff(diff)}` }, error.exitCode);
}
