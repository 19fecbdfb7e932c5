/**
 * Which existing backup sets still hold disposed files. Only the archive can tell: a set's blob list is
 * sealed with the archive's index key (backup/catalog-index.ts). The targets looked at are the ones named
 * by the caller, else every target this archive has backed up to (its `backup.last_backup` events).
 * A target that cannot be read now (a drive not plugged in) is reported as unchecked.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DisposalBackupHolder } from '../../../shared/model';
import type { Archive } from '../archive';
import { backupIndexKey, openIndex } from '../backup/catalog-index';
import { listSets } from '../backup/target';

export interface BackupHolders {
  holders: DisposalBackupHolder[];
  /** Targets that could not be read, so the sets there are unknown. */
  unchecked: string[];
}

/** Every folder this archive has written a backup set to, oldest first. */
export function knownBackupTargets(archive: Archive): string[] {
  // The events' JSON is read here rather than in SQL, so the same statement runs on SQLite and PostgreSQL.
  const details = archive.connection.sqlite
    .prepare(`SELECT details FROM audit_events WHERE action = 'backup.last_backup' ORDER BY seq`)
    .pluck()
    .all() as string[];
  const targets = details.map((text) => (JSON.parse(text) as { target?: unknown }).target);
  return [...new Set(targets.filter((target): target is string => typeof target === 'string'))];
}

export function backupHoldersOf(archive: Archive, hashes: ReadonlySet<string>, targets: string[]): BackupHolders {
  const indexKey = backupIndexKey(archive, false);
  const archiveId = archive.status().archiveId;
  const holders: DisposalBackupHolder[] = [];
  const unchecked: string[] = [];
  if (indexKey === null) return { holders, unchecked };
  for (const target of targets.map((path) => resolve(path))) {
    let sets;
    try {
      if (!existsSync(target)) throw new Error('absent');
      sets = listSets(target);
    } catch {
      unchecked.push(target);
      continue;
    }
    for (const catalog of sets) {
      if (catalog.archiveId !== archiveId) continue;
      const index = openIndex(indexKey, catalog.setId, catalog.sealedIndex);
      const files = index ? index.blobs.filter((hash) => hashes.has(hash)).length : 0;
      if (files > 0) holders.push({ target, setId: catalog.setId, createdAt: catalog.createdAt, files });
    }
  }
  return { holders, unchecked };
}
