/**
 * Heads of the audit chain signed with the archive's anchor key: the lines of the anchor file and the head
 * a backup catalog carries. The signature covers the canonical JSON of every other field, so a head can be
 * checked by hand with any Ed25519 implementation.
 */
import { canonicalJson } from './canonical';
import { signText, signatureValid, type AnchorKey } from './anchor-key';

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface SignedHead extends ChainHead {
  archiveId: string;
  /** When it was signed (ISO 8601). */
  at: string;
  keyId: string;
  /** Base64 Ed25519 signature over `signedText` of the other fields. */
  signature: string;
}

/** One line of an anchor file. */
export interface Anchor extends SignedHead {
  /** The database file the head was read from: a restored or copied archive keeps anchors of its own. */
  database: string;
  /** What recorded it: `close`, `backup`, `appends`. */
  reason: string;
  /** The anchor covers the events after `from` up to `seq`. */
  from: number;
  /** The first 8 hex digits of each covered event's hash, in order: names the first event that differs. */
  digests: string;
}

export const DIGEST_CHARS = 8;

export function signedText(record: object): string {
  const unsigned: Record<string, unknown> = { ...record };
  delete unsigned.signature;
  return canonicalJson(unsigned);
}

export function signRecord<T extends { archiveId: string; seq: number; hash: string; at: string }>(
  key: AnchorKey,
  fields: T,
): T & { keyId: string; signature: string } {
  const withKey = { ...fields, keyId: key.keyId };
  return { ...withKey, signature: signText(key, signedText(withKey)) };
}

/** `publicKey` is the base64 DER key whose id the record names. */
export function recordSignatureValid(record: SignedHead, publicKey: string): boolean {
  return signatureValid(publicKey, signedText(record), record.signature);
}

export function isSignedHead(value: unknown): value is SignedHead {
  if (typeof value !== 'object' || value === null) return false;
  const head = value as Record<string, unknown>;
  return (
    typeof head.archiveId === 'string' &&
    Number.isInteger(head.seq) &&
    (head.seq as number) >= 0 &&
    typeof head.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(head.hash) &&
    typeof head.at === 'string' &&
    typeof head.keyId === 'string' &&
    typeof head.signature === 'string'
  );
}

export function isAnchor(value: unknown): value is Anchor {
  if (!isSignedHead(value)) return false;
  const anchor = value as unknown as Record<string, unknown>;
  return (
    typeof anchor.database === 'string' &&
    typeof anchor.reason === 'string' &&
    Number.isInteger(anchor.from) &&
    (anchor.from as number) >= 0 &&
    (anchor.from as number) <= value.seq &&
    typeof anchor.digests === 'string' &&
    anchor.digests.length === (value.seq - (anchor.from as number)) * DIGEST_CHARS
  );
}
