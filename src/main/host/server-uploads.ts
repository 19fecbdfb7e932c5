/**
 * A file on this computer imported into the server a window works on (docs/server-network.md, "Files from this
 * computer"): its bytes are sent with `uploads:begin` / `uploads:append` a piece at a time and imported with
 * `uploads:import`, through the page's own login, so the server's audit names the clerk. When the server cannot
 * be reached the file is kept in the offline queue (offline-queue.ts) and sent by `drainQueue` once the page is
 * logged in there again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { FILE_PIECE_BYTES, type CallResult, type Method, type UploadBegun } from '../../shared/contract';
import { SlipVaultError, type ErrorPayload } from '../../shared/errors';
import type { ImportFailure, ImportResult } from '../../shared/model';
import { toErrorPayload } from '../core/error-payload';
import type { OfflineQueue, QueueItem } from './offline-queue';

type Invoke = (method: Method, input: unknown) => Promise<CallResult<Method>>;

/** How one upload ended: the server's import answer, or the error of the call that stopped it. */
type UploadOutcome = { ok: true; value: ImportResult } | { ok: false; error: ErrorPayload };

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Sends the file at `path` under `name` with uploads:begin and uploads:append; answers the upload's id, which a
 * following call (uploads:import, uploads:importScan, uploads:addPages) uses. `sha256`: the hash it must have (a
 * queued copy's).
 */
export async function sendFile(
  invoke: Invoke,
  path: string,
  name: string,
  sha256?: string,
): Promise<{ ok: true; value: string } | { ok: false; error: ErrorPayload }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
  try {
    const size = (await handle.stat()).size;
    const begun = await invoke('uploads:begin', { name, size, sha256: sha256 ?? (await sha256Of(path)) });
    if (!begun.ok) return begun;
    const { uploadId } = begun.value as UploadBegun;
    const piece = Buffer.alloc(Math.min(FILE_PIECE_BYTES, Math.max(size, 1)));
    for (let offset = 0; offset < size;) {
      const { bytesRead } = await handle.read(piece, 0, piece.length, offset);
      if (bytesRead === 0) break;
      const appended = await invoke('uploads:append', { uploadId, offset, base64: piece.subarray(0, bytesRead).toString('base64') });
      if (!appended.ok) return appended;
      offset += bytesRead;
    }
    return { ok: true, value: uploadId };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  } finally {
    await handle.close();
  }
}

/** Sends the file at `path` under `name` and imports it on the server with `finish` (uploads:import or uploads:importScan). */
export async function uploadFile(
  invoke: Invoke,
  path: string,
  name: string,
  sha256?: string,
  finish: 'uploads:import' | 'uploads:importScan' = 'uploads:import',
): Promise<UploadOutcome> {
  const sent = await sendFile(invoke, path, name, sha256);
  if (!sent.ok) return sent;
  return (await invoke(finish, { uploadId: sent.value })) as UploadOutcome;
}

/** The failure entry that tells the clerk a file was kept on this computer, and how many wait. */
function queuedEntry(file: string, server: string, waiting: number): ImportFailure {
  const error = new SlipVaultError(
    'SERVER_UNREACHABLE',
    `${basename(file)} was kept on this computer (${waiting} waiting): the server ${server} cannot be reached. It is uploaded when the server is back and you are logged in.`,
    { server, waiting, reason: 'queued-offline' },
  ).withMessage('uploadQueue.queued', { file: basename(file), waiting, server });
  return { file, ...error.toPayload() };
}

/** Whether the call that failed with `error` never reached a server that answers: the file waits for it. */
export const unreachable = (error: ErrorPayload) => error.code === 'SERVER_UNREACHABLE';

/**
 * documents:import of files on this computer, for a page working on `server`: each is uploaded and imported
 * there in turn; once the server cannot be reached, that file and the ones after it are queued. A refusal of
 * the page itself (not logged in, not allowed) is the whole call's answer, as a local import's would be.
 */
export async function importOverServer(invoke: Invoke, paths: string[], server: string, queue: OfflineQueue): Promise<CallResult<'documents:import'>> {
  const result: ImportResult = { imported: [], failed: [] };
  let offline = false;
  for (const path of paths) {
    if (!offline) {
      const outcome = await uploadFile(invoke, path, basename(path));
      if (outcome.ok) {
        result.imported.push(...outcome.value.imported.map((entry) => ({ ...entry, file: path })));
        result.failed.push(...outcome.value.failed.map((entry) => ({ ...entry, file: path })));
        continue;
      }
      if (outcome.error.code === 'UNAUTHENTICATED' || outcome.error.code === 'FORBIDDEN') {
        if (result.imported.length === 0 && result.failed.length === 0) return outcome;
        result.failed.push({ file: path, ...outcome.error });
        continue;
      }
      if (!unreachable(outcome.error)) {
        result.failed.push({ file: path, ...outcome.error });
        continue;
      }
      offline = true;
    }
    try {
      await queue.add(server, path, basename(path));
      result.failed.push(queuedEntry(path, server, queue.status(server).waiting));
    } catch (error) {
      result.failed.push({ file: path, ...toErrorPayload(error) });
    }
  }
  return { ok: true, value: result };
}

/** The server's answer to one queued item: what its purpose asks (queue.ts QueuePurpose) of the file sent. */
async function deliver(invoke: Invoke, queue: OfflineQueue, item: QueueItem): Promise<CallResult<Method>> {
  const purpose = item.purpose;
  if (purpose?.kind !== 'pages')
    return uploadFile(invoke, queue.fileOf(item), item.name, item.sha256, purpose?.kind === 'scan' ? 'uploads:importScan' : 'uploads:import');
  const sent = await sendFile(invoke, queue.fileOf(item), item.name, item.sha256);
  if (!sent.ok) return sent;
  return invoke('uploads:addPages', { ref: purpose.ref, uploadIds: [sent.value], ...(purpose.reason ? { reason: purpose.reason } : {}) });
}

/** The refusal in an answer: an import's first failure other than DUPLICATE, or the call's error; null when it is on the server. */
function refusalIn(answer: CallResult<Method>): ErrorPayload | null {
  if (!answer.ok) return answer.error.code === 'DUPLICATE' ? null : answer.error;
  const failures = (answer.value as Partial<ImportResult>).failed ?? [];
  const refusal = failures.find((failure) => failure.code !== 'DUPLICATE');
  if (!refusal) return null;
  const { file: _file, ...error } = refusal;
  return error as ErrorPayload;
}

/** What became of one queued item: sent (or already there), kept for later, or refused by the server. */
async function sendQueued(invoke: Invoke, queue: OfflineQueue, item: QueueItem): Promise<'done' | 'stop' | 'refused'> {
  const answer = await deliver(invoke, queue, item);
  if (!answer.ok && (unreachable(answer.error) || answer.error.code === 'UNAUTHENTICATED')) return 'stop';
  const refusal = refusalIn(answer);
  if (refusal === null) {
    // Imported now, or already by an earlier try whose answer never arrived: either way it is on the server.
    await queue.remove(item);
    return 'done';
  }
  await queue.setRefusal(item, refusal);
  return 'refused';
}

/**
 * Sends `server`'s waiting items in the order they were queued, through `invoke` (a page logged in there).
 * An item leaves the queue only after the server answered its import; one the server refused keeps its
 * refusal and is skipped until retried; the drain stops when the server goes away or the login ends.
 */
export async function drainQueue(invoke: Invoke, queue: OfflineQueue, server: string): Promise<void> {
  await queue.exclusively(server, async () => {
    for (const item of queue.list(server)) {
      if (item.refusal !== null) continue;
      if ((await sendQueued(invoke, queue, item)) === 'stop') return;
    }
  });
}
