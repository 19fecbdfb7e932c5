/**
 * Who made a backup set. Anyone holding a recipient's age public key can encrypt a whole set, so for a set
 * made to public keys age proves nothing about its origin. Each set's catalog therefore carries an Ed25519
 * signature over its encrypted manifest and its catalog, made with a key derived (HKDF, a SlipVault label)
 * from the archive's backup index key (catalog-index.ts), which only the archive holds. The public half,
 * the archive's backup signer (`slipvault-signer1…`), is what a reader trusts.
 *
 * A set is accepted, before any of its files is written, when its signature holds and either its signer is
 * one the reader trusts or a passphrase opened it: a passphrase stanza is always a header's only stanza, so
 * only someone who knew the passphrase can have made such a set.
 */
import { createHash, hkdfSync } from 'node:crypto';
import * as sodiumTyped from 'sodium-native';
import { SlipVaultError } from '../../../shared/errors';
import type { Archive } from '../archive';
import type { AgeIdentity } from './age';
import { bech32Decode, bech32Encode } from './bech32';
import { backupIndexKey } from './catalog-index';
import { FORMAT, damaged, type Catalog } from './target';

interface Sodium {
  crypto_sign_seed_keypair(publicKey: Buffer, secretKey: Buffer, seed: Buffer): void;
  crypto_sign_detached(signature: Buffer, message: Buffer, secretKey: Buffer): void;
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
}
const sodium = sodiumTyped as unknown as Sodium;

const SIGNER_PREFIX = 'slipvault-signer';
const PUBLIC_KEY_BYTES = 32;
const SECRET_KEY_BYTES = 64;
const SIGNATURE_BYTES = 64;

function signingKeys(indexKey: string): { publicKey: Buffer; secretKey: Buffer } {
  const seed = Buffer.from(hkdfSync('sha256', Buffer.from(indexKey, 'hex'), Buffer.alloc(0), 'slipvault-backup set signing key', 32));
  const publicKey = Buffer.alloc(PUBLIC_KEY_BYTES);
  const secretKey = Buffer.alloc(SECRET_KEY_BYTES);
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
  return { publicKey, secretKey };
}

/** The archive's backup signer, public: safe to print and to keep beside the age identity. */
export function backupSigner(indexKey: string): string {
  return bech32Encode(SIGNER_PREFIX, signingKeys(indexKey).publicKey);
}

function signerKey(text: string): Buffer | null {
  const decoded = bech32Decode(text);
  return decoded && decoded.prefix === SIGNER_PREFIX && decoded.data.length === PUBLIC_KEY_BYTES && text === text.toLowerCase()
    ? Buffer.from(decoded.data)
    : null;
}

/** Checks signers a caller says to trust; returns them trimmed. */
export function parseSigners(texts: string[]): string[] {
  return texts.map((text) => {
    const signer = text.trim();
    if (!signerKey(signer))
      throw new SlipVaultError('VALIDATION', `"${text}" is not a SlipVault backup signer (${SIGNER_PREFIX}1…).`).withMessage('backup.badSigner', {
        signer: text,
      });
    return signer;
  });
}

/**
 * Everything the signature covers, in a fixed order: the catalog's fields and the manifest's SHA-256. Not
 * the volume sizes: they only let a reader notice a cut volume before decrypting, and age authenticates the
 * volumes' content and their end; a set rewritten to other volumes must still fail on what it holds.
 */
function signedMessage(catalog: Catalog, manifestBytes: Buffer): Buffer {
  const manifestHash = createHash('sha256').update(manifestBytes).digest('hex');
  const fields = [
    'slipvault-backup set',
    catalog.format,
    catalog.setId,
    catalog.archiveId,
    catalog.createdAt,
    catalog.dependsOn,
    catalog.keysTag,
    catalog.sealedIndex,
    catalog.signer ?? null,
    manifestHash,
  ];
  return Buffer.from(JSON.stringify(fields));
}

/** The catalog with its signer and signature, for `manifestBytes` (the set's encrypted manifest). */
export function signCatalog(indexKey: string, catalog: Omit<Catalog, 'signer' | 'signature'>, manifestBytes: Buffer): Catalog {
  const { secretKey } = signingKeys(indexKey);
  const signed: Catalog = { ...catalog, format: FORMAT, signer: backupSigner(indexKey) };
  const signature = Buffer.alloc(SIGNATURE_BYTES);
  sodium.crypto_sign_detached(signature, signedMessage(signed, manifestBytes), secretKey);
  return { ...signed, signature: signature.toString('base64') };
}

/** Throws unless the set is authentic: see the module comment. `trustedSigners` are parsed signers. */
export function authenticateSet(catalog: Catalog, manifestBytes: Buffer, openedWith: AgeIdentity['kind'] | null, trustedSigners: string[]): void {
  const byPassphrase = openedWith === 'scrypt';
  if (catalog.format !== FORMAT) {
    if (byPassphrase) return;
    throw new SlipVaultError(
      'UNSUPPORTED_FILE',
      `Backup set ${catalog.setId} was written by an earlier SlipVault, before sets were signed, and is encrypted to age public keys, which anyone can encrypt to: it cannot be told apart from a forgery, so SlipVault does not read it. Make a new backup; to recover this one anyway, decrypt it with age by hand (README, "Restoring without SlipVault") after making sure where it came from. Nothing was restored from it.`,
      { set: catalog.setId, format: catalog.format },
    ).withMessage('backup.unsignedOld', { set: catalog.setId });
  }
  const publicKey = signerKey(catalog.signer!);
  const signature = Buffer.from(catalog.signature!, 'base64');
  if (!publicKey || signature.length !== SIGNATURE_BYTES || !sodium.crypto_sign_verify_detached(signature, signedMessage(catalog, manifestBytes), publicKey)) {
    throw damaged(catalog, 'its signature does not match its manifest and catalog (they were altered after the set was signed)');
  }
  if (byPassphrase || trustedSigners.includes(catalog.signer!)) return;
  if (trustedSigners.length === 0) {
    throw new SlipVaultError(
      'WRONG_KEY',
      `Backup set ${catalog.setId} is encrypted to age public keys, which anyone can encrypt to, so only its signer tells who made it, and no signer to trust was given. Give the backup signer of the archive that made it (${SIGNER_PREFIX}1…, shown by that archive); nothing was restored.`,
      { set: catalog.setId, signer: catalog.signer },
    ).withMessage('backup.signerNeeded', { set: catalog.setId });
  }
  throw new SlipVaultError(
    'CORRUPT_FILE',
    `Backup set ${catalog.setId} is signed by ${catalog.signer}, not by ${trustedSigners.join(' or ')}: it was not made by the archive it claims (a set forged with the recipient's public key?). Nothing was restored from it.`,
    { set: catalog.setId, signer: catalog.signer },
  ).withMessage('backup.wrongSigner', { set: catalog.setId, signer: catalog.signer ?? '' });
}

/** The open archive's backup signer, creating its backup index key on first use (as its first backup would). */
export function archiveSigner(archive: Archive): string {
  return backupSigner(backupIndexKey(archive, true)!);
}
