/**
 * Backup sets as an attacker makes them with only the recipient's age public key (or, for a passphrase
 * set, with the passphrase): a whole set (manifest, files, catalog sealed and signed with keys of the
 * attacker's own) that age opens like a genuine one.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgeEncryptor, parseRecipient, type AgeRecipient } from '../../src/main/core/backup/age';
import { sealIndex } from '../../src/main/core/backup/catalog-index';
import { signCatalog } from '../../src/main/core/backup/set-signature';
import { TAR_END, tarFileHeader, tarPadding } from '../../src/main/core/backup/tar';
import { CATALOG_FILE, DATABASE_ENTRY, FORMAT, MANIFEST_ENTRY, UNSIGNED_FORMAT, newSetId, type Catalog } from '../../src/main/core/backup/target';

export interface Forgery {
  /** The age public key (age1…) the set is encrypted to, or a passphrase. */
  recipient: string | { passphrase: string };
  /** The archive the set claims to belong to (it is in every catalog, in plaintext). */
  archiveId?: string;
  /** Where the manifest says the database snapshot goes, and the name of its tar entry. */
  databasePath?: string;
  /** An unsigned set as SlipVault wrote them before sets were signed. */
  unsigned?: boolean;
  /** Makes the database entry a symbolic link to this path instead of a file. */
  databaseSymlinkTo?: string;
}

/** A ustar header for a symbolic link: type '2', the target in the link name field. */
function symlinkHeader(name: string, target: string): Buffer {
  const header = tarFileHeader(name, 0, 0);
  header.write('2', 156, 'latin1');
  header.write(target, 157, 'utf8');
  header.write('        ', 148, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return header;
}

/** Writes the forged set into `target` as its newest set; returns its id. */
export function forgeSet(target: string, forgery: Forgery): string {
  const indexKey = randomBytes(32).toString('hex');
  const setId = newSetId(new Date(), randomBytes(3).toString('hex'));
  const archiveId = forgery.archiveId ?? randomUUID();
  const databasePath = forgery.databasePath ?? DATABASE_ENTRY;
  const format = forgery.unsigned ? UNSIGNED_FORMAT : FORMAT;
  const database = forgery.databaseSymlinkTo === undefined ? Buffer.from('SQLite format 3\0 chosen by the attacker') : Buffer.alloc(0);
  const createdAt = new Date().toISOString();
  const manifest = {
    format,
    setId,
    archiveId,
    createdAt,
    documents: 0,
    auditHead: { seq: 0, hash: '0'.repeat(64) },
    database: { path: databasePath, bytes: database.length, sha256: createHash('sha256').update(database).digest('hex') },
    indexKey,
    blobs: [],
    dependsOn: [],
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const tar = Buffer.concat([
    tarFileHeader(MANIFEST_ENTRY, manifestBytes.length, 0),
    manifestBytes,
    tarPadding(manifestBytes.length),
    forgery.databaseSymlinkTo === undefined ? tarFileHeader(databasePath, database.length, 0) : symlinkHeader(databasePath, forgery.databaseSymlinkTo),
    database,
    tarPadding(database.length),
    TAR_END,
  ]);
  const recipient: AgeRecipient =
    typeof forgery.recipient === 'string' ? parseRecipient(forgery.recipient) : { kind: 'scrypt', passphrase: forgery.recipient.passphrase, workFactor: 10 };
  const encryptor = new AgeEncryptor([recipient]);
  const volume = Buffer.concat([encryptor.header, encryptor.update(tar), encryptor.final()]);
  const unsignedCatalog: Catalog = {
    format,
    setId,
    archiveId,
    createdAt,
    dependsOn: [],
    keysTag: randomBytes(16).toString('hex'),
    volumes: [{ file: 'volume-001.age', bytes: volume.length }],
    sealedIndex: sealIndex(indexKey, setId, { blobs: [], documents: 0 }),
  };
  const catalog = forgery.unsigned ? unsignedCatalog : signCatalog(indexKey, unsignedCatalog, manifestBytes);
  mkdirSync(join(target, setId));
  writeFileSync(join(target, setId, 'volume-001.age'), volume);
  writeFileSync(join(target, setId, CATALOG_FILE), JSON.stringify(catalog));
  return setId;
}
