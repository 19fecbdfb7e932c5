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
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SlipVaultError } from '../../../shared/errors';
import type { BackupSetInfo } from '../../../shared/model';
import type { SignedHead } from '../audit/signed-head';
import { toStorageError } from '../fs-errors';
import { openIndex } from './catalog-index';

export const CATALOG_FILE = 'catalog.json';
export const MANIFEST_ENTRY = 'backup-manifest.json';
export const FORMAT = 'slipvault-backup/2';
const SET_ID = /^\d{8}T\d{6}\d{3}Z-[0-9a-f]{6}$/;
const PARTIAL = /^\.(\d{8}T\d{6}\d{3}Z-[0-9a-f]{6})\.partial$/;

export interface Catalog {
  format: typeof FORMAT;
  setId: string;
  archiveId: string;
  createdAt: string;
  dependsOn: string[];
  /** Who can open it, as a keyed tag (keysTag): sets only rely on sets with the same keys. */
  keysTag: string;
  volumes: { file: string; bytes: number }[];
  /** The sealed CatalogIndex: blob hashes stored in this set and its document count. */
  sealedIndex: string;
  /**
   * The audit chain head of the set's snapshot, signed with the archive's anchor key: readable without any
   * age key, so verify-backup compares it with the live chain. Absent in sets written before it existed.
   */
  auditHead?: SignedHead;
}

/** Everything a restore relies on; travels encrypted as the first tar entry. */
export interface Manifest {
  format: typeof FORMAT;
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
    throw new SlipVaultError('CORRUPT_FILE', `Backup set ${setId} is damaged: its ${CATALOG_FILE} cannot be read.`, { set: setId, file: CATALOG_FILE });
  }
  if (catalog.format !== FORMAT || catalog.setId !== setId || !Array.isArray(catalog.volumes) || typeof catalog.sealedIndex !== 'string' || !Array.isArray(catalog.dependsOn)) {
    throw new SlipVaultError('CORRUPT_FILE', `Backup set ${setId} is damaged: its ${CATALOG_FILE} is not a SlipVault backup catalog.`, { set: setId, file: CATALOG_FILE });
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
  if (!isDirectory) throw new SlipVaultError('FILE_NOT_FOUND', `The backup target ${target} is not a folder (is the drive connected?).`, { target });
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

export function ensureFolder(path: string): void {
  mkdirSync(path, { recursive: true });
}
