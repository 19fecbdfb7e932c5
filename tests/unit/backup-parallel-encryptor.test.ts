/**
 * The two-thread encryptor of a full backup: whatever the sizes and however the plaintext arrives, the stream
 * it writes is one age file (Debian's `age` decrypts it), its buffers can be reused once written, and a
 * backup too small for the helper thread seals everything on its own.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgeDecryptor, generateIdentity, parseIdentityFile, parseRecipient, type AgeIdentity } from '../../src/main/core/backup/age';
import { ParallelEncryptor, type ParallelEncryptorOptions } from '../../src/main/core/backup/parallel-encryptor';
import { tempDir } from '../helpers/fixtures';

const CHUNK = 64 * 1024;
/** Four chunks a batch: a few kilobytes cover several batches, each split between the threads. */
const SMALL_BATCH = 4 * CHUNK;
const opened: ParallelEncryptor[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((encryptor) => encryptor.close()));
});

function keys(): { recipient: ReturnType<typeof parseRecipient>; identities: AgeIdentity[]; identity: string } {
  const { identity, recipient } = generateIdentity();
  return { recipient: parseRecipient(recipient), identities: parseIdentityFile(identity), identity };
}

/** Encrypts `plaintext` fed in pieces of `piece` bytes; each sealed buffer is copied, then handed back for reuse. */
async function encrypt(
  plaintext: Buffer,
  piece: number,
  options: ParallelEncryptorOptions,
): Promise<{ file: Buffer; headerBytes: number; identities: AgeIdentity[]; identity: string }> {
  const { recipient, identities, identity } = keys();
  const encryptor = new ParallelEncryptor([recipient], options);
  opened.push(encryptor);
  const out: Buffer[] = [Buffer.from(encryptor.header)];
  for (let offset = 0; offset < plaintext.length; offset += piece) {
    for (const sealed of await encryptor.update(plaintext.subarray(offset, offset + piece))) {
      out.push(Buffer.from(sealed));
      encryptor.recycle(sealed);
    }
  }
  out.push(...(await encryptor.final()));
  return { file: Buffer.concat(out), headerBytes: encryptor.header.length, identities, identity };
}

function decrypt(file: Buffer, identities: AgeIdentity[]): Buffer {
  const decryptor = new AgeDecryptor(identities);
  return Buffer.concat([...decryptor.push(Buffer.from(file)), ...decryptor.end()]);
}

describe('ParallelEncryptor', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, SMALL_BATCH, SMALL_BATCH + 1, 2 * SMALL_BATCH, 3 * SMALL_BATCH + CHUNK / 2 + 3])(
    'writes one age stream of %i bytes with the helper thread',
    async (bytes) => {
      const plaintext = randomBytes(bytes);
      const { file, headerBytes, identities } = await encrypt(plaintext, 50_001, { batchBytes: SMALL_BATCH });
      expect(decrypt(file, identities).equals(plaintext)).toBe(true);
      // One chunk per 64 KiB (an empty stream has one empty chunk), a 16-byte tag each.
      expect(file.length - headerBytes).toBe(bytes + 16 * Math.max(1, Math.ceil(bytes / CHUNK)));
    },
  );

  it('writes what Debian age decrypts, fed in large and tiny pieces alike', async () => {
    const dir = tempDir();
    const plaintext = randomBytes(5 * SMALL_BATCH + 12_345);
    for (const piece of [7, 1_000_003]) {
      const { file, identity } = await encrypt(piece === 7 ? plaintext.subarray(0, 300_000) : plaintext, piece, { batchBytes: SMALL_BATCH });
      const keyFile = join(dir, `key-${piece}.txt`);
      execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', identity, keyFile]);
      const expected = piece === 7 ? plaintext.subarray(0, 300_000) : plaintext;
      expect(execFileSync('age', ['-d', '-i', keyFile], { input: file, maxBuffer: 64 * 1024 * 1024 }).equals(expected)).toBe(true);
    }
  });

  it('seals on this thread alone when told to start no helper, with the default batch size', async () => {
    const plaintext = randomBytes(9 * 1024 * 1024 + 17);
    const { file, identities } = await encrypt(plaintext, 1024 * 1024, { helper: false });
    expect(decrypt(file, identities).equals(plaintext)).toBe(true);
  });

  it('refuses to go on once closed, rather than wait for a helper thread that is gone', async () => {
    const encryptor = new ParallelEncryptor([keys().recipient], { batchBytes: SMALL_BATCH });
    await encryptor.update(randomBytes(SMALL_BATCH));
    await encryptor.close();
    await expect(encryptor.update(randomBytes(CHUNK))).rejects.toThrow(/closed/);
  });

  it('refuses a batch size that is not a whole number of chunks', () => {
    expect(() => new ParallelEncryptor([keys().recipient], { helper: false, batchBytes: CHUNK + 1 })).toThrow(/multiple of 64 KiB/);
  });
});
