/**
 * What a set's plaintext catalog.json must not tell whoever holds the drive: which blobs (content
 * fingerprints) it holds, how many, how many documents, and who can open it. That part is sealed with a
 * key only the archive holds (archive_meta `backup_index_key`, also carried inside each set's encrypted
 * manifest so a restore without the archive can still cross-check). The archive can thus plan an
 * incremental set without any age key — also when it may only encrypt to someone else's public key.
 * The same key is what the archive signs its sets with (set-signature.ts derives the signing key from it).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import * as sodiumTyped from 'sodium-native';
import type { Archive } from '../archive';
import { inTransaction } from '../db/transaction';

interface Sodium {
  crypto_aead_chacha20poly1305_ietf_encrypt(c: Buffer, m: Buffer, ad: null, nsec: null, npub: Buffer, k: Buffer): number;
  crypto_aead_chacha20poly1305_ietf_decrypt(m: Buffer, nsec: null, c: Buffer, ad: null, npub: Buffer, k: Buffer): number;
}
const sodium = sodiumTyped as unknown as Sodium;

const META_KEY = 'backup_index_key';
const NONCE = 12;
const TAG = 16;

/** The sealed part of a catalog. */
export interface CatalogIndex {
  /** Blob hashes stored in this set (not in the sets it depends on). */
  blobs: string[];
  documents: number;
}

/** The archive's index key (hex), created on first use together with its audit event. */
export function backupIndexKey(archive: Archive, create: boolean): string | null {
  const read = () => archive.connection.sqlite.prepare('SELECT value FROM archive_meta WHERE key = ?').pluck().get(META_KEY) as string | undefined;
  const existing = read();
  if (existing || !create) return existing ?? null;
  inTransaction(archive.connection.sqlite, () => {
    archive.connection.sqlite.prepare('INSERT OR IGNORE INTO archive_meta (key, value) VALUES (?, ?)').run(META_KEY, randomBytes(32).toString('hex'));
    archive.audit.append({ action: 'backup.index_key', details: { purpose: 'seals the blob list in backup catalogs' } });
  });
  return read()!;
}

function setKey(indexKey: string, setId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(indexKey, 'hex'), Buffer.from(setId), 'slipvault-backup catalog index', 32));
}

export function sealIndex(indexKey: string, setId: string, index: CatalogIndex): string {
  const plaintext = Buffer.from(JSON.stringify(index));
  const nonce = randomBytes(NONCE);
  const sealed = Buffer.alloc(plaintext.length + TAG);
  sodium.crypto_aead_chacha20poly1305_ietf_encrypt(sealed, plaintext, null, null, nonce, setKey(indexKey, setId));
  return Buffer.concat([nonce, sealed]).toString('base64');
}

/** The index, or null when `indexKey` is not the one it was sealed with (another archive) or it was altered. */
export function openIndex(indexKey: string, setId: string, sealedIndex: string): CatalogIndex | null {
  const bytes = Buffer.from(sealedIndex, 'base64');
  if (bytes.length < NONCE + TAG) return null;
  const plaintext = Buffer.alloc(bytes.length - NONCE - TAG);
  try {
    sodium.crypto_aead_chacha20poly1305_ietf_decrypt(plaintext, null, bytes.subarray(NONCE), null, bytes.subarray(0, NONCE), setKey(indexKey, setId));
  } catch {
    return null;
  }
  const index = JSON.parse(plaintext.toString('utf8')) as CatalogIndex;
  return Array.isArray(index.blobs) && typeof index.documents === 'number' ? index : null;
}

/** Which keys open a set, as a tag only the archive can compute: sets rely only on sets with the same keys. */
export function keysTag(indexKey: string, keys: string[]): string {
  return createHmac('sha256', Buffer.from(indexKey, 'hex'))
    .update(`keys\n${[...keys].sort().join('\n')}`)
    .digest('hex')
    .slice(0, 32);
}
