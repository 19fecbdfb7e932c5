/**
 * Worker-thread entry (bundled to dist/workers/backup-worker.cjs): runs one backup job from workerData,
 * or serves as the decryption or the reading thread of a restore or verify running on another thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlipVaultError } from '../../../shared/errors';
import type { AgeIdentity, AgeRecipient } from './age';
import { writeSet } from './write-set';
import { serveDecryptRequests, type DecryptThreadData } from './decrypt-loop';
import { DecryptThread } from './decrypt-thread';
import type { BackupJob, JobResults, WorkerMessage } from './jobs';
import { ProgressMeter, type ProgressSink } from './progress';
import { findSet, readSet, restoreBackup } from './read';
import { indexSnapshot } from './snapshot-index';
import { serveReadRequests, type ReadThreadData } from './read-loop';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);
const progress: ProgressSink = (value) => post({ type: 'progress', progress: value });

/** Buffers arrive as plain Uint8Arrays after the structured clone. */
function keysOf<T extends AgeIdentity | AgeRecipient>(keys: T[]): T[] {
  return keys.map((key) => {
    if ('secretKey' in key) return { ...key, secretKey: Buffer.from(key.secretKey) };
    if ('publicKey' in key) return { ...key, publicKey: Buffer.from(key.publicKey) };
    return key;
  });
}

async function run(job: BackupJob): Promise<JobResults[BackupJob['kind']]> {
  switch (job.kind) {
    case 'write-set':
      return writeSet({ ...job.job, recipients: keysOf(job.job.recipients) }, progress);
    case 'index-snapshot':
      return indexSnapshot(job.file);
    case 'restore':
      return restoreBackup(job.from, job.into, keysOf(job.identities), { ...(job.setId ? { setId: job.setId } : {}), signers: job.signers, progress });
    case 'read-sets': {
      const { all } = findSet(job.target);
      const sets = job.setIds.map((setId) => all.find((catalog) => catalog.setId === setId)!);
      const bytesTotal = sets.reduce((sum, catalog) => sum + catalog.volumes.reduce((s, v) => s + v.bytes, 0), 0);
      const meter = new ProgressMeter('verify', 0, bytesTotal, progress);
      const report: JobResults['read-sets'] = [];
      const thread = new DecryptThread();
      try {
        for (const catalog of sets) {
          const result = await readSet(job.target, catalog, keysOf(job.identities), { progress: meter, thread, signers: job.signers });
          report.push({ setId: catalog.setId, files: result.files, bytes: result.bytes });
        }
      } finally {
        await thread.close();
      }
      meter.finish();
      return report;
    }
  }
}

const data = workerData as BackupJob | DecryptThreadData | ReadThreadData;
if (data.kind === 'decrypt-volumes') serveDecryptRequests(parentPort!, data);
else if (data.kind === 'read-volumes') serveReadRequests(data);
else
  run(data).then(
    (result) => post({ type: 'done', result }),
    (error: unknown) => {
      const failure = error as Error;
      post({
        type: 'error',
        error: {
          ...(error instanceof SlipVaultError ? error.toPayload() : { message: failure.message ?? String(error) }),
          ...(failure.stack ? { stack: failure.stack } : {}),
        },
      });
    },
  );
