/**
 * The structured logs (pino, one JSON object per line): the archive's own, written by whoever owns the archive,
 * and the app's, for everything outside an archive's calls. A log that cannot be written (a full disk, a
 * read-only folder) never stops the work that logs: the failure is told once on stderr and the line dropped;
 * later lines try again, so logging resumes by itself once there is room.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { appLogFolder, archiveLogFolder, LOG_FILE } from './log-folders';
import { appendRotating, DEFAULT_LIMITS, type RotationLimits } from './rotating-file';

export type Log = Logger;

export function createLog(file: string, name: 'core' | 'app', limits: RotationLimits = DEFAULT_LIMITS): Log {
  let told = false;
  const destination = {
    write(line: string) {
      try {
        appendRotating(file, line, limits);
      } catch (error) {
        if (told) return;
        told = true;
        const { code, message } = error as NodeJS.ErrnoException;
        process.stderr.write(`slipvault: the log ${file} cannot be written (${code ?? message}); going on without it.\n`);
      }
    },
  };
  return pino({ name, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** The log in `<archive>/logs/`, for the process that has the archive open. */
export function archiveLog(archiveDir: string, limits?: RotationLimits): Log {
  return createLog(join(archiveLogFolder(archiveDir), LOG_FILE), 'core', limits);
}

let app: Log | null = null;

/** This process's app log in the OS user's log folder, made on first use (a run that logs nothing creates no folder). */
export function appLog(): Log {
  app ??= createLog(join(appLogFolder(), LOG_FILE), 'app');
  return app;
}
