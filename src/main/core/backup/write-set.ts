/**
 * The writing half of a backup, run on the backup worker (worker.ts): every blob that no earlier set on the
 * target holds, the database snapshot create.ts took, and a manifest, as one ustar stream encrypted to age and
 * split into volumes. Written under `.<setId>.partial/`, fsynced, then renamed: an interrupted run leaves
 * earlier sets untouched and its leftovers are removed by the next run. Kept apart from create.ts so the
 * worker's bundle holds none of what taking a snapshot needs (the PostgreSQL snapshot, the migrations).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SlipVaultError } from '../../../shared/errors';
import type { BackupResult } from '../../../shared/model';
import type { SignedHead } from '../audit/signed-head';
import { BlobStore } from '../store/blobs';
import { toStorageError } from '../fs-errors';
import { AgeEncryptor, type AgeRecipient } from './age';
import { bech32Encode } from './bech32';
import { keysTag, openIndex, sealIndex } from './catalog-index';
import { BufferPool } from './buffer-pool';
import { MAX_BYTES_IN_FLIGHT, readPieces, WriteQueue } from './io';
import { ProgressMeter, type ProgressSink } from './progress';
import { signCatalog } from './set-signature';
import { TAR_END, tarFileHeader, tarPadding } from './tar';
import {
  CATALOG_FILE,
  DATABASE_ENTRY,
  FORMAT,
  MANIFEST_ENTRY,
  assertTargetFolder,
  describeSet,
  fsyncPath,
  listSets,
  partialDirName,
  removeLeftovers,
  volumeName,
  type Manifest,
} from './target';

/**
 * Bytes of blobs read ahead of the one being encrypted. With a cold page cache four blobs (~2 MiB) left the
 * disk idle while this thread encrypted: 8 MiB took a 1 GiB backup from 2.28 to ~1.9 s here (32 MiB: 2.1 s,
 * more memory to fill and evict). Counted in bytes, not blobs, so a run of large PDFs cannot pile up in memory.
 */
const READ_AHEAD_BYTES = 8 * 1024 ** 2;
/** How far the disk may read ahead while a passphrase's scrypt runs: the memory it holds meanwhile. */
const READ_AHEAD_WHILE_KEYING_BYTES = 128 * 1024 ** 2;

/** Cuts the encrypted stream into volume files of at most `limit` bytes each, fsynced as they close. */
class VolumeWriter {
  readonly volumes: { file: string; bytes: number }[] = [];
  private readonly queue = new WriteQueue();
  private fd: number | null = null;
  private written = 0;

  constructor(
    private readonly dir: string,
    private readonly limit: number,
  ) {}

  /** `data` must not be changed afterwards: it is written in the background, then `written` is called. */
  async write(data: Buffer, written?: () => void): Promise<void> {
    const parts: Promise<void>[] = [];
    let offset = 0;
    while (offset < data.length) {
      if (this.fd === null || this.written === this.limit) await this.next();
      const take = Math.min(this.limit - this.written, data.length - offset);
      parts.push(this.queue.add(this.fd!, data.subarray(offset, offset + take), this.written));
      offset += take;
      this.written += take;
      this.volumes[this.volumes.length - 1]!.bytes = this.written;
    }
    if (written) void Promise.all(parts).then(written);
    await this.queue.settle();
  }

  /** Lets go of the open volume after a failure, so the drive can be unmounted. */
  async abandon(): Promise<void> {
    await this.queue.abandon();
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  async close(): Promise<void> {
    if (this.fd === null) return;
    await this.queue.settle(0);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }

  private async next(): Promise<void> {
    await this.close();
    const file = volumeName(this.volumes.length);
    this.fd = openSync(join(this.dir, file), 'wx');
    this.written = 0;
    this.volumes.push({ file, bytes: 0 });
  }
}

/** A blob read whole into a buffer from `pool`; its size must still be the one the manifest lists. */
async function readBlob(path: string, bytes: number, pool: BufferPool): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const data = pool.take(bytes);
    let done = 0;
    while (done < bytes) {
      const { bytesRead } = await file.read(data, done, bytes - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done !== bytes) {
      throw new SlipVaultError('CORRUPT_FILE', `The stored file ${path} changed size while it was backed up (${bytes} bytes listed).`, {
        file: path,
        bytes,
      }).withMessage('backup.blobChangedSize', { file: path, bytes: String(bytes) });
    }
    return data;
  } finally {
    await file.close();
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of readPieces(path)) hash.update(piece);
  return hash.digest('hex');
}

function describeKeys(recipients: AgeRecipient[]): string[] {
  return recipients.map((recipient) => (recipient.kind === 'scrypt' ? 'passphrase' : bech32Encode('age', recipient.publicKey))).sort();
}

/** Everything the writing half of a backup needs; plain data, so it can cross to a worker thread. */
export interface WriteSetJob {
  target: string;
  archiveDir: string;
  archiveId: string;
  /** The archive's backup index key (hex): seals this set's blob list, opens the earlier ones. */
  indexKey: string;
  snapshotPath: string;
  setId: string;
  createdAt: string;
  recipients: AgeRecipient[];
  volumeBytes: number;
  full: boolean;
  /** The snapshot's audit chain head, signed for the catalog; null when the anchor key could not be used. */
  auditHead: SignedHead | null;
}

/** The part of a backup that runs off the main thread: every read, hash, seal and write on the target. */
export async function writeSet(job: WriteSetJob, progress?: ProgressSink): Promise<BackupResult> {
  const { target, setId } = job;
  assertTargetFolder(target);
  const leftoversRemoved = removeLeftovers(target);
  const tag = keysTag(job.indexKey, describeKeys(job.recipients));
  // Only signed sets: a set relying on an unsigned one could not be restored from public keys.
  const earlier = job.full
    ? []
    : listSets(target).filter((catalog) => catalog.format === FORMAT && catalog.archiveId === job.archiveId && catalog.keysTag === tag);
  const holderOf = new Map<string, string>();
  // The newest holder wins, so that after a --full set nothing relies on the sets before it.
  for (const catalog of earlier) {
    const index = openIndex(job.indexKey, catalog.setId, catalog.sealedIndex);
    if (!index)
      throw new SlipVaultError('CORRUPT_FILE', `Backup set ${catalog.setId} is damaged: its ${CATALOG_FILE} cannot be opened with this archive's key.`, {
        set: catalog.setId,
        file: CATALOG_FILE,
      }).withMessage('backup.catalogKey', { set: catalog.setId });
    for (const hash of index.blobs) holderOf.set(hash, catalog.setId);
  }

  const partial = join(target, partialDirName(setId));
  let volumes: VolumeWriter | undefined;
  // A passphrase's scrypt (slow by design) runs on the thread pool while this thread lists the files
  // and the disk reads the first of them.
  const encryptorReady = AgeEncryptor.offThread(job.recipients);
  encryptorReady.catch(() => undefined); // a failure surfaces where it is awaited
  try {
    const snapshot = new Database(job.snapshotPath, { readonly: true });
    let auditHead: { seq: number; hash: string };
    let documents: number;
    // Files an approved disposal removed (docs/retention.md): never backed up again, even if still on disk.
    let disposed: Set<string>;
    try {
      auditHead = (snapshot.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? {
        seq: 0,
        hash: '0'.repeat(64),
      };
      documents = snapshot.prepare('SELECT count(*) FROM documents').pluck().get() as number;
      disposed = new Set(snapshot.prepare('SELECT blob_hash FROM disposed_blobs').pluck().all() as string[]);
    } finally {
      snapshot.close();
    }
    // Blobs are written before the rows that refer to them commit, so every blob the snapshot refers to
    // is already on disk here; a few newer ones may ride along.
    const store = new BlobStore(job.archiveDir);
    const blobs = store
      .list()
      .filter((hash) => !disposed.has(hash))
      .sort()
      .map((hash) => ({ hash, bytes: 0, set: holderOf.get(hash) ?? setId }));
    const mtimes = new Map<string, number>();
    for (const blob of blobs) {
      const stat = statSync(store.pathOf(blob.hash));
      blob.bytes = stat.size;
      if (blob.set === setId) mtimes.set(blob.hash, stat.mtimeMs);
    }
    const fresh = blobs.filter((blob) => blob.set === setId);
    const dependsOn = [...new Set(blobs.map((blob) => blob.set).filter((set) => set !== setId))].sort();
    const database = { path: DATABASE_ENTRY, bytes: statSync(job.snapshotPath).size, sha256: await sha256File(job.snapshotPath) };
    const manifest: Manifest = {
      format: FORMAT,
      setId,
      archiveId: job.archiveId,
      createdAt: job.createdAt,
      documents,
      auditHead,
      database,
      indexKey: job.indexKey,
      blobs,
      dependsOn,
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest));
    const stamp = Date.parse(job.createdAt);

    // Read blobs ahead so the disk works while this thread encrypts (and while the key is derived).
    const pool = new BufferPool(READ_AHEAD_WHILE_KEYING_BYTES + MAX_BYTES_IN_FLIGHT);
    const ahead: Promise<Buffer>[] = [];
    let started = 0;
    let bytesAhead = 0;
    const readAhead = (budget: number) => {
      while (started < fresh.length && (ahead.length === 0 || bytesAhead < budget)) {
        const blob = fresh[started++]!;
        const reading = readBlob(store.pathOf(blob.hash), blob.bytes, pool);
        reading.catch(() => undefined); // a failure surfaces when awaited; blobs read ahead of it must not crash the process
        ahead.push(reading);
        bytesAhead += blob.bytes;
      }
    };
    readAhead(READ_AHEAD_WHILE_KEYING_BYTES);

    mkdirSync(partial);
    const out = new VolumeWriter(partial, job.volumeBytes);
    volumes = out;
    const encryptor = await encryptorReady;
    const meter = new ProgressMeter('backup', fresh.length + 2, database.bytes + fresh.reduce((sum, blob) => sum + blob.bytes, 0), progress);
    const sealed = (bytes: number) => pool.take(bytes);
    const put = (data: Buffer) => {
      const ciphertext = encryptor.update(data, sealed);
      return out.write(ciphertext, () => pool.give(ciphertext));
    };
    await out.write(encryptor.header);
    await put(Buffer.concat([tarFileHeader(MANIFEST_ENTRY, manifestBytes.length, stamp), manifestBytes, tarPadding(manifestBytes.length)]));
    meter.fileDone(0);

    await put(tarFileHeader(database.path, database.bytes, stamp));
    for await (const piece of readPieces(job.snapshotPath)) {
      await put(piece);
      meter.bytes(piece.length);
    }
    await put(tarPadding(database.bytes));
    meter.fileDone(0);

    for (const blob of fresh) {
      readAhead(READ_AHEAD_BYTES);
      const data = await ahead.shift()!;
      bytesAhead -= blob.bytes;
      await put(tarFileHeader(`blobs/${blob.hash.slice(0, 2)}/${blob.hash.slice(2)}`, data.length, mtimes.get(blob.hash)!));
      await put(data);
      pool.give(data); // sealed into the ciphertext: free again
      await put(tarPadding(data.length));
      meter.fileDone(data.length);
    }
    await put(TAR_END);
    await out.write(encryptor.final());
    await out.close();

    const sealedIndex = sealIndex(job.indexKey, setId, { blobs: fresh.map((blob) => blob.hash), documents });
    const catalog = signCatalog(
      job.indexKey,
      {
        format: FORMAT,
        setId,
        archiveId: job.archiveId,
        createdAt: job.createdAt,
        dependsOn,
        keysTag: tag,
        volumes: out.volumes,
        sealedIndex,
        // Signed by the anchor key on its own; not part of the set signature's message.
        ...(job.auditHead ? { auditHead: job.auditHead } : {}),
      },
      manifestBytes,
    );
    writeFileSync(join(partial, CATALOG_FILE), JSON.stringify(catalog, null, 2), { flag: 'wx' });
    fsyncPath(join(partial, CATALOG_FILE));
    fsyncPath(partial);
    renameSync(partial, join(target, setId));
    fsyncPath(target);
    meter.finish();
    return { set: describeSet(target, catalog, job.indexKey), blobsReused: blobs.length - fresh.length, leftoversRemoved };
  } catch (error) {
    try {
      await volumes?.abandon();
      rmSync(partial, { recursive: true, force: true });
    } catch {
      // The drive vanished: the next run removes the leftover.
    }
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'EIO' || code === 'ENODEV' || code === 'ENXIO') && !existsSync(partial)) {
      throw new SlipVaultError(
        'FILE_NOT_FOUND',
        `The backup to ${target} stopped: the drive went away while it was written (unplugged?). Earlier sets are untouched; reconnect it and run the backup again, which also removes what this run left.`,
        { target, set: setId },
      ).withMessage('backup.driveGone', { target });
    }
    throw toStorageError(error, `The backup to ${target} failed`);
  }
}
