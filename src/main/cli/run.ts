/**
 * The `slipvault` command line over the same contract calls the UI makes (src/main/core/api.ts).
 * Exit codes: 0 success, 1 the operation failed, 2 usage error (including invalid field values).
 */
import { Command, CommanderError, Option } from 'commander';
import type { CallResult, InputOf, Method, OutputOf } from '../../shared/contract';
import { SlipVaultError, type ErrorPayload } from '../../shared/errors';
import { createApi, toErrorPayload } from '../core/api';
import { initArchive, openArchive, type Archive } from '../core/archive';
import { formatCheck, formatDetail, formatDiff, formatHistory, formatImport, formatList } from './format';
import { parseSetArguments } from './set-args';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

class CliFailure extends Error {
  constructor(
    readonly payload: ErrorPayload,
    readonly exitCode: number,
  ) {
    super(payload.message);
  }
}

interface GlobalOptions {
  archive?: string;
  json?: boolean;
}

const parseVersion = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new CliFailure({ code: 'VALIDATION', message: `"${value}" is not a version number.` }, EXIT_USAGE);
  return Number(value);
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('slipvault');

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const archiveDir = (): string => {
    const dir = globals().archive ?? io.env.SLIPVAULT_ARCHIVE;
    if (!dir) {
      throw new CliFailure({ code: 'VALIDATION', message: 'No archive given: use --archive DIR or set SLIPVAULT_ARCHIVE.' }, EXIT_USAGE);
    }
    return dir;
  };
  const actor = () => io.env.SLIPVAULT_USER?.trim() || undefined;

  const emit = (value: unknown, human: string) => {
    io.stdout(globals().json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
  };

  async function withArchive<T>(command: string, work: (archive: Archive) => Promise<T>): Promise<T> {
    const actorName = actor();
    const archive = await openArchive(archiveDir(), {
      program: `slipvault ${command}`,
      ...(actorName ? { actor: actorName } : {}),
    });
    try {
      return await work(archive);
    } finally {
      archive.close();
    }
  }

  function unwrap<M extends Method>(result: CallResult<M>): OutputOf<M> {
    if (result.ok) return result.value;
    throw new CliFailure(result.error, result.error.code === 'VALIDATION' ? EXIT_USAGE : EXIT_FAILED);
  }

  async function call<M extends Method>(command: string, method: M, input: InputOf<M>): Promise<OutputOf<M>> {
    return withArchive(command, async (archive) => unwrap((await createApi(archive).invoke(method, input)) as CallResult<M>));
  }

  program
    .description('SlipVault: an offline archive for signed paper slips.')
    .addOption(new Option('--archive <dir>', 'archive folder (or set SLIPVAULT_ARCHIVE)'))
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError('(run slipvault --help for usage)');

  program
    .command('init [dir]')
    .description('create a new archive in an empty or new folder')
    .action(async (dir?: string) => {
      const target = dir ?? archiveDir();
      const actorName = actor();
      const archive = await initArchive(target, { program: 'slipvault init', ...(actorName ? { actor: actorName } : {}) });
      try {
        const status = archive.status();
        emit(status, `Created archive ${status.path} (id ${status.archiveId}).`);
      } finally {
        archive.close();
      }
    });

  program
    .command('status')
    .description('show the archive and its audit-chain head')
    .action(async () => {
      const status = await call('status', 'archive:status', {});
      emit(status, `Archive ${status.path}\n  id ${status.archiveId}\n  schema ${status.schemaVersion}\n  documents ${status.documents}\n  audit head ${status.auditHead}`);
    });

  program
    .command('import <files...>')
    .description('import JPG, PNG, TIFF (multi-page) or PDF files, one document per file')
    .action(async (files: string[]) => {
      const result = await call('import', 'documents:import', { paths: files });
      emit(result, formatImport(result));
      if (result.failed.length > 0) {
        for (const failure of result.failed) io.stderr(`slipvault: ${failure.message}\n`);
        exitCode = EXIT_FAILED;
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
      const list = await call('list', 'documents:list', {
        ...(options.status ? { status: options.status as 'inbox' } : {}),
        includeVoided: options.all === true,
        limit: Number(options.limit),
        offset: Number(options.offset),
      });
      emit(list, formatList(list));
    });

  program
    .command('show <doc>')
    .description('show one document (archive number or id)')
    .action(async (doc: string) => {
      const detail = await call('show', 'documents:get', { ref: doc });
      emit(detail, formatDetail(detail));
    });

  program
    .command('edit <doc>')
    .description('change fields; each edit is a new version')
    .requiredOption('--set <field=value...>', 'e.g. --set customer=华南贸易 amount=1200.50 signedDate=2026-03-05')
    .option('--reason <text>', 'why the change was made')
    .action(async (doc: string, options: { set: string[]; reason?: string }) => {
      let changes: Record<string, unknown>;
      try {
        changes = parseSetArguments(options.set);
      } catch (error) {
        throw new CliFailure(toErrorPayload(error), EXIT_USAGE);
      }
      const detail = await call('edit', 'documents:edit', {
        ref: doc,
        changes: changes as InputOf<'documents:edit'>['changes'],
        ...(options.reason ? { reason: options.reason } : {}),
      });
      emit(detail, `${detail.archiveNo} is now version ${detail.currentVersion}.\n${formatDetail(detail)}`);
    });

  program
    .command('history <doc>')
    .description('list the versions of a document')
    .action(async (doc: string) => {
      const result = await withArchive('history', async (archive) => {
        const api = createApi(archive);
        const versions = unwrap((await api.invoke('documents:history', { ref: doc })) as CallResult<'documents:history'>);
        const detail = unwrap((await api.invoke('documents:get', { ref: doc })) as CallResult<'documents:get'>);
        return { archiveNo: detail.archiveNo, versions };
      });
      emit(result.versions, formatHistory(result.archiveNo, result.versions));
    });

  program
    .command('diff <doc> <va> <vb>')
    .description('compare two versions: fields, pages and text')
    .action(async (doc: string, va: string, vb: string) => {
      const diff = await call('diff', 'documents:diff', { ref: doc, from: parseVersion(va), to: parseVersion(vb) });
      emit(diff, formatDiff(diff));
    });

  program
    .command('restore-version <doc> <version>')
    .description('make a new version equal to an earlier one (history is kept)')
    .option('--reason <text>', 'why')
    .action(async (doc: string, version: string, options: { reason?: string }) => {
      const detail = await call('restore-version', 'documents:restoreVersion', {
        ref: doc,
        version: parseVersion(version),
        ...(options.reason ? { reason: options.reason } : {}),
      });
      emit(detail, `${detail.archiveNo} restored to version ${version} as version ${detail.currentVersion}.`);
    });

  program
    .command('void <doc>')
    .description('void a document (it stays in the archive, marked void)')
    .requiredOption('--reason <text>', 'why it is voided')
    .action(async (doc: string, options: { reason: string }) => {
      const detail = await call('void', 'documents:void', { ref: doc, reason: options.reason });
      emit(detail, `${detail.archiveNo} is void (version ${detail.currentVersion}).`);
    });

  program
    .command('check')
    .description('verify database, every stored file and the audit chain')
    .action(async () => {
      const report = await call('check', 'archive:check', {});
      emit(report, formatCheck(report));
      if (!report.ok) exitCode = EXIT_FAILED;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    const failure =
      error instanceof CliFailure
        ? error
        : new CliFailure(toErrorPayload(error), error instanceof SlipVaultError && error.code === 'VALIDATION' ? EXIT_USAGE : EXIT_FAILED);
    io.stderr(`slipvault: ${failure.payload.message}\n`);
    if (globals().json) io.stdout(`${JSON.stringify({ ok: false, error: failure.payload }, null, 2)}\n`);
    if (failure.payload.code === 'INTERNAL' && io.env.SLIPVAULT_DEBUG && error instanceof Error) io.stderr(`${error.stack}\n`);
    return failure.exitCode;
  }
}

