/**
 * `slipvault serve`: the archive's owner outside the desktop app. It opens the archive once (holding the
 * writer lock), recognises queued pages and watches the remembered hot folder as the app does, and serves
 * every other program of this OS user on a local socket (src/main/owner) until Ctrl+C or SIGTERM. With
 * --listen it serves other machines too, over TLS (src/main/network, docs/server-network.md).
 */
import { resolve } from 'node:path';
import type { ArchiveSession } from '../../host/session';
import type { ServerAddress } from '../../network/server-address';
import type { CommandModule } from '../context';

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

export const registerServeCommands: CommandModule = (program, context) => {
  program
    .command('serve')
    .description('own the archive: open it once and serve the command line, the hot-folder watcher and scheduled jobs of this OS user until stopped')
    .option('--no-ocr', 'do not recognise queued pages in the background (run `slipvault process` when convenient)')
    // The network server (docs/server-network.md).
    .option('--listen <host:port>', 'also serve other machines over TLS on this address (clients log in with their accounts)')
    .option('--folder-root <dir...>', 'folders on this machine under which network clients may name files and folders (imports, backups)')
    .action(async (options: { ocr: boolean; listen?: string; folderRoot?: string[] }) => {
      const { parseListenAddress } = await import('../../network/server-address');
      const listen = options.listen === undefined ? null : parseListenAddress(options.listen);
      const archiveDir = resolve(context.archiveDir());
      const { openArchive } = await import('../../core/archive');
      const { describeHolder, readLockHolder } = await import('../../core/lock');
      const { openSession } = await import('../../host/session');
      const { serveSession } = await import('../../owner/server');
      const { isServing } = await import('../../owner/client');
      const previous = readLockHolder(archiveDir);
      const archive = await openArchive(archiveDir, { program: 'slipvault serve' });
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
      context.emit(
        { archive: archiveDir, pid: process.pid, socket: server.endpoint.socket, ...(network ? { network: network.summary } : {}) },
        `Serving ${archiveDir} on ${server.endpoint.socket} (process ${process.pid}). Stop with Ctrl+C.${network ? `\n${network.text}` : ''}`,
      );
      await new Promise<void>((stopped) => {
        process.once('SIGINT', () => stopped());
        process.once('SIGTERM', () => stopped());
      });
      try {
        await network?.server.close();
        await server.close();
      } finally {
        await session.close();
      }
    });
};
