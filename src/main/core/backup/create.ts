/**
 * Writes one backup set: a consistent database snapshot (SQLite online backup API, so filing goes on; an
 * archive on PostgreSQL is read in one REPEATABLE READ snapshot and written as an SQLite database,
 * pg-snapshot.ts, so the set's format is the same), every blob that no earlier set on the target holds, and a manifest, as one ustar stream encrypted to
 * age and split into volumes. Written under `.<setId>.partial/`, fsynced, then renamed: an interrupted run
 * leaves earlier sets untouched and its leftovers are removed by the next run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SlipVaultError } from '../../../shared/errors';
import type { BackupResult } from '../../../shared/model';
import type { Archive } from '../archive';
import { GENESIS_HASH } from '../audit/chain-hash';
import type { ChainHead, SignedHead } from '../audit/signed-head';
import { BlobStore } from '../store/blobs';
import { onPostgres } from '../db/pg-sync/pg-connection';
import { toStorageError } from '../fs-errors';
import { AgeEncryptor, type AgeRecipient } from './age';
import { bech32Encode } from './bech32';
import { backupIndexKey, keysTag, openIndex, sealIndex } from './catalog-index';
import { runBackupJob } from './jobs';
import { BufferPool } from './buffer-pool';
import { MAX_BYTES_IN_FLIGHT, readPieces, WriteQueue } from './io';
import { snapshotPostgresArchive } from './pg-snapshot';
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
  newSetId,
  partialDirName,
  removeLeftovers,
  volumeName,
  type Manifest,
} from './target';

export const DEFAULT_VOLUME_BYTES = 2 * 1024 ** 3;
export const MIN_VOLUME_BYTES = 64 * 1024;
/**
 * Bytes of blobs read ahead of the one being encrypted. With a cold page cache four blobs (~2 MiB) left the
 * disk idle while this thread encrypted: 8 MiB took a 1 GiB backup from 2.28 to ~1.9 s here (32 MiB: 2.1 s,
 * more memory to fill and evict). Counted in bytes, not blobs, so a run of large PDFs cannot pile up in memory.
 */
const READ_AHEAD_BYTES = 8 * 1024 ** 2;
/** How far the disk may read ahead while a passphrase's scrypt runs: the memory it holds meanwhile. */
const READ_AHEAD_WHILE_KEYING_BYTES = 128 * 1024 ** 2;

export interface BackupOptions {
  target: string;
  recipients: AgeRecipient[];
  volumeBytes?: number;
  /** Write every blob again, making a self-contained set (after which older sets can be pruned). */
  full?: boolean;
  progress?: ProgressSink;
}

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

/** A killed run leaves its snapshot in the archive's tmp folder; the writer lock says no other run is live. */
function removeStaleSnapshots(tmpDir: string): void {
  for (const name of readdirSync(tmpDir)) if (/^backup-.+\.db(-journal|-wal|-shm)?$/.test(name)) rmSync(join(tmpDir, name), { force: true });
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

/**
 * Takes the snapshot here (the online backup API steps through the pages between other work, so filing
 * goes on) and leaves the rest to a worker thread; records the set in the archive when it is complete.
 */
export async function createBackup(archive: Archive, options: BackupOptions): Promise<BackupResult> {
  const target = resolve(options.target);
  const volumeBytes = options.volumeBytes ?? DEFAULT_VOLUME_BYTES;
  if (!Number.isInteger(volumeBytes) || volumeBytes < MIN_VOLUME_BYTES) {
    throw new SlipVaultError('VALIDATION', `The volume size must be at least ${MIN_VOLUME_BYTES} bytes.`).withMessage('backup.volumeTooSmall', {
      bytes: MIN_VOLUME_BYTES,
    });
  }
  assertTargetFolder(target);
  removeStaleSnapshots(join(archive.dir, 'tmp'));
  const now = new Date();
  const setId = newSetId(now, randomBytes(3).toString('hex'));
  const snapshotPath = join(archive.dir, 'tmp', `backup-${setId}.db`);
  // Created before the snapshot, so a restored archive keeps it and continues incremental sets.
  const indexKey = backupIndexKey(archive, true)!;
  try {
    let snapshotHead: ChainHead;
    try {
      // The set format is the same for both back ends: an archive on PostgreSQL is snapshot as an SQLite database.
      if (onPostgres(archive.connection.sqlite)) await snapshotPostgresArchive(archive, snapshotPath, target, options.progress);
      else await archive.connection.sqlite.backup(snapshotPath);
      // A self-contained file: readers of the snapshot (and of a restore) then leave no -wal/-shm beside it.
      const snapshot = new Database(snapshotPath);
      try {
        snapshot.pragma('journal_mode = DELETE');
        snapshotHead = (snapshot.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined) ?? {
          seq: 0,
          hash: GENESIS_HASH,
        };
      } finally {
        snapshot.close();
      }
      fsyncPath(snapshotPath);
    } catch (error) {
      throw toStorageError(error, `The database snapshot for the backup to ${target} failed`);
    }
    const job: WriteSetJob = {
      target,
      archiveDir: archive.dir,
      archiveId: archive.status().archiveId,
      indexKey,
      snapshotPath,
      setId,
      createdAt: now.toISOString(),
      recipients: options.recipients,
      volumeBytes,
      full: options.full === true,
      auditHead: archive.audit.anchoring.signHead(snapshotHead, 'backup'),
    };
    const result = await runBackupJob({ kind: 'write-set', job }, options.progress);
    archive.recordBackup('last_backup', { setId, target, at: job.createdAt }, { blobsWritten: result.set.blobs ?? 0, blobsReused: result.blobsReused });
    return result;
  } finally {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${snapshotPath}${suffix}`, { force: true });
  }
}
