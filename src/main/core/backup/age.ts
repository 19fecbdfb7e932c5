/**
 * The age file format (C2SP age, v1): scrypt passphrase and X25519 recipients, HMAC'd header, STREAM
 * payload in 64 KiB ChaCha20-Poly1305 chunks. ChaCha20-Poly1305 and X25519 come from sodium-native because
 * Electron's BoringSSL node:crypto has no chacha20-poly1305; HKDF, HMAC and scrypt come from node:crypto,
 * which both runtimes have. Output is readable by `age -d`, and files made by `age` are readable here.
 */
import { createHmac, hkdfSync, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import * as sodiumTyped from 'sodium-native';
import { bech32Decode, bech32Encode } from './bech32';

interface Sodium {
  crypto_aead_chacha20poly1305_ietf_encrypt(c: Buffer, m: Buffer, ad: null, nsec: null, npub: Buffer, k: Buffer): number;
  crypto_aead_chacha20poly1305_ietf_decrypt(m: Buffer, nsec: null, c: Buffer, ad: null, npub: Buffer, k: Buffer): number;
  crypto_scalarmult(q: Buffer, n: Buffer, p: Buffer): void;
  crypto_scalarmult_base(q: Buffer, n: Buffer): void;
}
const sodium = sodiumTyped as unknown as Sodium;

const VERSION_LINE = 'age-encryption.org/v1';
const CHUNK = 64 * 1024;
const TAG = 16;
const FILE_KEY_BYTES = 16;
const MAX_HEADER_BYTES = 1024 * 1024;
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
/**
 * The largest scrypt work factor a header may ask for: 2^20 needs 1 GiB and a few seconds. A crafted header
 * asking for 22 would take 4 GiB, so it is refused before scrypt runs.
 */
export const MAX_SCRYPT_WORK_FACTOR = 20;

export type AgeRecipient = { kind: 'scrypt'; passphrase: string; workFactor?: number } | { kind: 'x25519'; publicKey: Buffer };

export type AgeIdentity = { kind: 'scrypt'; passphrase: string } | { kind: 'x25519'; secretKey: Buffer };

/** What went wrong, in the categories the age test vectors use. */
export type AgeFailure = 'header' | 'no-match' | 'hmac' | 'payload';

export class AgeError extends Error {
  constructor(
    readonly failure: AgeFailure,
    message: string,
    /** For payload failures: the byte range of the ciphertext (from the file's start) that failed. */
    readonly range?: { start: number; end: number },
  ) {
    super(message);
    this.name = 'AgeError';
  }
}

// ---- keys ---------------------------------------------------------------------------------------

export function parseRecipient(text: string): AgeRecipient & { kind: 'x25519' } {
  const decoded = bech32Decode(text.trim());
  if (!decoded || decoded.prefix !== 'age' || decoded.data.length !== 32 || text.trim() !== text.trim().toLowerCase()) {
    throw new Error(`"${text}" is not an age X25519 recipient (age1…)`);
  }
  return { kind: 'x25519', publicKey: Buffer.from(decoded.data) };
}

function parseSecretKey(text: string): Buffer {
  const decoded = bech32Decode(text);
  if (!decoded || decoded.prefix !== 'age-secret-key-' || decoded.data.length !== 32 || text !== text.toUpperCase()) {
    throw new Error('not an age secret key (AGE-SECRET-KEY-1…)');
  }
  return Buffer.from(decoded.data);
}

/** An identity file as age-keygen writes it: comment lines and AGE-SECRET-KEY-1… lines. */
export function parseIdentityFile(text: string): AgeIdentity[] {
  const identities: AgeIdentity[] = [];
  for (const [index, rawLine] of text.split('\n').entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      identities.push({ kind: 'x25519', secretKey: parseSecretKey(line) });
    } catch {
      throw new Error(`line ${index + 1} of the identity file is not an age secret key (AGE-SECRET-KEY-1…)`);
    }
  }
  if (identities.length === 0) throw new Error('the identity file holds no AGE-SECRET-KEY-1… line');
  return identities;
}

export function generateIdentity(): { identity: string; recipient: string } {
  const secretKey = randomBytes(32);
  const publicKey = Buffer.alloc(32);
  sodium.crypto_scalarmult_base(publicKey, secretKey);
  return { identity: bech32Encode('AGE-SECRET-KEY-', secretKey, true), recipient: bech32Encode('age', publicKey) };
}

export function recipientOf(identity: AgeIdentity & { kind: 'x25519' }): string {
  const publicKey = Buffer.alloc(32);
  sodium.crypto_scalarmult_base(publicKey, identity.secretKey);
  return bech32Encode('age', publicKey);
}

// ---- primitives ---------------------------------------------------------------------------------

const ZERO_NONCE = Buffer.alloc(12);

function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

function seal(key: Buffer, nonce: Buffer, plaintext: Buffer): Buffer {
  const out = Buffer.allocUnsafe(plaintext.length + TAG);
  sodium.crypto_aead_chacha20poly1305_ietf_encrypt(out, plaintext, null, null, nonce, key);
  return out;
}

function open(key: Buffer, nonce: Buffer, ciphertext: Buffer, into?: Buffer): Buffer | null {
  if (ciphertext.length < TAG) return null;
  const out = into ?? Buffer.allocUnsafe(ciphertext.length - TAG);
  try {
    sodium.crypto_aead_chacha20poly1305_ietf_decrypt(out, null, ciphertext, null, nonce, key);
    return out;
  } catch {
    return null;
  }
}

/** scrypt with r = 8 needs 128 * r * N bytes. */
function scryptMemoryMiB(workFactor: number): number {
  return (128 * 8 * 2 ** workFactor) / 1024 ** 2;
}

function scryptArguments(passphrase: string, salt: Buffer, workFactor: number) {
  const N = 2 ** workFactor;
  const fullSalt = Buffer.concat([Buffer.from('age-encryption.org/v1/scrypt'), salt]);
  return [Buffer.from(passphrase, 'utf8'), fullSalt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 + 1024 * 1024 }] as const;
}

function scryptKey(passphrase: string, salt: Buffer, workFactor: number): Buffer {
  return scryptSync(...scryptArguments(passphrase, salt, workFactor));
}

/** The same key, derived on libuv's thread pool: scrypt is slow by design, and the caller need not wait it out. */
function scryptKeyOffThread(passphrase: string, salt: Buffer, workFactor: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(...scryptArguments(passphrase, salt, workFactor), (error, key) => (error ? reject(error) : resolve(key))));
}

function x25519(secretKey: Buffer, point: Buffer): Buffer | null {
  const shared = Buffer.alloc(32);
  try {
    sodium.crypto_scalarmult(shared, secretKey, point);
  } catch {
    return null; // libsodium refuses an all-zero result (a low-order point)
  }
  return shared.every((byte) => byte === 0) ? null : shared;
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** Strict, canonical, unpadded base64 as the spec requires; null when the text is anything else. */
function unb64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return b64(bytes) === text ? bytes : null;
}

// ---- header -------------------------------------------------------------------------------------

interface Stanza {
  args: string[];
  body: Buffer;
}

function encodeStanza(stanza: Stanza): string {
  const body = b64(stanza.body);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += 64) lines.push(body.slice(i, i + 64));
  if (body.length % 64 === 0) lines.push('');
  return `-> ${stanza.args.join(' ')}\n${lines.join('\n')}\n`;
}

type ScryptRecipient = Extract<AgeRecipient, { kind: 'scrypt' }>;

function scryptStanza(salt: Buffer, workFactor: number, wrapKey: Buffer, fileKey: Buffer): Stanza {
  return { args: ['scrypt', b64(salt), String(workFactor)], body: seal(wrapKey, ZERO_NONCE, fileKey) };
}

async function wrapOffThread(recipient: AgeRecipient, fileKey: Buffer): Promise<Stanza> {
  if (recipient.kind !== 'scrypt') return wrap(recipient, fileKey);
  const { salt, workFactor } = scryptChoice(recipient);
  return scryptStanza(salt, workFactor, await scryptKeyOffThread(recipient.passphrase, salt, workFactor), fileKey);
}

function scryptChoice(recipient: ScryptRecipient): { salt: Buffer; workFactor: number } {
  return { salt: randomBytes(16), workFactor: recipient.workFactor ?? DEFAULT_SCRYPT_WORK_FACTOR };
}

function wrap(recipient: AgeRecipient, fileKey: Buffer): Stanza {
  if (recipient.kind === 'scrypt') {
    const { salt, workFactor } = scryptChoice(recipient);
    return scryptStanza(salt, workFactor, scryptKey(recipient.passphrase, salt, workFactor), fileKey);
  }
  const ephemeral = randomBytes(32);
  const share = Buffer.alloc(32);
  sodium.crypto_scalarmult_base(share, ephemeral);
  const shared = x25519(ephemeral, recipient.publicKey);
  if (!shared) throw new Error('the X25519 recipient is not a valid public key');
  const wrapKey = hkdf(shared, Buffer.concat([share, recipient.publicKey]), 'age-encryption.org/v1/X25519');
  return { args: ['X25519', b64(share)], body: seal(wrapKey, ZERO_NONCE, fileKey) };
}

function headerMac(fileKey: Buffer, headerUpToDashes: string): Buffer {
  return createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header'))
    .update(headerUpToDashes, 'latin1')
    .digest();
}

/** Finds the end of the header (the byte after the MAC line's newline), or -1 when more bytes are needed. */
function headerEnd(bytes: Buffer): number {
  let lineStart = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, lineStart);
    if (newline < 0) return -1;
    if (bytes[lineStart] === 0x2d && bytes.subarray(lineStart, lineStart + 4).toString('latin1') === '--- ') return newline + 1;
    lineStart = newline + 1;
  }
}

function parseHeader(text: string): { stanzas: Stanza[]; macInput: string; mac: Buffer } {
  const fail = (why: string): never => {
    throw new AgeError('header', `The age header is malformed: ${why}.`);
  };
  if (!/^[\x20-\x7e\n]*$/.test(text)) fail('it contains characters outside printable ASCII');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== VERSION_LINE) fail('it does not start with the age v1 version line');
  const stanzas: Stanza[] = [];
  let index = 1;
  while (index < lines.length && lines[index]!.startsWith('-> ')) {
    const args = lines[index]!.slice(3).split(' ');
    if (args.some((arg) => arg === '' || !/^[\x21-\x7e]+$/.test(arg))) fail('a stanza has an empty or invalid argument');
    index += 1;
    const bodyParts: Buffer[] = [];
    for (;;) {
      if (index >= lines.length) fail('a stanza body is not terminated');
      const line = lines[index]!;
      index += 1;
      if (line.length > 64) fail('a stanza body line is longer than 64 columns');
      const bytes = unb64(line);
      if (!bytes) fail('a stanza body is not canonical base64');
      bodyParts.push(bytes!);
      if (line.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(bodyParts) });
  }
  const macLine = lines[index];
  if (index !== lines.length - 1 || macLine === undefined || !macLine.startsWith('--- ')) fail('the MAC line is missing or misplaced');
  const mac = unb64(macLine!.slice(4));
  if (!mac || mac.length !== 32) fail('the MAC is not 32 bytes of canonical base64');
  if (stanzas.length === 0) fail('it has no recipient stanza');
  const macInput = text.slice(0, text.length - macLine!.length - 1 + 3);
  return { stanzas, macInput, mac: mac! };
}

function unwrapFileKey(stanzas: Stanza[], identities: AgeIdentity[]): { fileKey: Buffer; openedWith: AgeIdentity['kind'] } {
  const headerFail = (why: string): never => {
    throw new AgeError('header', `The age header is malformed: ${why}.`);
  };
  const scryptStanzas = stanzas.filter((stanza) => stanza.args[0] === 'scrypt');
  if (scryptStanzas.length > 0 && stanzas.length > 1) headerFail('a passphrase stanza must be the only stanza');
  for (const identity of identities) {
    for (const stanza of stanzas) {
      if (identity.kind === 'scrypt' && stanza.args[0] === 'scrypt') {
        const [, saltText, workText] = stanza.args;
        const salt = stanza.args.length === 3 ? unb64(saltText!) : null;
        if (!salt || salt.length !== 16) headerFail('the scrypt salt is not 16 bytes');
        if (!/^[1-9][0-9]?$/.test(workText!)) headerFail('the scrypt work factor is not a decimal number');
        const workFactor = Number(workText);
        if (workFactor > MAX_SCRYPT_WORK_FACTOR) {
          throw new AgeError(
            'header',
            `The age header asks for scrypt work factor ${workFactor} (${scryptMemoryMiB(workFactor)} MiB of memory); at most ${MAX_SCRYPT_WORK_FACTOR} (${scryptMemoryMiB(MAX_SCRYPT_WORK_FACTOR)} MiB) is accepted.`,
          );
        }
        if (stanza.body.length !== FILE_KEY_BYTES + TAG) headerFail('the wrapped file key has the wrong length');
        const fileKey = open(scryptKey(identity.passphrase, salt!, workFactor), ZERO_NONCE, stanza.body);
        if (fileKey) return { fileKey, openedWith: 'scrypt' };
      }
      if (identity.kind === 'x25519' && stanza.args[0] === 'X25519') {
        const share = stanza.args.length === 2 ? unb64(stanza.args[1]!) : null;
        if (!share || share.length !== 32) headerFail('the X25519 share is not 32 bytes');
        if (stanza.body.length !== FILE_KEY_BYTES + TAG) headerFail('the wrapped file key has the wrong length');
        const shared = x25519(identity.secretKey, share!);
        if (!shared) headerFail('the X25519 share is a low-order point');
        const publicKey = Buffer.alloc(32);
        sodium.crypto_scalarmult_base(publicKey, identity.secretKey);
        const fileKey = open(hkdf(shared!, Buffer.concat([share!, publicKey]), 'age-encryption.org/v1/X25519'), ZERO_NONCE, stanza.body);
        if (fileKey) return { fileKey, openedWith: 'x25519' };
      }
    }
  }
  throw new AgeError('no-match', 'None of the given keys opens this file (wrong passphrase or wrong identity).');
}

// ---- payload ------------------------------------------------------------------------------------

/** Sets `nonce` (12 bytes, reused for every chunk) to the chunk's: an 11-byte big-endian counter and the last-chunk flag. */
function setChunkNonce(nonce: Buffer, counter: number, last: boolean): Buffer {
  nonce.writeUIntBE(counter, 5, 6); // the top five bytes stay zero: 2^48 chunks is far beyond any backup
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/**
 * Encrypts a stream: take `header` first, then whatever update() and final() return, in order. Chunks are
 * sealed straight from the caller's buffers into one output buffer per call: no copies but the ciphertext.
 */
function checkRecipients(recipients: AgeRecipient[]): void {
  if (recipients.length === 0) throw new Error('at least one recipient is required');
  if (recipients.some((r) => r.kind === 'scrypt') && recipients.length > 1) throw new Error('a passphrase cannot be combined with other recipients');
}

export class AgeEncryptor {
  readonly header: Buffer;
  private readonly payloadKey: Buffer;
  /** Plaintext held back: the last chunk must be sealed with the "last" flag, so a full chunk waits here. */
  private readonly pending = Buffer.allocUnsafe(CHUNK);
  private pendingBytes = 0;
  private counter = 0;
  private readonly nonce = Buffer.alloc(12);

  /** Seals to `recipients`; a passphrase's scrypt runs on the calling thread. */
  constructor(recipients: AgeRecipient[]);
  constructor(recipients: AgeRecipient[], wrapped: { fileKey: Buffer; stanzas: Stanza[] });
  constructor(recipients: AgeRecipient[], wrapped?: { fileKey: Buffer; stanzas: Stanza[] }) {
    checkRecipients(recipients);
    const fileKey = wrapped?.fileKey ?? randomBytes(FILE_KEY_BYTES);
    const stanzas = wrapped?.stanzas ?? recipients.map((recipient) => wrap(recipient, fileKey));
    const body = `${VERSION_LINE}\n${stanzas.map(encodeStanza).join('')}---`;
    const nonce = randomBytes(16);
    this.header = Buffer.concat([Buffer.from(`${body} ${b64(headerMac(fileKey, body))}\n`, 'latin1'), nonce]);
    this.payloadKey = hkdf(fileKey, nonce, 'payload');
  }

  /** The same, with a passphrase's scrypt on the thread pool: a backup reads its first files meanwhile. */
  static async offThread(recipients: AgeRecipient[]): Promise<AgeEncryptor> {
    checkRecipients(recipients);
    const fileKey = randomBytes(FILE_KEY_BYTES);
    return new AgeEncryptor(recipients, { fileKey, stanzas: await Promise.all(recipients.map((recipient) => wrapOffThread(recipient, fileKey))) });
  }

  /** Returns the ciphertext of every chunk that is complete and known not to be the last (maybe empty). */
  update(data: Buffer, allocate: (bytes: number) => Buffer = Buffer.allocUnsafe): Buffer {
    const total = this.pendingBytes + data.length;
    // Keep at least one byte back; everything before it in whole chunks gets sealed now.
    const chunks = total > CHUNK ? Math.floor((total - 1) / CHUNK) : 0;
    const out = allocate(chunks * (CHUNK + TAG));
    let written = 0;
    let offset = 0;
    if (chunks > 0 && this.pendingBytes > 0) {
      offset = CHUNK - this.pendingBytes;
      data.copy(this.pending, this.pendingBytes, 0, offset);
      written += this.sealInto(out, written, this.pending, false);
      this.pendingBytes = 0;
    }
    while (written < out.length) {
      written += this.sealInto(out, written, data.subarray(offset, offset + CHUNK), false);
      offset += CHUNK;
    }
    data.copy(this.pending, this.pendingBytes, offset);
    this.pendingBytes += data.length - offset;
    return out;
  }

  final(): Buffer {
    const out = Buffer.allocUnsafe(this.pendingBytes + TAG);
    this.sealInto(out, 0, this.pending.subarray(0, this.pendingBytes), true);
    this.pendingBytes = 0;
    return out;
  }

  private sealInto(out: Buffer, at: number, plaintext: Buffer, last: boolean): number {
    setChunkNonce(this.nonce, this.counter++, last);
    const length = plaintext.length + TAG;
    sodium.crypto_aead_chacha20poly1305_ietf_encrypt(out.subarray(at, at + length), plaintext, null, null, this.nonce, this.payloadKey);
    return length;
  }
}

/** Bytes of ciphertext a decryptor holds back between pieces: at most one chunk with its tag. */
export const CARRY_BYTES = CHUNK + TAG;

/** Decrypts a stream fed in pieces; throws AgeError on the first header, key or payload problem. */
export class AgeDecryptor {
  /** The header's bytes as they arrive (it is parsed whole, once). */
  private header: Buffer = Buffer.alloc(0);
  /**
   * The ciphertext of a chunk not yet opened: the tail of the last piece, which may be the stream's last chunk
   * (sealed differently) or straddle into the next piece. Allocated once, reused for every piece.
   */
  private readonly carry = Buffer.allocUnsafe(CARRY_BYTES);
  private carried = 0;
  private readonly nonce = Buffer.alloc(12);
  private payloadKey: Buffer | null = null;
  private payloadStart = 0;
  private counter = 0;
  private consumed = 0;
  private finished = false;
  private opened: AgeIdentity['kind'] | null = null;

  constructor(private readonly identities: AgeIdentity[]) {}

  /**
   * Which kind of key opened the header (null until it did). 'scrypt' means the file was made by someone
   * who knew the passphrase: a passphrase stanza must be a header's only stanza.
   */
  get openedWith(): AgeIdentity['kind'] | null {
    return this.opened;
  }

  /**
   * Decrypts, in place, every chunk `data` completes and returns the plaintext as views of `data`, except a
   * chunk that straddles two pieces: without headroom it is opened in a fresh buffer. With `headroom`, the
   * caller promises CARRY_BYTES of `data.buffer` right before `data` are free to overwrite: the held-back tail
   * is moved there, so the whole piece opens in place as one view and nothing is allocated. `data` is
   * overwritten; the unfinished tail is copied, so the caller may reuse `data` once done with the views.
   */
  push(data: Buffer, { headroom = false } = {}): Buffer[] {
    if (!this.payloadKey) {
      const before = this.header.length;
      this.header = Buffer.concat([this.header, data]);
      if (!this.readHeader()) return [];
      // The payload goes on in `data` itself (the header ended in it), and nothing is carried yet.
      data = data.subarray(this.payloadStart - before);
      this.header = Buffer.alloc(0);
    }
    const available = this.carried + data.length;
    if (available <= CARRY_BYTES) {
      // Not enough for a chunk that is known not to be the last.
      this.carried += data.copy(this.carry, this.carried);
      return [];
    }
    const out: Buffer[] = [];
    let stream = data;
    if (this.carried > 0 && headroom) {
      if (data.byteOffset < this.carried) throw new Error('the piece has less headroom than the decryptor carries');
      stream = Buffer.from(data.buffer, data.byteOffset - this.carried, available);
      this.carry.copy(stream, 0, 0, this.carried);
    } else if (this.carried > 0) {
      // Complete the held-back chunk with the head of `data`; its plaintext leaves the reused carry as a copy.
      const head = data.copy(this.carry, this.carried, 0, CARRY_BYTES - this.carried);
      out.push(Buffer.from(this.openChunkInPlace(this.carry)));
      stream = data.subarray(head);
    }
    this.carried = 0;
    // Keep at least one byte back: the last chunk is opened by end(). Each chunk's plaintext then moves down
    // over the tags before it, so the caller gets one contiguous view (files in one piece, no gluing).
    const chunks = Math.floor((stream.length - 1) / CARRY_BYTES);
    let offset = 0;
    let plainEnd = 0;
    for (let chunk = 0; chunk < chunks; chunk++) {
      this.openChunkInPlace(stream.subarray(offset, offset + CARRY_BYTES));
      if (plainEnd !== offset) stream.copyWithin(plainEnd, offset, offset + CHUNK);
      plainEnd += CHUNK;
      offset += CARRY_BYTES;
    }
    if (plainEnd > 0) out.push(stream.subarray(0, plainEnd));
    this.carried = stream.copy(this.carry, 0, offset);
    return out;
  }

  /** The plaintext of the last chunk, in a fresh buffer. */
  end(): Buffer[] {
    if (!this.payloadKey && !this.readHeader()) throw new AgeError('header', 'The file ends inside the age header.');
    if (this.finished) return [];
    if (this.carried < TAG) {
      throw new AgeError('payload', 'The file is truncated: its last encrypted chunk is incomplete.', this.rangeOf(this.carried));
    }
    const last = this.openChunk(this.carry.subarray(0, this.carried), true);
    this.carried = 0;
    if (last.length === 0 && this.counter > 1) throw new AgeError('payload', 'The file ends with an empty chunk that is not its only chunk.');
    this.finished = true;
    return [last];
  }

  private openChunkInPlace(ciphertext: Buffer): Buffer {
    return this.openChunk(ciphertext, false, ciphertext.subarray(0, ciphertext.length - TAG));
  }

  private rangeOf(length: number): { start: number; end: number } {
    return { start: this.consumed, end: this.consumed + length };
  }

  private openChunk(ciphertext: Buffer, last: boolean, into?: Buffer): Buffer {
    const plaintext = open(this.payloadKey!, setChunkNonce(this.nonce, this.counter, last), ciphertext, into);
    if (!plaintext) {
      const why = last ? 'the file is truncated or damaged at its end' : 'the file is damaged or its parts are out of order';
      throw new AgeError('payload', `An encrypted chunk failed authentication: ${why}.`, this.rangeOf(ciphertext.length));
    }
    this.counter += 1;
    this.consumed += ciphertext.length;
    return plaintext;
  }

  /** Parses and authenticates the header once enough bytes arrived; false while more are needed. */
  private readHeader(): boolean {
    const end = headerEnd(this.header);
    if (end < 0) {
      if (this.header.length > MAX_HEADER_BYTES) throw new AgeError('header', 'The age header is larger than 1 MiB.');
      return false;
    }
    if (this.header.length < end + 16) return false;
    const { stanzas, macInput, mac } = parseHeader(this.header.subarray(0, end).toString('latin1'));
    const { fileKey, openedWith } = unwrapFileKey(stanzas, this.identities);
    const expected = headerMac(fileKey, macInput);
    if (!timingSafeEqual(expected, mac)) throw new AgeError('hmac', 'The age header failed authentication: it was altered.');
    this.opened = openedWith;
    const nonce = this.header.subarray(end, end + 16);
    this.payloadKey = hkdf(fileKey, Buffer.from(nonce), 'payload');
    this.payloadStart = end + 16;
    this.consumed = this.payloadStart;
    return true;
  }

  /** Where the payload began in the file (header and nonce length). */
  get headerLength(): number {
    return this.payloadStart;
  }
}
