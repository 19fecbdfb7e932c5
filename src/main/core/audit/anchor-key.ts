/**
 * The archive's anchor key: an Ed25519 key pair kept beside the anchors (`<archiveId>.key`, readable by
 * the OS user only), never in the archive. Whoever rewrites the database cannot sign a head with it; its
 * public half is also registered in the archive so that backups and proof packages can carry it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { assertArchiveId } from './anchor-folder';

export interface AnchorKey {
  keyId: string;
  /** Base64 of the DER SubjectPublicKeyInfo: `openssl pkey -pubin -inform DER` reads it. */
  publicKey: string;
  privateKey: KeyObject;
}

export function anchorKeyPath(folder: string, archiveId: string): string {
  assertArchiveId(archiveId);
  return join(folder, `${archiveId}.key`);
}

/** The first 16 hex digits of the SHA-256 of the public key's DER bytes. */
export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16);
}

function fromPrivateKey(privateKey: KeyObject): AnchorKey {
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return { keyId: keyIdOf(publicKey), publicKey, privateKey };
}

/** The key, or null when this folder holds none for the archive. */
export function readAnchorKey(folder: string, archiveId: string): AnchorKey | null {
  let pem: string;
  try {
    pem = readFileSync(anchorKeyPath(folder, archiveId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return fromPrivateKey(createPrivateKey(pem));
}

/** Writes a new key; fails rather than replace one that exists. */
export function createAnchorKey(folder: string, archiveId: string): AnchorKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const path = anchorKeyPath(folder, archiveId);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The mode given to open is masked by the umask; the key must be the user's alone whatever it is.
  chmodSync(path, 0o600);
  return fromPrivateKey(privateKey);
}

export function signText(key: AnchorKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

export function signatureValid(publicKey: string, text: string, signature: string): boolean {
  try {
    const keyObject = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(text, 'utf8'), keyObject, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
