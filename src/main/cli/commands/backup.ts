/** Backup commands: backup, backups, prune-backups, verify-backup, restore. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobProgress } from '../../../shared/events';
import type { BackupSetInfo } from '../../../shared/model';
import { identitiesFrom } from '../../core/backup/keys';
import { canPrompt, promptHidden } from '../prompt';
import { CliFailure, EXIT_FAILED, EXIT_USAGE, parsePositiveInteger, type CliContext, type CommandModule } from '../context';
import { formatBytes } from '../format';

const PASSPHRASE_ENV = 'SLIPVAULT_BACKUP_PASSPHRASE';

/** A one-line progress bar on stderr when it is a terminal; silent otherwise. */
function progressPrinter(context: CliContext): ((progress: JobProgress) => void) | undefined {
  if (!process.stderr.isTTY || context.json()) return undefined;
  return (progress) => {
    const fraction = progress.bytesTotal ? (progress.bytesDone ?? 0) / progress.bytesTotal : progress.done / Math.max(1, progress.total);
    const width = 30;
    const filled = Math.round(Math.min(1, fraction) * width);
    const eta = progress.etaMs === undefined ? '' : ` ETA ${Math.ceil(progress.etaMs / 1000)}s`;
    context.io.stderr(
      `\r${progress.phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${formatBytes(progress.bytesDone ?? 0)}/${formatBytes(progress.bytesTotal ?? 0)}${eta}   `,
    );
  };
}

function passphraseFromEnv(context: CliContext): string | undefined {
  const value = context.io.env[PASSPHRASE_ENV];
  return value === undefined || value === '' ? undefined : value;
}

/** The environment's passphrase, else one typed at the terminal (twice when it is new), else none. */
async function passphraseFrom(context: CliContext, confirm: boolean): Promise<string | undefined> {
  const fromEnv = passphraseFromEnv(context);
  if (fromEnv !== undefined || !canPrompt()) return fromEnv;
  const first = await promptHidden('Backup passphrase: ', context.io.stderr);
  if (confirm && (await promptHidden('Repeat the passphrase: ', context.io.stderr)) !== first) {
    throw new CliFailure({ code: 'VALIDATION', message: 'The two passphrases differ; nothing was written.' }, EXIT_USAGE);
  }
  return first === '' ? undefined : first;
}

function readIdentityFiles(paths: string[] | undefined): string[] | undefined {
  return paths?.map((path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new CliFailure({ code: 'FILE_NOT_FOUND', message: `The identity file ${path} cannot be read.` }, EXIT_USAGE);
    }
  });
}

function formatSet(set: BackupSetInfo): string {
  const relies = set.dependsOn.length > 0 ? `, relies on ${set.dependsOn.join(', ')}` : ', self-contained';
  const counts = set.blobs === null ? 'counts sealed (made by another archive)' : `${set.blobs} new blobs, ${set.documents} documents`;
  return `${set.setId}  ${set.createdAt}  ${formatBytes(set.bytes)} in ${set.volumes} volume(s), ${counts}${relies}`;
}

// --- issue 20: `restore --to postgres://… --files DIR` (core/backup/restore-to-postgres.ts) ---

type RestoreDestination = { kind: 'folder'; folder: string } | { kind: 'postgres'; to: string; files: string };

/** Where a restore goes: --into a folder, or --to a database with --files; anything else is a usage error. */
function restoreDestination(options: { into?: string; to?: string; files?: string }): RestoreDestination {
  const usage = (message: string) => new CliFailure({ code: 'VALIDATION', message }, EXIT_USAGE);
  if (options.into !== undefined && options.to !== undefined) throw usage('Give either --into a folder or --to a PostgreSQL database, not both.');
  if (options.to !== undefined) {
    if (options.files === undefined) throw usage('--to needs --files: an archive on PostgreSQL keeps its files in a folder of their own.');
    return { kind: 'postgres', to: options.to, files: options.files };
  }
  if (options.files !== undefined) throw usage('--files goes with --to; a restore --into a folder keeps the files there.');
  if (options.into === undefined) throw usage('Say where to restore: --into an empty or new folder, or --to an empty PostgreSQL database with --files.');
  return { kind: 'folder', folder: options.into };
}

/**
 * Restores into a scratch folder and moves that archive onto the database as an administrator of it (logged in
 * with SLIPVAULT_USER / SLIPVAULT_PASSWORD, or asked); prints the move's report and exits 1 unless it verified.
 */
async function restoreOntoPostgres(
  context: CliContext,
  request: { from: string; setId: string | undefined; signers: string[] | undefined; identities: ReturnType<typeof identitiesFrom>; to: string; files: string },
): Promise<void> {
  const credentials = await context.credentials();
  const { restoreToPostgres } = await import('../../core/backup/restore-to-postgres');
  const { formatReport } = await import('./migrate');
  const printer = progressPrinter(context);
  let result;
  try {
    result = await restoreToPostgres({
      from: request.from,
      to: request.to,
      filesDir: request.files,
      identities: request.identities,
      credentials,
      ...(request.setId ? { setId: request.setId } : {}),
      ...(request.signers ? { signers: request.signers } : {}),
      ...(printer ? { progress: printer } : {}),
    });
  } finally {
    if (printer) context.io.stderr('\n');
  }
  context.emit(
    result,
    `Restored set ${result.restore.setId} (reading ${result.restore.setsRead.length} set(s)) and moved it onto PostgreSQL.\n${formatReport(result.move)}`,
  );
  if (result.move.verifiedAt === null) context.fail(EXIT_FAILED);
}

export const registerBackupCommands: CommandModule = (program, context) => {
  const withProgress = async <T>(work: () => Promise<T>, subscribe: (listener: (p: JobProgress) => void) => () => void): Promise<T> => {
    const printer = progressPrinter(context);
    const unsubscribe = printer ? subscribe(printer) : () => undefined;
    try {
      return await work();
    } finally {
      unsubscribe();
      if (printer) context.io.stderr('\n');
    }
  };

  program
    .command('backup')
    .description(`write an encrypted, incremental backup set (age format) to a folder; passphrase from ${PASSPHRASE_ENV}`)
    .requiredOption('--to <folder>', 'backup target folder, e.g. on a USB drive')
    .option('--recipient <age1...>', 'encrypt to this age public key instead of a passphrase (repeatable)', (value: string, all: string[] = []) => [
      ...all,
      value,
    ])
    .option('--volume-size <bytes>', 'largest volume file (default 2 GiB, FAT32-safe)')
    .option('--full', 'write every file again (a self-contained set; older sets can then be pruned)')
    .action(async (options: { to: string; recipient?: string[]; volumeSize?: string; full?: boolean }) => {
      const passphrase = options.recipient ? undefined : await passphraseFrom(context, true);
      if (!options.recipient && passphrase === undefined) {
        throw new CliFailure(
          { code: 'VALIDATION', message: `Set ${PASSPHRASE_ENV}, type a passphrase at the prompt, or give --recipient age1… keys.` },
          EXIT_USAGE,
        );
      }
      const result = await context.withArchive('backup', ({ call, on }) =>
        withProgress(
          () =>
            call('backup:create', {
              target: options.to,
              full: options.full === true,
              ...(passphrase !== undefined ? { passphrase } : {}),
              ...(options.recipient ? { recipients: options.recipient } : {}),
              ...(options.volumeSize ? { volumeBytes: parsePositiveInteger(options.volumeSize, 'volume size in bytes') } : {}),
            }),
          (listener) => on('jobs:progress', listener),
        ),
      );
      const cleaned = result.leftoversRemoved.length > 0 ? `\nRemoved unfinished set(s) of an interrupted run: ${result.leftoversRemoved.join(', ')}.` : '';
      context.emit(
        result,
        `Backup set ${result.set.setId} written to ${result.set.path}: ${formatBytes(result.set.bytes)}, ${result.set.blobs ?? 0} new blobs, ${result.blobsReused} already on the target.${cleaned}`,
      );
    });

  program
    .command('backups')
    .description('list the backup sets in a target folder')
    .requiredOption('--to <folder>', 'backup target folder')
    .action(async (options: { to: string }) => {
      const sets = await context.call('backups', 'backup:list', { target: options.to });
      context.emit(sets, sets.length === 0 ? `No backup sets in ${options.to}.` : sets.map(formatSet).join('\n'));
    });

  program
    .command('prune-backups')
    .description('remove old backup sets, keeping the newest N and every set they rely on')
    .requiredOption('--to <folder>', 'backup target folder')
    .requiredOption('--keep <n>', 'how many of the newest sets to keep')
    .action(async (options: { to: string; keep: string }) => {
      const result = await context.call('prune-backups', 'backup:prune', { target: options.to, keep: parsePositiveInteger(options.keep, 'number of sets') });
      context.emit(
        result,
        `Removed ${result.removed.length} set(s)${result.removed.length ? `: ${result.removed.join(', ')}` : ''}; kept ${result.kept.join(', ') || 'none'}.`,
      );
    });

  program
    .command('verify-backup')
    .description('decrypt every backup set of this archive and check every hash')
    .requiredOption('--to <folder>', 'backup target folder')
    .option('--identity <file>', 'age identity file for sets made with --recipient (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option('--restore-check', 'also restore the newest set into a scratch folder and run check on it')
    .action(async (options: { to: string; identity?: string[]; restoreCheck?: boolean }) => {
      const identities = readIdentityFiles(options.identity);
      const passphrase = identities ? passphraseFromEnv(context) : await passphraseFrom(context, false);
      const report = await context.withArchive('verify-backup', ({ call, on }) =>
        withProgress(
          () =>
            call('backup:verify', {
              target: options.to,
              ...(passphrase !== undefined ? { passphrase } : {}),
              ...(identities ? { identities } : {}),
              restoreCheck: options.restoreCheck === true,
            }),
          (listener) => on('jobs:progress', listener),
        ),
      );
      const lines = report.sets.map((set) => `${set.setId}: ${set.files} files, ${formatBytes(set.bytes)} verified`);
      if (report.restoreChecked) lines.push('The newest set restores and passes check.');
      context.emit(report, lines.join('\n'));
    });

  program
    .command('restore')
    .description('restore the newest (or a given) backup set into an empty or new folder, or onto an empty PostgreSQL database')
    .requiredOption('--from <folder>', 'backup target folder')
    .option('--into <folder>', 'empty or new folder for the restored archive')
    // issue 20: onto PostgreSQL, through the move (docs/server-postgres.md, "Backups of a server archive").
    .option('--to <postgres-url>', 'instead of --into: an empty PostgreSQL database (postgres://USER@HOST:PORT/DB; the password from PGPASSWORD)')
    .option('--files <dir>', "with --to: a new or empty folder for the archive's files")
    .option('--set <setId>', 'restore this set instead of the newest')
    .option('--identity <file>', 'age identity file for sets made with --recipient (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option(
      '--signer <slipvault-signer1…>',
      'trust sets made to public keys and signed by this archive signer (repeatable; see backup-signer)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .action(async (options: { from: string; into?: string; to?: string; files?: string; set?: string; identity?: string[]; signer?: string[] }) => {
      const destination = restoreDestination(options);
      const identityFiles = readIdentityFiles(options.identity);
      const passphrase = identityFiles ? passphraseFromEnv(context) : await passphraseFrom(context, false);
      const identities = identitiesFrom({ passphrase, identities: identityFiles });
      if (destination.kind === 'postgres') {
        const { to, files } = destination;
        await restoreOntoPostgres(context, { from: options.from, setId: options.set, signers: options.signer, identities, to, files });
        return;
      }
      const printer = progressPrinter(context);
      // On this thread, not a job worker: a command line has nothing else to keep responsive, and the
      // worker's start (~40 ms) came before any byte was read.
      const { restoreBackup } = await import('../../core/backup/read');
      const result = await restoreBackup(resolve(options.from), resolve(destination.folder), identities, {
        ...(options.set ? { setId: options.set } : {}),
        ...(options.signer ? { signers: options.signer } : {}),
        ...(printer ? { progress: printer } : {}),
      });
      if (printer) context.io.stderr('\n');
      context.emit(
        result,
        `Restored set ${result.setId} (reading ${result.setsRead.length} set(s)) into ${result.path}: ${result.files} files, ${formatBytes(result.bytes)}. Run \`slipvault --archive ${result.path} check\` to confirm.`,
      );
    });

  program
    .command('backup-signer')
    .description("this archive's backup signer: give it to `restore --signer` to restore its sets made to public keys elsewhere")
    .action(async () => {
      const { signer } = await context.call('backup-signer', 'backup:signer', {});
      context.emit({ signer }, signer);
    });
};
