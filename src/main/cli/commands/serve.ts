/**
 * `slipvault serve`: the archive's owner outside the desktop app. It opens the archive once (holding the
 * writer lock), recognises queued pages and watches the remembered hot folder as the app does, and serves
 * every other program of this OS user on a local socket (src/main/owner) until Ctrl+C or SIGTERM. With
 * --listen it serves other machines too, over TLS (src/main/network, docs/server-network.md). With --db and
 * --files it serves an archive whose rows are in PostgreSQL and whose files are in a folder
 * (docs/server-postgres.md).
 */
import { resolve } from 'node:path';
import type { ArchiveSession } from '../../host/session';
import type { ServerAddress } from '../../network/server-address';
import type { ServedPostgresArchive } from '../../core/pg-served-archive';
import { CliFailure, EXIT_USAGE, type CliContext, type CommandModule } from '../context';

async function listenOnNetwork(session: ArchiveSession, archiveDir: string, listen: ServerAddress, folderRoots: string[]) {
  const { serverCertificate, tlsFolder } = await import('../../network/tls-identity');
  const { serveNetwork } = await import('../../network/network-server');
  const certificate = await serverCertificate(tlsFolder(archiveDir), [listen.host]);
  const server = await serveNetwork(session, { listen, certificate, program: 'slipvault serve', folderRoots: folderRoots.map((dir) => resolve(dir)) });
  return {
    server,
    summary: { url: server.url, fingerprint: certificate.fingerprint, certificateCreated: certificate.created },
    text: `${certificate.created ? `Made a new TLS certificate in ${tlsFolder(archiveDir)}.\n` : ''}Listening on ${server.url} over TLS. Certificate fingerprint (SHA-256):\n  ${certificate.fingerprint}\nClients are shown this fingerprint on their first connection: it must match.`,
  };
}

// --- The archive on PostgreSQL (issue 20): --db URL --files DIR. ---

/**
 * The archive in the database at `url` with its files in `filesDir`, created there on the first start together
 * with its first administrator (SLIPVAULT_USER / SLIPVAULT_PASSWORD, or asked), as `slipvault init` does for a
 * folder: a server nobody can log in to would serve nothing.
 */
async function openPostgresArchive(context: CliContext, url: string, filesDir: string): Promise<ServedPostgresArchive> {
  const { openServedPostgresArchive } = await import('../../core/pg-served-archive');
  const opened = await openServedPostgresArchive(url, filesDir, { program: 'slipvault serve' });
  if (opened.archive.accounts.count() > 0) return opened;
  try {
    const { createApi } = await import('../../core/api');
    const api = createApi(opened.archive);
    try {
      const setup = await api.connect().invoke('auth:setup', await context.credentials());
      if (!setup.ok) throw context.failureOf(setup.error);
    } finally {
      await api.dispose();
    }
  } catch (error) {
    opened.archive.close();
    throw error;
  }
  return opened;
}

function storageOptions(options: { db?: string; files?: string }): { db: string; files: string } | null {
  if (options.db === undefined && options.files === undefined) return null;
  if (options.db === undefined || options.files === undefined) {
    throw new CliFailure(
      {
        code: 'VALIDATION',
        message: `--${options.db === undefined ? 'files' : 'db'} needs --${options.db === undefined ? 'db' : 'files'}: an archive on PostgreSQL has its rows in the database and its files in the folder.`,
      },
      EXIT_USAGE,
    );
  }
  return { db: options.db, files: options.files };
}

export const registerServeCommands: CommandModule = (program, context) => {
  program
    .command('serve')
    .description('own the archive: open it once and serve the command line, the hot-folder watcher and scheduled jobs of this OS user until stopped')
    .option('--no-ocr', 'do not recognise queued pages in the background (run `slipvault process` when convenient)')
    // The network server (docs/server-network.md).
    .option('--listen <host:port>', 'also serve other machines over TLS on this address (clients log in with their accounts)')
    .option('--folder-root <dir...>', 'folders on this machine under which network clients may name files and folders (imports, backups)')
    // The archive on PostgreSQL (docs/server-postgres.md).
    .option('--db <url>', 'serve the archive whose rows are in this PostgreSQL database (postgres://USER@HOST:PORT/DB; the password from PGPASSWORD)')
    .option('--files <dir>', "with --db: the folder of the archive's files, TLS certificate, lock and logs (created on the first start when empty)")
    .action(async (options: { ocr: boolean; listen?: string; folderRoot?: string[]; db?: string; files?: string }) => {
      const { parseListenAddress } = await import('../../network/server-address');
      const listen = options.listen === undefined ? null : parseListenAddress(options.listen);
      const onPostgres = storageOptions(options);
      const archiveDir = resolve(onPostgres ? onPostgres.files : context.archiveDir());
      const { openArchive } = await import('../../core/archive');
      const { describeHolder, readLockHolder } = await import('../../core/lock');
      const { openSession } = await import('../../host/session');
      const { serveSession } = await import('../../owner/server');
      const { isServing } = await import('../../owner/client');
      const previous = readLockHolder(archiveDir);
      const postgres = onPostgres ? await openPostgresArchive(context, onPostgres.db, archiveDir) : null;
      const archive = postgres?.archive ?? (await openArchive(archiveDir, { program: 'slipvault serve' }));
      // A holder file that still names a socket once the lock is ours was left by an owner that died.
      if (isServing(previous)) {
        context.io.stderr(`Took over from ${describeHolder(previous)}, which stopped without closing; its socket and secret file were removed.\n`);
      }
      const session = openSession(archive, {
        backgroundOcr: options.ocr,
        onError: (error) => context.io.stderr(`slipvault serve: ${error instanceof Error ? error.message : String(error)}\n`),
      });
      let server;
      try {
        server = await serveSession(session, 'slipvault serve');
      } catch (error) {
        await session.close();
        throw error;
      }
      let network;
      try {
        network = listen ? await listenOnNetwork(session, archiveDir, listen, options.folderRoot ?? []) : null;
      } catch (error) {
        await server.close();
        await session.close();
        throw error;
      }
      // Listening for the stop signals before saying it serves: a supervisor (systemd, a test) may send SIGTERM
      // the moment it reads the line, and without a listener that signal ends the process without closing.
      const stopRequested = new Promise<void>((stopped) => {
        process.once('SIGINT', () => stopped());
        process.once('SIGTERM', () => stopped());
      });
      const where = postgres ? `the archive in ${postgres.target} (files in ${archiveDir})` : archiveDir;
      context.emit(
        {
          archive: archiveDir,
          ...(postgres ? { database: postgres.target, created: postgres.created } : {}),
          pid: process.pid,
          socket: server.endpoint.socket,
          ...(network ? { network: network.summary } : {}),
        },
        `${postgres?.created ? `Created a new archive in ${postgres.target}, its files in ${archiveDir}.\n` : ''}Serving ${where} on ${server.endpoint.socket} (process ${process.pid}). Stop with Ctrl+C.${network ? `\n${network.text}` : ''}`,
      );
      await stopRequested;
      try {
        await network?.server.close();
        await server.close();
      } finally {
        await session.close();
      }
    });
};
