/**
 * The age implementation against the C2SP CCTV test vectors and against Debian's `age` CLI, both ways.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import * as vectors from 'cctv-age';
import { describe, expect, it } from 'vitest';
import {
  AgeDecryptor,
  AgeEncryptor,
  CARRY_BYTES,
  AgeError,
  parseIdentityFile,
  parseRecipient,
  generateIdentity,
  recipientOf,
  type AgeIdentity,
  type AgeRecipient,
} from '../../src/main/core/backup/age';
import { tempDir } from '../helpers/fixtures';

interface Vector {
  name: string;
  expect: string;
  payloadHash?: string;
  identities: AgeIdentity[];
  armored: boolean;
  /** Post-quantum hybrid and tag identities: not used for backups, not implemented. */
  otherIdentityKind: boolean;
  file: Buffer;
}

function parseVector(name: string, bytes: Uint8Array): Vector {
  const data = Buffer.from(bytes);
  const split = data.indexOf('\n\n');
  const fields = data.subarray(0, split).toString('utf8').split('\n');
  const vector: Vector = { name, expect: '', identities: [], armored: false, otherIdentityKind: false, file: data.subarray(split + 2) };
  for (const field of fields) {
    const colon = field.indexOf(': ');
    const key = field.slice(0, colon);
    const value = field.slice(colon + 2);
    if (key === 'expect') vector.expect = value;
    if (key === 'payload') vector.payloadHash = value;
    if (key === 'identity' && value.startsWith('AGE-SECRET-KEY-1')) vector.identities.push(...parseIdentityFile(value));
    else if (key === 'identity') vector.otherIdentityKind = true;
    if (key === 'passphrase') vector.identities.push({ kind: 'scrypt', passphrase: value });
    if (key === 'armored') vector.armored = value === 'yes';
    if (key === 'compressed' && value === 'zlib') vector.file = inflateSync(vector.file);
  }
  return vector;
}

function decryptAll(file: Buffer, identities: AgeIdentity[], pieceSize = 7_001): Buffer {
  const decryptor = new AgeDecryptor(identities);
  const out: Buffer[] = [];
  for (let offset = 0; offset < file.length; offset += pieceSize) out.push(...decryptor.push(file.subarray(offset, offset + pieceSize)));
  out.push(...decryptor.end());
  return Buffer.concat(out);
}

function encryptAll(plaintext: Buffer, recipients: AgeRecipient[], encryptor = new AgeEncryptor(recipients)): Buffer {
  const out = [encryptor.header];
  for (let offset = 0; offset < plaintext.length; offset += 50_000) out.push(encryptor.update(plaintext.subarray(offset, offset + 50_000)));
  out.push(encryptor.final());
  return Buffer.concat(out);
}

const FAILURE_OF: Record<string, string> = {
  'header failure': 'header',
  'no match': 'no-match',
  'HMAC failure': 'hmac',
  'payload failure': 'payload',
};

describe('age format: CCTV test vectors', () => {
  const all = Object.entries(vectors as unknown as Record<string, Uint8Array>)
    .filter(([name]) => name !== 'default')
    .map(([name, bytes]) => parseVector(name, bytes))
    .filter((vector) => !vector.armored && !vector.otherIdentityKind); // backups are binary; armor is not implemented

  it('has a meaningful number of vectors to check', () => {
    expect(all.length).toBeGreaterThan(90);
  });

  it.each(all.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    if (vector.expect === 'success') {
      const plaintext = decryptAll(vector.file, vector.identities);
      expect(createHash('sha256').update(plaintext).digest('hex')).toBe(vector.payloadHash);
      return;
    }
    let failure: unknown;
    let partial: Buffer | undefined;
    try {
      partial = decryptAll(vector.file, vector.identities);
    } catch (error) {
      failure = error;
    }
    expect(partial, `${vector.name} should fail with ${vector.expect}`).toBeUndefined();
    expect(failure).toBeInstanceOf(AgeError);
    expect((failure as AgeError).failure).toBe(FAILURE_OF[vector.expect]);
  });
});

describe('age format: round trips and interoperability with Debian age', () => {
  const sizes = [0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024, 200_001];

  it.each(sizes)('round-trips %i bytes to an X25519 recipient', (size) => {
    const { identity, recipient } = generateIdentity();
    const plaintext = randomBytes(size);
    const file = encryptAll(plaintext, [parseRecipient(recipient)]);
    expect(decryptAll(file, parseIdentityFile(identity)).equals(plaintext)).toBe(true);
  });

  it.each([200_000, 1024 * 1024])('decrypts in place from one reused %i-byte read buffer, keeping no view of it', (pieceSize) => {
    const { identity, recipient } = generateIdentity();
    const plaintext = randomBytes(3 * 1024 * 1024 + 12_345);
    const file = encryptAll(plaintext, [parseRecipient(recipient)]);
    const decryptor = new AgeDecryptor(parseIdentityFile(identity));
    const readBuffer = Buffer.alloc(pieceSize);
    const out: Buffer[] = [];
    for (let offset = 0; offset < file.length; offset += pieceSize) {
      const piece = readBuffer.subarray(0, file.copy(readBuffer, 0, offset, offset + pieceSize));
      out.push(...decryptor.push(piece).map((view) => Buffer.from(view)));
      readBuffer.fill(0xa5); // what the next read would do to anything still pointing here
    }
    out.push(...decryptor.end());
    expect(Buffer.concat(out).equals(plaintext)).toBe(true);
  });

  it.each([7_001, 64 * 1024 + 16, 200_000, 1024 * 1024])(
    'opens every chunk in place, straddling ones too, in %i-byte pieces read after headroom for the carried tail',
    (pieceSize) => {
      const { identity, recipient } = generateIdentity();
      const plaintext = randomBytes(3 * 1024 * 1024 + 12_345);
      const file = encryptAll(plaintext, [parseRecipient(recipient)]);
      const decryptor = new AgeDecryptor(parseIdentityFile(identity));
      const slot = Buffer.alloc(CARRY_BYTES + pieceSize);
      const out: Buffer[] = [];
      for (let offset = 0; offset < file.length; offset += pieceSize) {
        const piece = slot.subarray(CARRY_BYTES, CARRY_BYTES + file.copy(slot, CARRY_BYTES, offset, offset + pieceSize));
        for (const view of decryptor.push(piece, { headroom: true })) {
          expect(view.buffer).toBe(slot.buffer);
          out.push(Buffer.from(view));
        }
        slot.fill(0xa5); // what the next read would do to anything still pointing here
      }
      out.push(...decryptor.end());
      expect(Buffer.concat(out).equals(plaintext)).toBe(true);
    },
  );

  it('derives the same public key as age-keygen', () => {
    const dir = tempDir();
    const keyFile = join(dir, 'key.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'pipe' });
    const publicKey = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const [identity] = parseIdentityFile(execFileSync('cat', [keyFile], { encoding: 'utf8' }));
    expect(recipientOf(identity as AgeIdentity & { kind: 'x25519' })).toBe(publicKey);
  });

  it('writes files age -d decrypts (X25519, several recipients) and reads files age writes', () => {
    const dir = tempDir();
    const ours = generateIdentity();
    const keyFile = join(dir, 'key.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'pipe' });
    const theirs = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const plaintext = randomBytes(300_000);
    const file = encryptAll(plaintext, [parseRecipient(ours.recipient), parseRecipient(theirs)]);
    expect(execFileSync('age', ['-d', '-i', keyFile], { input: file }).equals(plaintext)).toBe(true);

    const byAge = execFileSync('age', ['-r', ours.recipient], { input: plaintext });
    expect(decryptAll(byAge, parseIdentityFile(ours.identity)).equals(plaintext)).toBe(true);
  });

  it('writes passphrase files age -d decrypts, and reads passphrase files age writes', () => {
    const passphrase = 'correct horse battery staple';
    const plaintext = randomBytes(100_000);
    const file = encryptAll(plaintext, [{ kind: 'scrypt', passphrase, workFactor: 12 }]);
    const dir = tempDir();
    const path = join(dir, 'p.age');
    writeFileSync(path, file);
    // age reads a passphrase only from a terminal: script(1) gives it one.
    const decrypted = spawnSync('script', ['-qec', `age -d -o ${join(dir, 'out')} ${path}`, '/dev/null'], {
      input: `${passphrase}\n`,
      encoding: 'utf8',
    });
    expect(decrypted.status, decrypted.stdout).toBe(0);
    expect(execFileSync('cat', [join(dir, 'out')]).equals(plaintext)).toBe(true);

    const made = spawnSync('script', ['-qec', `age -p -o ${join(dir, 'byage.age')} ${join(dir, 'out')}`, '/dev/null'], {
      input: `${passphrase}\n${passphrase}\n`,
      encoding: 'utf8',
    });
    expect(made.status, made.stdout).toBe(0);
    const byAge = execFileSync('cat', [join(dir, 'byage.age')]);
    expect(decryptAll(byAge, [{ kind: 'scrypt', passphrase }]).equals(plaintext)).toBe(true);
    expect(() => decryptAll(byAge, [{ kind: 'scrypt', passphrase: 'wrong horse battery staple' }])).toThrow(AgeError);
  });

  it('derives a passphrase key on the thread pool: the calling thread runs on meanwhile, and age -d reads the file', async () => {
    const passphrase = 'correct horse battery staple';
    const recipients: AgeRecipient[] = [{ kind: 'scrypt', passphrase, workFactor: 15 }];
    let turns = 0;
    let deriving = true;
    const count = () => {
      turns++;
      if (deriving) setImmediate(count);
    };
    setImmediate(count);
    const encryptor = await AgeEncryptor.offThread(recipients);
    deriving = false;
    expect(turns).toBeGreaterThan(0);

    const plaintext = randomBytes(70_000);
    const dir = tempDir();
    writeFileSync(join(dir, 'p.age'), encryptAll(plaintext, recipients, encryptor));
    const decrypted = spawnSync('script', ['-qec', `age -d -o ${join(dir, 'out')} ${join(dir, 'p.age')}`, '/dev/null'], {
      input: `${passphrase}\n`,
      encoding: 'utf8',
    });
    expect(decrypted.status, decrypted.stdout).toBe(0);
    expect(execFileSync('cat', [join(dir, 'out')]).equals(plaintext)).toBe(true);
    await expect(AgeEncryptor.offThread([...recipients, ...recipients])).rejects.toThrow('a passphrase cannot be combined with other recipients');
  });

  it('refuses a header asking for scrypt work factor 22 (4 GiB) with a clear message, before running scrypt', () => {
    const passphrase = 'correct horse battery staple';
    const file = encryptAll(randomBytes(1000), [{ kind: 'scrypt', passphrase, workFactor: 10 }]);
    const stanza = /-> scrypt \S+ (10)\n/.exec(file.subarray(0, 200).toString('latin1'))!;
    const crafted = Buffer.from(file);
    crafted.write('22', stanza.index + stanza[0].length - 3, 'latin1');
    const started = performance.now();
    expect(() => decryptAll(crafted, [{ kind: 'scrypt', passphrase }])).toThrow(
      new AgeError('header', 'The age header asks for scrypt work factor 22 (4096 MiB of memory); at most 20 (1024 MiB) is accepted.'),
    );
    // scrypt at 2^22 takes seconds; the refusal comes before it runs.
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('refuses a wrong identity and names a damaged chunk by its byte range', () => {
    const { identity, recipient } = generateIdentity();
    const other = generateIdentity();
    const file = encryptAll(randomBytes(200_000), [parseRecipient(recipient)]);
    expect(() => decryptAll(file, parseIdentityFile(other.identity))).toThrow(/None of the given keys/);
    const damaged = Buffer.from(file);
    const position = file.length - 70_000;
    damaged[position]! ^= 0x01;
    let failure: AgeError | undefined;
    try {
      decryptAll(damaged, parseIdentityFile(identity));
    } catch (error) {
      failure = error as AgeError;
    }
    expect(failure?.failure).toBe('payload');
    expect(failure!.range!.start).toBeLessThanOrEqual(position);
    expect(failure!.range!.end).toBeGreaterThan(position);
  });
});
