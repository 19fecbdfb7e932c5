/**
 * The `slipvault` command line over the same contract calls the UI makes (src/main/core/api.ts).
 * Exit codes: 0 success, 1 the operation failed, 2 usage error (including invalid field values).
 * Commands live in ./commands, one module per area, each registered below.
 */
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import type { CallResult } from '../../shared/contract';
import type { EventPayload } from '../../shared/events';
import { SlipVaultError, type ErrorPayload } from '../../shared/errors';
import { toErrorPayload } from '../core/error-payload';
import { registerAuditCommands } from './commands/audit';
import { registerBackupCommands } from './commands/backup';
import { registerDocumentCommands } from './commands/documents';
import { registerSearchCommands } from './commands/search';
import { registerIngestCommands } from './commands/ingest';
import { registerLogCommands } from './commands/logs';
import { registerSettingsCommands } from './commands/settings';
import { registerProofCommands } from './commands/proof';
import { registerServeCommands } from './commands/serve';
import { registerUserCommands } from './commands/users';
import { registerRetentionCommands } from './commands/retention';
import { registerRecordCommands } from './commands/records';
import { registerClerkDayCommands } from './commands/clerk-day';
import { registerLedgerCommands } from './commands/ledger';
// issue 20 item 5: moving an archive onto PostgreSQL
import { registerMigrateCommands } from './commands/migrate';
import { CliFailure, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliContext, type CliIo, type CliSession, type CommandModule } from './context';
import { credentialsFrom } from './credentials';
import { shellQuote } from './format';

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliIo } from './context';

const COMMAND_MODULES: CommandModule[] = [
  registerDocumentCommands,
  registerIngestCommands,
  registerSearchCommands,
  registerBackupCommands,
  registerSettingsCommands,
  registerUserCommands,
  registerAuditCommands,
  registerProofCommands,
  registerLogCommands,
  registerServeCommands,
  // Retention, holds and disposal (docs/retention.md)
  registerRetentionCommands,
  // issue 18: customers, signers, authorizations, paper locations
  registerRecordCommands,
  // issue 19: unvoid, edit-many, export-pdf
  registerClerkDayCommands,
  // The slip ledger (issue 17).
  registerLedgerCommands,
  // issue 20 item 5: moving an archive onto PostgreSQL
  registerMigrateCommands,
];

interface GlobalOptions {
  archive?: string;
  json?: boolean;
  // The network server (docs/server-network.md).
  server?: string;
  fingerprint?: string;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('slipvault');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  const failureOf = (error: ErrorPayload) => new CliFailure(error, error.code === 'VALIDATION' ? EXIT_USAGE : EXIT_FAILED);

  /** The archive's owner on this computer (or the archive opened here), else the server given with --server. */
  const linkFor = async (command: string, options: { ocrWorkers?: number }) => {
    const server = globals().server;
    if (server) {
      const { serverLink } = await import('./server-link');
      const link = await serverLink(server, { fingerprint: globals().fingerprint, io, mayAsk: globals().json !== true });
      return { link, where: link.url };
    }
    const { lastingLink } = await import('../owner/link');
    const archiveDir = resolve(context.archiveDir());
    const link = await lastingLink(archiveDir, {
      program: `slipvault ${command}`,
      ...options,
      onServeError: (error) => io.stderr(`slipvault: other programs cannot reach ${archiveDir} while this command runs: ${toErrorPayload(error).message}\n`),
    });
    return { link, where: archiveDir };
  };

  const context: CliContext = {
    io,
    archiveDir() {
      if (globals().server) {
        throw new CliFailure(
          { code: 'VALIDATION', message: 'This command works on an archive folder on this computer; it cannot run through --server.' },
          EXIT_USAGE,
        );
      }
      const dir = globals().archive ?? io.env.SLIPVAULT_ARCHIVE;
      if (!dir) {
        throw new CliFailure({ code: 'VALIDATION', message: 'No archive given: use --archive DIR or set SLIPVAULT_ARCHIVE.' }, EXIT_USAGE);
      }
      return dir;
    },
    archiveOption() {
      const server = globals().server;
      return server ? `--server ${shellQuote(server)}` : `--archive ${shellQuote(resolve(context.archiveDir()))}`;
    },
    credentials: () => credentialsFrom(io, globals().json === true),
    json: () => globals().json === true,
    emit(value, human) {
      io.stdout(globals().json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
    },
    async withArchive(command, work, options = {}) {
      const { link, where: archiveDir } = await linkFor(command, options);
      try {
        const session: CliSession = {
          async call(method, input) {
            const result = (await link.invoke(method, input)) as CallResult<typeof method>;
            if (result.ok) return result.value;
            throw failureOf(result.error);
          },
          on(event, listener) {
            return link.onEvent((message) => {
              if (message.event === event) listener(message.payload as EventPayload<typeof event>);
            });
          },
        };
        const status = await session.call('auth:status', {});
        if (status.setupRequired) {
          throw new CliFailure(
            { code: 'UNAUTHENTICATED', message: `The archive ${archiveDir} has no accounts yet: create the first administrator with \`slipvault init\`.` },
            EXIT_FAILED,
          );
        }
        const { username, password } = await context.credentials();
        await session.call('auth:login', { username, password });
        return await work(session);
      } finally {
        await link.close();
      }
    },
    call: (command, method, input) => context.withArchive(command, (session) => session.call(method, input)),
    failureOf,
    fail(code) {
      exitCode = code;
    },
  };

  program
    .description('SlipVault: an offline archive for signed paper slips.')
    .addOption(new Option('--archive <dir>', 'archive folder (or set SLIPVAULT_ARCHIVE)'))
    .option('--json', 'print one JSON document on stdout')
    .addOption(new Option('--server <url>', 'work on a SlipVault server instead of a local archive: svs://HOST:PORT'))
    .addOption(new Option('--fingerprint <sha256>', "the server certificate's fingerprint, as `slipvault serve` prints it (trusts it without asking)"))
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
