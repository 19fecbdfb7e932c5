/** Damaging stored files on purpose in fault tests, and catching the refusal that must follow. */
import { closeSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AgeDecryptor, AgeEncryptor, type AgeIdentity, type AgeRecipient } from '../../src/main/core/backup/age';
import { TAR_END, TarReader, tarFileHeader, tarPadding } from '../../src/main/core/backup/tar';
import { CATALOG_FILE, type Catalog } from '../../src/main/core/backup/target';
import { SlipVaultError } from '../../src/shared/errors';

/** Flips one bit of the byte at `position`; flipping it again restores the file. */
export function flipByte(path: string, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, position);
    byte[0]! ^= 0x20;
    writeSync(fd, byte, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}

/** The SlipVaultError `work` rejects with; anything else (or success) fails the test. */
export async function refusalFrom(work: () => Promise<unknown>): Promise<SlipVaultError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SlipVaultError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but it succeeded');
}

export interface SetEntry {
  name: string;
  data: Buffer;
}

/**
 * Decrypts a whole set, lets `edit` change its tar entries and encrypts the result again to `recipients`,
 * as one volume with a catalog to match: a set whose age stream is intact but whose content is not what a
 * backup of the archive wrote (a set forged with the recipient's public key, or one an older version wrote
 * from a blob already damaged on disk).
 */
export function rewriteSet(
  target: string,
  catalog: Catalog,
  identities: AgeIdentity[],
  recipients: AgeRecipient[],
  edit: (entries: SetEntry[]) => void,
  editCatalog: (catalog: Catalog) => Catalog = (stored) => stored,
): void {
  const decryptor = new AgeDecryptor(identities);
  const plain: Buffer[] = [];
  for (const volume of catalog.volumes) {
    for (const part of decryptor.push(readFileSync(join(target, catalog.setId, volume.file)))) plain.push(Buffer.from(part));
  }
  for (const part of decryptor.end()) plain.push(Buffer.from(part));
  const entries: SetEntry[] = [];
  const reader = new TarReader((name) => {
    const parts: Buffer[] = [];
    return { data: (chunk) => parts.push(Buffer.from(chunk)), end: () => entries.push({ name, data: Buffer.concat(parts) }) };
  });
  reader.push(Buffer.concat(plain));
  reader.finish();
  edit(entries);
  const tar = Buffer.concat([...entries.flatMap(({ name, data }) => [tarFileHeader(name, data.length, 0), data, tarPadding(data.length)]), TAR_END]);
  const encryptor = new AgeEncryptor(recipients);
  const volume = Buffer.concat([encryptor.header, encryptor.update(tar), encryptor.final()]);
  for (const old of catalog.volumes) rmSync(join(target, catalog.setId, old.file));
  writeFileSync(join(target, catalog.setId, 'volume-001.age'), volume);
  const catalogPath = join(target, catalog.setId, CATALOG_FILE);
  const stored = JSON.parse(readFileSync(catalogPath, 'utf8')) as Catalog;
  writeFileSync(catalogPath, JSON.stringify(editCatalog({ ...stored, volumes: [{ file: 'volume-001.age', bytes: volume.length }] })));
}
