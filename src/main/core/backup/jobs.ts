/**
 * Runs the heavy part of a backup, verify or restore on a worker thread, so the thread that serves filing
 * and search stays free: scrypt, hashing, sealing and file I/O all happen there. Progress comes back as
 * messages; a SlipVaultError thrown in the worker arrives here as the same SlipVaultError.
 */
import { Worker } from 'node:worker_threads';
import { SlipVaultError, type ErrorPayload } from '../../../shared/errors';
import type { BackupResult, ReindexResult, RestoreResult } from '../../../shared/model';
import { workerScriptPath } from '../runtime-paths';
import type { AgeIdentity } from './age';
import type { WriteSetJob } from './write-set';
import type { ProgressSink } from './progress';

export type BackupJob =
  | { kind: 'write-set'; job: WriteSetJob }
  | { kind: 'read-sets'; target: string; setIds: string[]; identities: AgeIdentity[]; signers: string[] }
  | { kind: 'restore'; from: string; into: string; identities: AgeIdentity[]; signers: string[]; setId?: string }
  | { kind: 'index-snapshot'; file: string };

export interface JobResults {
  'write-set': BackupResult;
  'read-sets': { setId: string; files: number; bytes: number }[];
  restore: RestoreResult;
  'index-snapshot': ReindexResult;
}

export type WorkerMessage =
  | { type: 'progress'; progress: Parameters<ProgressSink>[0] }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: (ErrorPayload | { code?: undefined; message: string }) & { stack?: string } };

export function runBackupJob<K extends BackupJob['kind']>(job: BackupJob & { kind: K }, progress?: ProgressSink): Promise<JobResults[K]> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(workerScriptPath('backup'), { workerData: job });
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') progress?.(message.progress);
      else if (message.type === 'done') {
        settled = true;
        resolvePromise(message.result as JobResults[K]);
      } else {
        settled = true;
        const { stack, ...failure } = message.error;
        // A SlipVaultError from the worker keeps its code, details and message key; anything else is unexpected.
        const error = failure.code ? SlipVaultError.fromPayload(failure) : new Error(failure.message);
        if (stack) error.stack = stack;
        reject(error);
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on('exit', (exitCode) => {
      if (!settled)
        reject(
          new SlipVaultError('INTERNAL', `The backup worker stopped (exit code ${exitCode}) before it finished.`).withMessage('backup.workerStopped', {
            exitCode: String(exitCode),
          }),
        );
    });
  });
}
