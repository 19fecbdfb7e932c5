/**
 * Reads backup sets back: decrypts the volumes in order, parses the tar stream and checks every file
 * against the encrypted manifest (and the manifest against the plaintext catalog). Used by verify and by
 * restore, which writes into a staging folder and makes it visible only after the whole chain verified.
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { RestoreResult } from '../../../shared/model';
import { toStorageError } from '../fs-errors';
import { AgeDecryptor, AgeError, type AgeIdentity } from './age';
import { BufferPool, READ_PIECE, readPieces } from './io';
import { ProgressMeter, type ProgressSink } from './progress';
import { RestoreWriter } from './restore-writer';
import { TarReader, type TarEntrySink } from './tar';
import { openIndex } from './catalog-index';
import { CATALOG_FILE, MANIFEST_ENTRY, fsyncPath, listSets, type Catalog, type Manifest } from './target';

const BLOB_ENTRY = /^blobs\/([0-9a-f]{2})\/([0-9a-f]{62})$/;

interface WritePlan {
  dir: string;
  /** Where the read pieces come from; the writer holds what it has not written yet. */
  pool: BufferPool;
  writer: RestoreWriter;
  database: boolean;
  /** Blob hashes to write, or 'own': those the set's manifest says it holds; others are checked and skipped. */
  blobs: Set<string> | 'own';
}

export interface SetReadResult {
  manifest: Manifest;
  files: number;
  bytes: number;
  written: Set<string>;
}

function damaged(catalog: Catalog, why: string, details: Record<string, unknown> = {}): SlipVaultError {
  return new SlipVaultError('CORRUPT_FILE', `Backup set ${catalog.setId} is damaged or was tampered with: ${why}. Nothing was restored from it.`, { set: catalog.setId, ...details });
}

function checkVolumesPresent(target: string, catalog: Catalog): void {
  for (const volume of catalog.volumes) {
    const path = join(target, catalog.setId, volume.file);
    if (!existsSync(path)) throw damaged(catalog, `${volume.file} is missing`, { volume: volume.file });
    const size = statSync(path).size;
    if (size !== volume.bytes) {
      throw damaged(catalog, `${volume.file} has ${size} bytes, expected ${volume.bytes} (${size < volume.bytes ? 'truncated' : 'extended'})`, { volume: volume.file });
    }
  }
}

function volumesInRange(catalog: Catalog, range: { start: number; end: number }): string[] {
  const names: string[] = [];
  let start = 0;
  for (const volume of catalog.volumes) {
    const end = start + volume.bytes;
    if (range.start < end && range.end > start) names.push(volume.file);
    start = end;
  }
  return names.length > 0 ? names : [catalog.volumes[catalog.volumes.length - 1]?.file ?? 'volume-001.age'];
}

/** Entries up to this size are hashed in one piece on the thread pool (WebCrypto), beside the decryption. */
const DIGEST_IN_POOL_MAX = 16 * 1024 * 1024;
const DIGEST_BYTES_IN_FLIGHT = 64 * 1024 * 1024;

/** SHA-256 checks running on the thread pool; `settle()` bounds their memory and rethrows the first failure. */
class DigestQueue {
  private readonly inFlight: { done: Promise<void>; bytes: number }[] = [];
  private bytesInFlight = 0;
  private failure: unknown = null;

  /** WebCrypto copies the data before it returns (as its spec requires): the parts may be reused right after. */
  add(parts: Buffer[], bytes: number, check: (hex: string) => void): void {
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, bytes);
    const done = webcrypto.subtle
      .digest('SHA-256', data)
      .then((digest) => check(Buffer.from(digest).toString('hex')))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    this.inFlight.push({ done, bytes });
    this.bytesInFlight += bytes;
  }

  async settle(maxBytes = DIGEST_BYTES_IN_FLIGHT): Promise<void> {
    while (this.inFlight.length > 0 && (this.bytesInFlight > maxBytes || maxBytes === 0)) {
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.bytesInFlight -= oldest.bytes;
    }
    if (this.failure) throw this.failure;
  }
}

/** Decrypts one set and checks every entry; writes the planned files when a plan is given. */
export async function readSet(target: string, catalog: Catalog, identities: AgeIdentity[], plan?: WritePlan, progress?: ProgressMeter): Promise<SetReadResult> {
  checkVolumesPresent(target, catalog);
  let manifest: Manifest | null = null;
  let ownBlobs: Set<string> | null = null;
  let files = 0;
  let bytes = 0;
  const seen = new Set<string>();
  const written = new Set<string>();

  const digests = new DigestQueue();
  const pool = plan?.pool ?? new BufferPool(READ_PIECE);
  const wanted = (plan: WritePlan, blobHash: string) => (plan.blobs === 'own' ? ownBlobs!.has(blobHash) : plan.blobs.has(blobHash));
  const onEntry = (name: string, size: number): TarEntrySink => {
    const hash = size > DIGEST_IN_POOL_MAX ? createHash('sha256') : null;
    const parts: Buffer[] = [];
    if (files === 0 && name !== MANIFEST_ENTRY) throw damaged(catalog, 'the stream does not start with its manifest');
    files += 1;
    let out: TarEntrySink | null = null;
    const blob = BLOB_ENTRY.exec(name);
    if (name === MANIFEST_ENTRY) {
      if (files !== 1) throw damaged(catalog, 'it holds a second manifest');
    } else if (!manifest) {
      throw damaged(catalog, 'its manifest is missing');
    } else if (name === manifest.database.path) {
      if (size !== manifest.database.bytes) throw damaged(catalog, 'the database snapshot has the wrong size');
      if (plan?.database) out = plan.writer.file(join(plan.dir, name));
    } else if (blob) {
      const blobHash = blob[1]! + blob[2]!;
      if (plan && wanted(plan, blobHash)) out = plan.writer.file(join(plan.dir, name));
    } else {
      throw damaged(catalog, `it holds an unexpected file ${name}`);
    }
    return {
      data(chunk) {
        if (hash) hash.update(chunk);
        else {
          pool.retain(chunk);
          parts.push(chunk);
        }
        bytes += chunk.length;
        progress?.bytes(chunk.length);
        out?.data(chunk);
      },
      end() {
        out?.end();
        try {
          if (name === MANIFEST_ENTRY) {
            manifest = parseManifest(catalog, Buffer.concat(parts));
            ownBlobs = new Set(manifest.blobs.filter((entry) => entry.set === catalog.setId).map((entry) => entry.hash));
            progress?.grow(ownBlobs.size);
          } else if (hash) check(hash.digest('hex'));
          else digests.add(parts, size, check);
        } finally {
          for (const part of parts) pool.release(part);
        }
      },
    };
    function check(digest: string): void {
      if (name === manifest!.database.path) {
        if (digest !== manifest!.database.sha256) throw damaged(catalog, 'the database snapshot does not match its SHA-256');
        seen.add(name);
        if (plan?.database) written.add(name);
        return;
      }
      const blobHash = blob![1]! + blob![2]!;
      if (digest !== blobHash) throw damaged(catalog, `blob ${blobHash} does not match its SHA-256`);
      if (!ownBlobs!.has(blobHash)) throw damaged(catalog, `blob ${blobHash} is not listed in its manifest`);
      seen.add(blobHash);
      if (plan && wanted(plan, blobHash)) written.add(blobHash);
      progress?.fileDone(0);
    }
  };

  const decryptor = new AgeDecryptor(identities);
  const tar = new TarReader(onEntry);
  let offset = 0;
  try {
    for (const volume of catalog.volumes) {
      for await (const piece of readPieces(join(target, catalog.setId, volume.file), READ_PIECE, pool)) {
        offset += piece.length;
        // Decrypted in place: the entries' sinks hold on to the views of `piece` they keep.
        for (const plain of decryptor.push(piece)) tar.push(plain);
        pool.release(piece);
        await plan?.writer.settle();
        await digests.settle();
      }
    }
    for (const plain of decryptor.end()) tar.push(plain);
    tar.finish();
    await digests.settle(0);
  } catch (error) {
    if (error instanceof SlipVaultError) throw error;
    if (error instanceof AgeError) {
      if (error.failure === 'no-match') {
        const first = catalog.volumes[0]?.file ?? 'volume-001.age';
        throw new SlipVaultError(
          'WRONG_KEY',
          `The passphrase or identity does not open backup set ${catalog.setId} (or the key slot in the header of ${first} is damaged); nothing was restored.`,
          { set: catalog.setId, volume: first },
        );
      }
      const volumes = error.range ? volumesInRange(catalog, error.range) : [catalog.volumes[0]?.file ?? 'volume-001.age'];
      throw damaged(catalog, `${volumes.join(' / ')} failed authentication (${error.message})`, { volume: volumes[0], volumes });
    }
    const volumes = volumesInRange(catalog, { start: Math.max(0, offset - READ_PIECE), end: offset });
    throw damaged(catalog, `${(error as Error).message} in ${volumes.join(' / ')}`, { volume: volumes[0] });
  }
  const finalManifest = manifest as Manifest | null;
  if (!finalManifest) throw damaged(catalog, 'its manifest is missing');
  if (!seen.has(finalManifest.database.path)) throw damaged(catalog, 'its database snapshot is missing');
  const own = finalManifest.blobs.filter((entry) => entry.set === catalog.setId).map((entry) => entry.hash);
  if (own.some((hash) => !seen.has(hash))) throw damaged(catalog, 'blobs listed in its manifest are missing');
  const index = openIndex(finalManifest.indexKey, catalog.setId, catalog.sealedIndex);
  if (!index || own.length !== index.blobs.length || [...index.blobs].sort().join() !== [...own].sort().join()) {
    throw damaged(catalog, `its ${CATALOG_FILE} does not match its encrypted manifest`, { file: CATALOG_FILE });
  }
  return { manifest: finalManifest, files, bytes, written };
}

function parseManifest(catalog: Catalog, bytes: Buffer): Manifest {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw damaged(catalog, 'its manifest is not valid JSON');
  }
  if (manifest.setId !== catalog.setId || manifest.archiveId !== catalog.archiveId) {
    throw damaged(catalog, 'its encrypted manifest belongs to a different set (volumes swapped?)');
  }
  if ([...manifest.dependsOn].sort().join() !== [...catalog.dependsOn].sort().join()) {
    throw damaged(catalog, `its ${CATALOG_FILE} lists different dependencies than its manifest`, { file: CATALOG_FILE });
  }
  return manifest;
}

export function findSet(target: string, setId?: string): { chosen: Catalog; all: Catalog[] } {
  const all = listSets(target);
  const chosen = setId ? all.find((catalog) => catalog.setId === setId) : all[all.length - 1];
  if (!chosen) {
    throw new SlipVaultError('NOT_FOUND', setId ? `There is no backup set ${setId} in ${target}.` : `There is no backup set in ${target}.`, { target });
  }
  return { chosen, all };
}

/** Restores `setId` (default: the newest) with everything it relies on into an empty or new folder. */
export async function restoreBackup(
  fromTarget: string,
  intoFolder: string,
  identities: AgeIdentity[],
  options: { setId?: string; progress?: ProgressSink } = {},
): Promise<RestoreResult> {
  const target = resolve(fromTarget);
  const into = resolve(intoFolder);
  if (existsSync(into)) {
    if (!statSync(into).isDirectory()) throw new SlipVaultError('VALIDATION', `${into} is a file; restore needs an empty or new folder.`);
    if (readdirSync(into).length > 0) throw new SlipVaultError('VALIDATION', `${into} is not empty; restore only into an empty or new folder, nothing was changed.`);
  }
  const { chosen, all } = findSet(target, options.setId);
  const byId = new Map(all.map((catalog) => [catalog.setId, catalog]));
  for (const dependency of chosen.dependsOn) {
    if (!byId.has(dependency)) throw new SlipVaultError('NOT_FOUND', `Backup set ${chosen.setId} relies on set ${dependency}, which is not in ${target}.`, { set: chosen.setId, missing: dependency });
  }
  const staging = join(dirname(into), `.${basename(into)}.restore-${randomBytes(4).toString('hex')}`);
  const chain = [chosen, ...chosen.dependsOn.map((id) => byId.get(id)!)];
  const bytesTotal = chain.reduce((sum, catalog) => sum + catalog.volumes.reduce((s, v) => s + v.bytes, 0), 0);
  const meter = new ProgressMeter('restore', 0, bytesTotal, options.progress);
  const pool = new BufferPool(READ_PIECE);
  const writer = new RestoreWriter(pool);
  try {
    mkdirSync(dirname(into), { recursive: true });
    mkdirSync(staging);
    const newest = await readSet(target, chosen, identities, { dir: staging, pool, writer, database: true, blobs: 'own' }, meter);
    let files = newest.files;
    let bytes = newest.bytes;
    const restored = new Set(newest.written);
    for (const dependency of chain.slice(1)) {
      const wanted = new Set(newest.manifest.blobs.filter((entry) => entry.set === dependency.setId).map((entry) => entry.hash));
      const result = await readSet(target, dependency, identities, { dir: staging, pool, writer, database: false, blobs: wanted }, meter);
      for (const hash of result.written) restored.add(hash);
      files += result.files;
      bytes += result.bytes;
    }
    const missing = newest.manifest.blobs.filter((entry) => !restored.has(entry.hash));
    if (missing.length > 0) throw damaged(chosen, `${missing.length} blobs it relies on were not found in the sets it names`);
    mkdirSync(join(staging, 'tmp'));
    await writer.finish();
    fsyncPath(staging);
    if (existsSync(into)) rmdirSync(into);
    renameSync(staging, into);
    fsyncPath(dirname(into));
    meter.finish();
    return { setId: chosen.setId, path: into, files, bytes, setsRead: chain.map((catalog) => catalog.setId) };
  } catch (error) {
    await writer.abandon();
    rmSync(staging, { recursive: true, force: true });
    throw toStorageError(error, `The restore into ${into} failed`);
  }
}
