/**
 * Reading backup volumes past the page cache (O_DIRECT): the bytes are the file's, whatever the buffer,
 * and where the system or the buffer does not allow direct reads the same reads go through the cache.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIRECT_ALIGNMENT, firstAlignedOffset } from '../../src/main/core/backup/direct-io';
import { VolumeFile } from '../../src/main/core/backup/volume-file';
import { tempDir } from '../helpers/fixtures';

const SLOT = 64 * 1024;

/** Whether this file system opens files with O_DIRECT at all (tmpfs before Linux 6.6 does not, nor do macOS and Windows). */
function directOpens(dir: string): boolean {
  if (constants.O_DIRECT === undefined) return false;
  const probe = join(dir, 'probe');
  writeFileSync(probe, 'x');
  try {
    closeSync(openSync(probe, constants.O_RDONLY | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  }
}

/** Reads the whole file in `slotBytes` pieces through views of two slots taken in turn, as the reading thread does. */
function readAll(path: string, view: (volume: VolumeFile, shared: SharedArrayBuffer) => Buffer): { data: Buffer; direct: boolean } {
  const volume = new VolumeFile(path);
  try {
    const slots = [0, 1].map(() => new SharedArrayBuffer(SLOT + DIRECT_ALIGNMENT));
    const views = slots.map((shared) => view(volume, shared));
    const pieces: Buffer[] = [];
    for (let turn = 0; ; turn++) {
      const buffer = views[turn % 2]!;
      const bytes = volume.read(buffer);
      pieces.push(Buffer.from(buffer.subarray(0, bytes)));
      if (bytes < buffer.length) break;
    }
    return { data: Buffer.concat(pieces), direct: volume.readsDirectly };
  } finally {
    volume.close();
  }
}

describe('volume file reads', () => {
  const dir = tempDir('slipvault-volume-');
  const sizes = { empty: 0, 'one byte': 1, 'an exact number of slots': 3 * SLOT, 'slots and a tail': 3 * SLOT + 12345 };

  for (const [name, size] of Object.entries(sizes)) {
    it(`gives the file's bytes for ${name}, through aligned views and through views direct reads refuse`, () => {
      const path = join(dir, `${size}.age`);
      const content = randomBytes(size);
      writeFileSync(path, content);
      const aligned = readAll(path, (volume, shared) => volume.slotView(shared, SLOT));
      expect(aligned.data.equals(content)).toBe(true);
      // One byte in from a slot's start cannot be aligned for any device: the reads fall back to the cache.
      const misaligned = readAll(path, (_volume, shared) => Buffer.from(shared, 1, SLOT));
      expect(misaligned.data.equals(content)).toBe(true);
      if (size > 0) expect(misaligned.direct).toBe(false);
      // A slot size no device reads in: views at the slot's start, reads through the cache.
      const odd = readAll(path, (volume, shared) => volume.slotView(shared, SLOT - 100));
      expect(odd.data.equals(content)).toBe(true);
    });
  }

  it.runIf(directOpens(dir))('reads past the page cache into aligned views where the file system allows it', () => {
    const path = join(dir, 'direct.age');
    const content = randomBytes(5 * SLOT + 777);
    writeFileSync(path, content);
    const result = readAll(path, (volume, shared) => volume.slotView(shared, SLOT));
    expect(result.data.equals(content)).toBe(true);
    expect(result.direct).toBe(true);
  });
});

describe('aligned offset search', () => {
  const dir = tempDir('slipvault-aligned-');

  it.runIf(directOpens(dir))('finds where direct reads work, trying the offset found last first and searching again when it fails', () => {
    const path = join(dir, 'aligned.age');
    writeFileSync(path, randomBytes(DIRECT_ALIGNMENT));
    const fd = openSync(path, constants.O_RDONLY | constants.O_DIRECT);
    try {
      const search = (buffer: Buffer) => {
        const tried: number[] = [];
        const offset = firstAlignedOffset((at) => {
          tried.push(at);
          readSync(fd, buffer, at, DIRECT_ALIGNMENT, 0);
        });
        return { offset, tried };
      };
      // Slot-sized, as the reading thread's: the allocator maps buffers this large alike.
      const slot = () => Buffer.from(new SharedArrayBuffer(4 * 1024 * 1024 + DIRECT_ALIGNMENT));
      const first = slot();
      const found = search(first);
      expect(found.offset).not.toBeNull();
      // So the offset found last works for the next one at the first try.
      const again = search(slot());
      expect(again).toEqual({ offset: found.offset, tried: [found.offset] });
      // Eight bytes further on, the old offset is refused and the search finds the one eight bytes earlier.
      const shifted = search(first.subarray(8));
      expect(shifted.tried[0]).toBe(found.offset);
      expect(shifted.offset).not.toBeNull();
      expect((shifted.offset! + 8 - found.offset!) % 512).toBe(0);
    } finally {
      closeSync(fd);
    }
  });

  it('gives null when every offset is refused, and passes on any other failure', () => {
    const refused = Object.assign(new Error('refused'), { code: 'EINVAL' });
    expect(
      firstAlignedOffset(() => {
        throw refused;
      }),
    ).toBeNull();
    const gone = Object.assign(new Error('gone'), { code: 'EIO' });
    expect(() =>
      firstAlignedOffset(() => {
        throw gone;
      }),
    ).toThrow('gone');
  });
});
