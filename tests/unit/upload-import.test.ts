/**
 * uploads:begin / uploads:append / uploads:import on a real archive: an uploaded file becomes the document a
 * local import of it makes (same name, pages, version, audit event, OCR jobs, duplicate check), and a wrong
 * hash, an oversized or incomplete upload, another connection's upload id and a viewer are refused with their
 * code while the archive keeps nothing of them. On both back ends.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api, type ApiClient } from '../../src/main/core/api';
import type { Archive } from '../../src/main/core/archive';
import { FILE_PIECE_BYTES, type CallResult, type Method } from '../../src/shared/contract';
import type { AuditEvent, DocumentDetail, ImportResult } from '../../src/shared/model';
import { BACK_ENDS, useBackEnd } from '../helpers/back-ends';
import { tempDir, writeJpeg, writePdf } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function value<M extends Method>(result: CallResult<M>) {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Uploads `bytes` as `name` in pieces of `piece` bytes; answers the upload's id. */
async function upload(client: ApiClient, name: string, bytes: Buffer, hash = sha256(bytes), piece = FILE_PIECE_BYTES): Promise<string> {
  const { uploadId } = value(await client.invoke('uploads:begin', { name, size: bytes.length, sha256: hash })) as { uploadId: string };
  for (let offset = 0; offset < bytes.length; offset += piece) {
    value(await client.invoke('uploads:append', { uploadId, offset, base64: bytes.subarray(offset, offset + piece).toString('base64') }));
  }
  return uploadId;
}

const documentCount = (target: Archive) => (target.connection.sqlite.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
const blobFiles = (target: Archive) => (target.connection.sqlite.prepare('SELECT count(*) AS n FROM source_files').get() as { n: number }).n;
const lastEvent = async (client: ApiClient) => {
  const events = value(await client.invoke('audit:list', { afterSeq: 0, limit: 1000 })) as AuditEvent[];
  return events.filter((event) => event.action === 'document.import').at(-1)!;
};

describe.each(BACK_ENDS)('importing an upload on %s', (backEndName) => {
  const backEnd = useBackEnd(backEndName);
  let archive: Archive;
  let api: Api;
  let clerk: ApiClient;
  let localArchive: Archive;
  let localApi: Api;

  beforeAll(async () => {
    archive = await backEnd.init(join(tempDir(), 'archive'), { program: 'upload test' });
    api = createApi(archive);
    clerk = await clientAs(api, archive, 'clerk', 'li.na');
    localArchive = await backEnd.init(join(tempDir(), 'local-archive'), { program: 'upload test' });
    localApi = createApi(localArchive);
  });

  afterAll(async () => {
    await api.dispose();
    archive.close();
    await localApi.dispose();
    localArchive.close();
  });

  it('makes the document a local import of the same file makes, named by its file name, audited as the uploader', async () => {
    const file = writePdf(tempDir('slipvault-files-'), '送货单-0417.pdf', 3);
    const bytes = readFileSync(file);
    // Small pieces, so the file really arrives in several.
    const uploadId = await upload(clerk, '送货单-0417.pdf', bytes, sha256(bytes), 4096);
    const uploaded = value(await clerk.invoke('uploads:import', { uploadId })) as ImportResult;
    expect(uploaded.failed).toEqual([]);
    expect(uploaded.imported).toHaveLength(1);
    expect(uploaded.imported[0]!.file).toBe('送货单-0417.pdf');

    const localClerk = await clientAs(localApi, localArchive, 'clerk', 'li.na');
    const local = value(await localClerk.invoke('documents:import', { paths: [file] })) as ImportResult;

    const detailOf = async (client: ApiClient, result: ImportResult) =>
      value(await client.invoke('documents:get', { ref: result.imported[0]!.document.archiveNo })) as DocumentDetail;
    const remote = await detailOf(clerk, uploaded);
    const here = await detailOf(localClerk, local);
    const comparable = (detail: DocumentDetail) => ({
      archiveNo: detail.archiveNo,
      status: detail.status,
      currentVersion: detail.currentVersion,
      metadata: detail.metadata,
      pages: detail.pages.map((page) => ({ blobHash: page.blobHash, sourcePage: page.sourcePage })),
    });
    expect(comparable(remote)).toEqual(comparable(here));
    const filename = (target: Archive) => target.connection.sqlite.prepare('SELECT filename FROM source_files').all();
    expect(filename(archive)).toEqual(filename(localArchive));
    // The OCR queue got a job per page, as for a local import.
    const jobs = (target: Archive) => (target.connection.sqlite.prepare('SELECT count(*) AS n FROM ocr_jobs').get() as { n: number }).n;
    expect(jobs(archive)).toBe(3);
    expect(jobs(localArchive)).toBe(3);

    const admin = await clientAs(api, archive, 'admin');
    const event = await lastEvent(admin);
    expect(event.actor).toBe('li.na');
    const localAdmin = await clientAs(localApi, localArchive, 'admin');
    const localEvent = await lastEvent(localAdmin);
    expect(event.details).toEqual(localEvent.details);

    // The same bytes again: the duplicate check of a local import.
    const again = value(await clerk.invoke('uploads:import', { uploadId: await upload(clerk, 'copy.pdf', bytes) })) as ImportResult;
    expect(again.imported).toEqual([]);
    expect(again.failed).toMatchObject([{ file: 'copy.pdf', code: 'DUPLICATE', details: { file: 'copy.pdf', archiveNo: remote.archiveNo } }]);
  });

  it('refuses bytes whose SHA-256 is not the one sent with the upload, and keeps nothing', async () => {
    const bytes = readFileSync(await writeJpeg(tempDir('slipvault-files-'), 'slip.jpg'));
    const before = { documents: documentCount(archive), files: blobFiles(archive) };
    const uploadId = await upload(clerk, 'slip.jpg', bytes, sha256(Buffer.concat([bytes, Buffer.from('x')])));
    const refused = await clerk.invoke('uploads:import', { uploadId });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', messageKey: 'uploads.hashMismatch', details: { reason: 'upload-hash-mismatch' } },
    });
    expect({ documents: documentCount(archive), files: blobFiles(archive) }).toEqual(before);
    // The refused upload is gone: it cannot be imported afterwards.
    expect(await clerk.invoke('uploads:import', { uploadId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', messageKey: 'uploads.unknownUpload' } });
  });

  it('refuses an upload larger than a file may be before any byte is sent, and a piece past the declared size', async () => {
    const tooLarge = await clerk.invoke('uploads:begin', { name: 'huge.pdf', size: 513 * 1024 * 1024, sha256: 'a'.repeat(64) });
    expect(tooLarge).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'uploads.tooLarge', details: { reason: 'upload-too-large' } } });

    const { uploadId } = value(await clerk.invoke('uploads:begin', { name: 'small.jpg', size: 10, sha256: 'b'.repeat(64) })) as { uploadId: string };
    const overflow = await clerk.invoke('uploads:append', { uploadId, offset: 0, base64: Buffer.alloc(11).toString('base64') });
    expect(overflow).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'uploads.tooLarge' } });
    const wrongOffset = await clerk.invoke('uploads:append', { uploadId, offset: 5, base64: Buffer.alloc(5).toString('base64') });
    expect(wrongOffset).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'uploads.wrongOffset' } });
    // Half of it arrived: not importable.
    value(await clerk.invoke('uploads:append', { uploadId, offset: 0, base64: Buffer.alloc(5).toString('base64') }));
    const incomplete = await clerk.invoke('uploads:import', { uploadId });
    expect(incomplete).toMatchObject({ ok: false, error: { code: 'VALIDATION', messageKey: 'uploads.incomplete' } });
  });

  it('keeps each connection’s uploads its own, and refuses a viewer before anything is staged', async () => {
    const bytes = readFileSync(await writeJpeg(tempDir('slipvault-files-'), 'theirs.jpg', 300, 420));
    const uploadId = await upload(clerk, 'theirs.jpg', bytes);
    const other = await clientAs(api, archive, 'clerk', 'wang.fang');
    const before = documentCount(archive);
    expect(await other.invoke('uploads:import', { uploadId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await other.invoke('uploads:append', { uploadId, offset: bytes.length, base64: '' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const viewer = await clientAs(api, archive, 'viewer', 'zhao.viewer');
    const refused = await viewer.invoke('uploads:begin', { name: 'x.jpg', size: bytes.length, sha256: sha256(bytes) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(documentCount(archive)).toBe(before);
    // The owner's upload is still there, and imports.
    expect(value(await clerk.invoke('uploads:import', { uploadId }))).toMatchObject({ imported: [{ file: 'theirs.jpg' }], failed: [] });
  });
});
