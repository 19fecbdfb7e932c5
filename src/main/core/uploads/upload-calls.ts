/**
 * `uploads:begin`, `uploads:append`, `uploads:import`: a workstation whose window works on a server hands over a
 * file on its own disk by sending its bytes over the connection, a piece at a time (FILE_PIECE_BYTES, base64
 * in one frame, like `blobs:read`), and the server imports them through `documents:import`'s own import — so
 * the document, its audit event, its OCR jobs and the duplicate check are exactly those of a local import. A batch
 * the workstation's scanner made is imported as scanner:scan imports one (`uploads:importScan`), and uploaded
 * pages join a document as pages:add adds them (`uploads:addPages`).
 *
 * The bytes wait in the archive's upload store (upload-store.ts: the same caps and sweep as the preview
 * host's uploads) under an id only the connection that began the upload knows; the SHA-256 the client sent
 * with `uploads:begin` is checked before anything is imported, and an upload is removed once an import used
 * it, refused or not, or after it has waited unused past the store's age limit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { UploadBegun, UploadProgress } from '../../../shared/contract';
import { SlipVaultError } from '../../../shared/errors';
import type { DocumentDetail, ImportResult } from '../../../shared/model';
import type { DocumentRef } from '../documents/document-service';
import { UploadRefused, UploadStore, type UploadLimits } from './upload-store';

interface PendingUpload {
  path: string;
  name: string;
  sha256: string;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The store's refusal as the contract's error: VALIDATION with `reason: upload-…` and a sentence each language words. */
function refusalOf(error: unknown): unknown {
  if (!(error instanceof UploadRefused)) return error;
  const details = { reason: `upload-${error.reason}` };
  switch (error.reason) {
    case 'too-large':
      return new SlipVaultError('VALIDATION', error.message, details).withMessage('uploads.tooLarge', {});
    case 'quota':
      return new SlipVaultError('VALIDATION', error.message, details).withMessage('uploads.quota', {});
    case 'incomplete':
      return new SlipVaultError('VALIDATION', error.message, details).withMessage('uploads.incomplete', {});
    case 'unknown-upload':
      return new SlipVaultError('VALIDATION', error.message, details).withMessage('uploads.unknownUpload', {});
    case 'wrong-offset':
      return new SlipVaultError('VALIDATION', error.message, details).withMessage('uploads.wrongOffset', {});
    case 'busy':
      return new SlipVaultError('VALIDATION', error.message, details).withMessage('uploads.busy', {});
  }
}

/** The archive's upload store, made on the first upload (most archives never get one), closed with the api. */
export class UploadStaging {
  private store: Promise<UploadStore> | null = null;

  constructor(private readonly limits: UploadLimits = {}) {}

  open(): Promise<UploadStore> {
    this.store ??= UploadStore.create(this.limits);
    return this.store;
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = null;
    if (store) await (await store).close();
  }
}

export interface UploadCalls {
  begin(input: { name: string; size: number; sha256: string }): Promise<UploadBegun>;
  append(input: { uploadId: string; offset: number; base64: string }): Promise<UploadProgress>;
  importUpload(input: { uploadId: string }): Promise<ImportResult>;
  importScan(input: { uploadId: string }): Promise<ImportResult>;
  addPages(input: { ref: DocumentRef; uploadIds: string[]; reason?: string | undefined }): Promise<DocumentDetail>;
}

/** What the server does with uploaded files once their bytes are complete and checked: paths on its own disk. */
export interface UploadTargets {
  /** documents:import's import of one file. */
  importFile(path: string): Promise<ImportResult>;
  /** scanner:scan's import of a scanned batch file (ingest/scan-batch.ts). */
  importScan(path: string): Promise<ImportResult>;
  /** pages:add of files to a document, as one new version. */
  addPages(ref: DocumentRef, paths: string[], reason: string | null): Promise<DocumentDetail>;
}

/** An import's answer names the file by the name the client gave, not by where its bytes waited on the server. */
function namedByUpload(result: ImportResult, name: string): ImportResult {
  return {
    imported: result.imported.map((entry) => ({ ...entry, file: name })),
    failed: result.failed.map((entry) => ({
      ...entry,
      file: name,
      ...(entry.details ? { details: { ...entry.details, ...('file' in entry.details ? { file: name } : {}) } } : {}),
    })),
  };
}

/** A refusal naming a staged file (`details.file`) names it by its upload's name instead. */
function refusalNamedByUpload(error: unknown, names: Map<string, string>): unknown {
  if (!(error instanceof SlipVaultError) || typeof error.details?.file !== 'string') return error;
  const name = names.get(error.details.file);
  if (name === undefined) return error;
  const payload = error.toPayload();
  return SlipVaultError.fromPayload({
    ...payload,
    message: payload.message.split(error.details.file).join(name),
    details: { ...payload.details, file: name },
    ...(payload.params && 'file' in payload.params ? { params: { ...payload.params, file: name } } : {}),
  });
}

/** One connection's uploads; what becomes of the bytes is `targets`'s. */
export function connectionUploads(staging: UploadStaging, targets: UploadTargets): UploadCalls {
  const pending = new Map<string, PendingUpload>();

  const pendingUpload = (uploadId: string): PendingUpload => {
    const upload = pending.get(uploadId);
    if (!upload) {
      throw new SlipVaultError(
        'NOT_FOUND',
        `There is no upload ${uploadId} on this connection: it was imported, refused or removed unused; upload the file again.`,
        {
          uploadId,
          reason: 'upload-unknown-upload',
        },
      ).withMessage('uploads.unknownUpload', {});
    }
    return upload;
  };

  /**
   * Takes the uploads out of the connection's table (they are used once, refused or not) and checks that each
   * is complete and hashes to what `begin` was told; on a refusal every one of them is discarded.
   */
  const takeChecked = async (uploadIds: string[]): Promise<PendingUpload[]> => {
    const uploads = uploadIds.map(pendingUpload);
    for (const uploadId of uploadIds) pending.delete(uploadId);
    const store = await staging.open();
    try {
      for (const upload of uploads) {
        try {
          store.assertComplete(upload.path);
        } catch (error) {
          throw refusalOf(error);
        }
        const received = await sha256Of(upload.path);
        if (received !== upload.sha256) {
          throw new SlipVaultError(
            'VALIDATION',
            `The bytes of ${upload.name} that arrived have the SHA-256 ${received}, not ${upload.sha256} as sent with the upload; nothing was imported. Upload the file again.`,
            { file: upload.name, expected: upload.sha256, received, reason: 'upload-hash-mismatch' },
          ).withMessage('uploads.hashMismatch', { file: upload.name });
        }
      }
      return uploads;
    } catch (error) {
      for (const upload of uploads) await store.discard(upload.path);
      throw error;
    }
  };

  /** Runs `work` on the checked uploads' paths; the store removes them afterwards. */
  const useChecked = async <T>(uploadIds: string[], work: (uploads: PendingUpload[]) => Promise<T>): Promise<T> => {
    const uploads = await takeChecked(uploadIds);
    const store = await staging.open();
    return store.use(
      uploads.map((upload) => upload.path),
      () => work(uploads),
    );
  };

  return {
    async begin({ name, size, sha256 }) {
      const store = await staging.open();
      try {
        const { path } = await store.begin(name, size);
        const uploadId = randomUUID();
        pending.set(uploadId, { path, name, sha256 });
        return { uploadId };
      } catch (error) {
        throw refusalOf(error);
      }
    },

    async append({ uploadId, offset, base64 }) {
      const upload = pendingUpload(uploadId);
      const store = await staging.open();
      try {
        return { received: await store.appendPiece(upload.path, offset, Buffer.from(base64, 'base64')) };
      } catch (error) {
        if (error instanceof UploadRefused && error.reason === 'unknown-upload') pending.delete(uploadId);
        throw refusalOf(error);
      }
    },

    importUpload: ({ uploadId }) => useChecked([uploadId], async ([upload]) => namedByUpload(await targets.importFile(upload!.path), upload!.name)),

    importScan: ({ uploadId }) => useChecked([uploadId], async ([upload]) => namedByUpload(await targets.importScan(upload!.path), upload!.name)),

    addPages: ({ ref, uploadIds, reason }) =>
      useChecked(uploadIds, async (uploads) => {
        try {
          return await targets.addPages(
            ref,
            uploads.map((upload) => upload.path),
            reason ?? null,
          );
        } catch (error) {
          throw refusalNamedByUpload(error, new Map(uploads.map((upload) => [upload.path, upload.name])));
        }
      }),
  };
}
