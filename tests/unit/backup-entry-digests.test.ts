/**
 * The decryption thread's digests of a set's files: one SHA-256 per tar entry, in order, however the
 * plaintext is cut into pieces; a stream the parser refuses yields no more digests and no exception.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EntryDigests } from '../../src/main/core/backup/entry-digests';
import { TAR_END, tarFileHeader, tarPadding } from '../../src/main/core/backup/tar';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function tarOf(files: Buffer[]): Buffer {
  return Buffer.concat([...files.flatMap((data, index) => [tarFileHeader(`blobs/${index}`, data.length, 0), data, tarPadding(data.length)]), TAR_END]);
}

describe('entry digests', () => {
  const files = [0, 1, 511, 512, 513, 70_000, 0, 200_001].map((size) => randomBytes(size));
  const stream = tarOf(files);

  for (const piece of [1, 100, 512, 4099, stream.length]) {
    it(`gives each file's SHA-256 in order, the stream pushed in pieces of ${piece} bytes`, () => {
      const digests = new EntryDigests();
      const taken: string[] = [];
      for (let at = 0; at < stream.length; at += piece) {
        digests.push(stream.subarray(at, at + piece));
        taken.push(...digests.take());
      }
      expect(taken).toEqual(files.map(sha256));
      expect(digests.take()).toEqual([]);
    });
  }

  it('stops giving digests at a damaged header, without throwing', () => {
    const damaged = Buffer.from(stream);
    const secondHeader = 512; // the first file is empty: the second header follows the first at once
    damaged.writeUInt8(damaged.readUInt8(secondHeader + 10) ^ 0xff, secondHeader + 10);
    const digests = new EntryDigests();
    expect(() => digests.push(damaged)).not.toThrow();
    expect(digests.take()).toEqual([sha256(files[0]!)]);
    digests.push(tarOf([randomBytes(10)]));
    expect(digests.take()).toEqual([]);
  });
});
