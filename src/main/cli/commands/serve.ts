/**
 * `slipvault serve`: the archive's owner outside the desktop app. It opens the archive once (holding the
 * writer lock), recognises queued pages and watches the remembered hot folder as the app does, and serves
 * every other program of this OS user on a local socket (src/main/owner) until Ctrl+C or SIGTERM.
 */
import { resolve } from 'node:path';
import type { CommandModule } from '../context';

export const registerServeCommands: CommandModule = (program, context) => {
  program
    .command('serve')
    .description('own the archive: open it once and serve the command line, the hot-folder watcher and scheduled jobs of this OS user until stopped')
    .option('--no-ocr', 'do not recognise queued pages in the background (run `slipvault process` when convenient)')
    .action(async (options: { ocr: boolean }) => {
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
      context.emit(
        { archive: archiveDir, pid: process.pid, socket: server.endpoint.socket },
        `Serving ${archiveDir} on ${server.endpoint.socket} (process ${process.pid}). Stop with Ctrl+C.`,
      );
      await new Promise<void>((stopped) => {
        process.once('SIGINT', () => stopped());
        process.once('SIGTERM', () => stopped());
      });
      try {
        await server.close();
      } finally {
        await session.close();
      }
    });
};
