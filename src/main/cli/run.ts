/**
 * The `slipvault` command line over the same contract calls the UI makes (src/main/core/api.ts).
 * Exit codes: 0 success, 1 the operation failed, 2 usage error (including invalid field values).
 * Commands live in ./commands, one module per area, each registered below.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CallResult, InputOf, Method, OutputOf } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import type { Archive } from '../core/archive';
import { toErrorPayload } from '../core/error-payload';
import { registerAuditCommands } from './commands/audit';
import { registerBackupCommands } from './commands/backup';
import { registerDocumentCommands } from './commands/documents';
import { registerSearchCommands } from './commands/search';
import { registerIngestCommands } from './commands/ingest';
import { registerSettingsCommands } from './commands/settings';
import { CliFailure, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliContext, type CliIo, type CommandModule } from './context';

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './context';

const COMMAND_MODULES: CommandModule[] = [registerDocumentCommands, registerIngestCommands, registerSearchCommands, registerBackupCommands, registerSettingsCommands, registerAuditCommands];

interface GlobalOptions {
  archive?: string;
  json?: boolean;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('slipvault');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  const invoke = async <M extends Method>(archive: Archive, method: M, input: InputOf<M>): Promise<OutputOf<M>> => {
    const { createApi } = await import('../core/api');
    const result = (await createApi(archive).invoke(method, input)) as CallResult<M>;
    if (result.ok) return result.value;
    throw new CliFailure(result.error, result.error.code === 'VALIDATION' ? EXIT_USAGE : EXIT_FAILED);
  };

  const context: CliContext = {
    io,
    archiveDir() {
      const dir = globals().archive ?? io.env.SLIPVAULT_ARCHIVE;
      if (!dir) {
        throw new CliFailure({ code: 'VALIDATION', message: 'No archive given: use --archive DIR or set SLIPVAULT_ARCHIVE.' }, EXIT_USAGE);
      }
      return dir;
    },
    actor: () => io.env.SLIPVAULT_USER?.trim() || undefined,
    json: () => globals().json === true,
    emit(value, human) {
      io.stdout(globals().json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
    },
    async withArchive(command, work) {
      const actorName = context.actor();
      const { openArchive } = await import('../core/archive');
      const archive = await openArchive(context.archiveDir(), {
        program: `slipvault ${command}`,
        ...(actorName ? { actor: actorName } : {}),
      });
      try {
        return await work(archive);
      } finally {
        archive.close();
      }
    },
    call: (command, method, input) => context.withArchive(command, (archive) => invoke(archive, method, input)),
    invoke,
    fail(code) {
      exitCode = code;
    },
  };

  program
    .description('SlipVault: an offline archive for signed paper slips.')
    .addOption(new Option('--archive <dir>', 'archive folder (or set SLIPVAULT_ARCHIVE)'))
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError('(run slipvault --help for usage)');
  for (const register of COMMAND_MODULES) register(program, context);

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

