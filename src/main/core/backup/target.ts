/**
 * The layout of a backup target folder. Each finished set is a folder `<setId>/` holding its encrypted
 * volumes `volume-001.age`, `volume-002.age`, … (together one age file) and `catalog.json`: in plaintext
 * only the set's id, time, archive id, the sets it relies on and its volume sizes; its blob list and counts
 * are sealed with the archive's index key (catalog-index.ts), so an incremental run needs no age key and
 * the drive alone does not reveal content fingerprints; the signed audit chain head is plaintext on
 * purpose (verify-backup compares it with the live chain). Everything a restore trusts is inside the
 * encrypted stream; the catalog is cross-checked against it. A set is written as `.<setId>.partial/` and
 * renamed when complete.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { BackupSetInfo } from '../../../shared/model';
import type { SignedHead } from '../audit/signed-head';
import { toStorageError } from '../fs-errors';
import { openIndex } from './catalog-index';

export const CATALOG_FILE = 'catalog.json';
export const MANIFEST_ENTRY = 'backup-manifest.json';
/** The one name a set's database snapshot has in its tar stream and in a restored archive. */
export const DATABASE_ENTRY = 'slipvault.db';
/** Sets of this format are signed (set-signature.ts). */
export const FORMAT = 'slipvault-backup/3';
/** Sets written before sets were signed: listed and pruned, restored only when a passphrase opens them. */
export const UNSIGNED_FORMAT = 'slipvault-backup/2';
const SET_ID = /^\d{8}T\d{6}\d{3}Z-[0-9a-f]{6}$/;
const PARTIAL = /^\.(\d{8}T\d{6}\d{3}Z-[0-9a-f]{6})\.partial$/;

export interface Catalog {
  format: typeof FORMAT | typeof UNSIGNED_FORMAT;
  setId: string;
  archiveId: string;
  createdAt: string;
  dependsOn: string[];
  /** Who can open it, as a keyed tag (keysTag): sets only rely on sets with the same keys. */
  keysTag: string;
  volumes: { file: string; bytes: number }[];
  /** The sealed CatalogIndex: blob hashes stored in this set and its document count. */
  sealedIndex: string;
  /** The archive's backup signer (slipvault-signer1…) and its Ed25519 signature (base64); absent in unsigned sets. */
  signer?: string;
  signature?: string;
  /**
   * The audit chain head of the set's snapshot, signed with the archive's anchor key: readable without any
   * age key, so verify-backup compares it with the live chain. Absent in sets written before it existed.
   */
  auditHead?: SignedHead;
}

/** Everything a restore relies on; travels encrypted as the first tar entry. */
export interface Manifest {
  format: Catalog['format'];
  setId: string;
  archiveId: string;
  createdAt: string;
  documents: number;
  auditHead: { seq: number; hash: string };
  database: { path: string; bytes: number; sha256: string };
  /** The archive's backup index key (hex), so a restore without the archive can open the catalogs' sealed index. */
  indexKey: string;
  /** Every blob of the archive at snapshot time and the set that holds it. */
  blobs: { hash: string; bytes: number; set: string }[];
  dependsOn: string[];
}

export function volumeName(index: number): string {
  return `volume-${String(index + 1).padStart(3, '0')}.age`;
}

export function isSetId(text: unknown): text is string {
  return typeof text === 'string' && SET_ID.test(text);
}

/** The refusal for a set whose content is not what its archive wrote. */
export function damaged(catalog: Catalog, why: string, details: Record<string, unknown> = {}): SlipVaultError {
  return new SlipVaultError('CORRUPT_FILE', `Backup set ${catalog.setId} is damaged or was tampered with: ${why}. Nothing was restored from it.`, {
    set: catalog.setId,
    ...details,
  }).withMessage('backup.tampered', { set: catalog.setId });
}

export function newSetId(now: Date, random: string): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${random}`;
}

export function partialDirName(setId: string): string {
  return `.${setId}.partial`;
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readCatalog(target: string, setId: string): Catalog {
  const path = join(target, setId, CATALOG_FILE);
  let catalog: Catalog;
  try {
    catalog = JSON.parse(readFileSync(path, 'utf8')) as Catalog;
  } catch {
    throw new SlipVaultError('CORRUPT_FILE', `Backup set ${setId} is damaged: its ${CATALOG_FILE} cannot be read.`, {
      set: setId,
      file: CATALOG_FILE,
    }).withMessage('backup.catalogUnreadable', { set: setId });
  }
  if (
    (catalog.format !== FORMAT && catalog.format !== UNSIGNED_FORMAT) ||
    catalog.setId !== setId ||
    typeof catalog.archiveId !== 'string' ||
    typeof catalog.sealedIndex !== 'string' ||
    !Array.isArray(catalog.dependsOn) ||
    !catalog.dependsOn.every(isSetId) ||
    (catalog.format === FORMAT && (typeof catalog.signer !== 'string' || typeof catalog.signature !== 'string'))
  ) {
    throw new SlipVaultError('CORRUPT_FILE', `Backup set ${setId} is damaged: its ${CATALOG_FILE} is not a SlipVault backup catalog.`, {
      set: setId,
      file: CATALOG_FILE,
    }).withMessage('backup.notACatalog', { set: setId });
  }
  // Volume names become paths that are read: only the names a backup writes, in order.
  const volumesValid =
    Array.isArray(catalog.volumes) &&
    catalog.volumes.length > 0 &&
    catalog.volumes.every((volume, index) => volume?.file === volumeName(index) && Number.isSafeInteger(volume.bytes) && volume.bytes > 0);
  if (!volumesValid) {
    throw new SlipVaultError(
      'CORRUPT_FILE',
      `Backup set ${setId} is damaged: its ${CATALOG_FILE} lists volumes other than volume-001.age, volume-002.age, … in order.`,
      { set: setId, file: CATALOG_FILE },
    ).withMessage('backup.volumesOutOfOrder', { set: setId });
  }
  return catalog;
}

export function assertTargetFolder(target: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory)
    throw new SlipVaultError('FILE_NOT_FOUND', `The backup target ${target} is not a folder (is the drive connected?).`, { target }).withMessage(
      'backup.targetMissing',
      { target },
    );
}

/** Finished sets on the target, oldest first. */
export function listSets(target: string): Catalog[] {
  assertTargetFolder(target);
  return readdirSync(target)
    .filter((name) => SET_ID.test(name))
    .sort()
    .map((setId) => readCatalog(target, setId));
}

/** `indexKey` (the archive's) opens the sealed counts; without it they are unknown (null). */
export function describeSet(target: string, catalog: Catalog, indexKey: string | null): BackupSetInfo {
  const index = indexKey ? openIndex(indexKey, catalog.setId, catalog.sealedIndex) : null;
  return {
    setId: catalog.setId,
    archiveId: catalog.archiveId,
    createdAt: catalog.createdAt,
    bytes: catalog.volumes.reduce((sum, volume) => sum + volume.bytes, 0),
    volumes: catalog.volumes.length,
    blobs: index ? index.blobs.length : null,
    documents: index ? index.documents : null,
    dependsOn: catalog.dependsOn,
    path: join(target, catalog.setId),
  };
}

/** Removes what an interrupted run left (its `.partial` folders); returns their set ids. */
export function removeLeftovers(target: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(target)) {
    const match = PARTIAL.exec(name);
    if (!match) continue;
    try {
      rmSync(join(target, name), { recursive: true, force: true });
    } catch (error) {
      throw toStorageError(error, `Could not remove the unfinished backup ${name} from ${target}`);
    }
    removed.push(match[1]!);
  }
  return removed;
}
