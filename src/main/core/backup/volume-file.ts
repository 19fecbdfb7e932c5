/**
 * Reads a backup volume past the page cache where the system allows it (O_DIRECT on Linux): the disk
 * writes straight into the decryption slots, so a restore or verify neither copies every byte out of the
 * cache nor fills gigabytes of it with a set it reads once, pushing out what the desktop had cached. A
 * verify then also reads what is on the drive, not a copy still in memory from the backup. Elsewhere, or
 * on a file system or buffer O_DIRECT refuses (EINVAL), the same reads go through the cache.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** Extra bytes per slot, so an address the device accepts (its logical block: 512 or 4096) lies within. */
export const DIRECT_READ_ALIGNMENT = 4096;
/** Buffers from V8 start at least 8-byte aligned; probing in such steps finds the aligned offset. */
const PROBE_STEP = 8;

function isInvalid(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EINVAL';
}

export class VolumeFile {
  private fd: number;
  private direct = false;
  private position = 0;

  constructor(private readonly path: string) {
    if (constants.O_DIRECT !== undefined) {
      try {
        this.fd = openSync(path, constants.O_RDONLY | constants.O_DIRECT);
        this.direct = true;
        return;
      } catch (error) {
        if (!isInvalid(error)) throw error;
      }
    }
    this.fd = openSync(path, 'r');
  }

  /**
   * A view of `bytes` within `shared` (which has DIRECT_READ_ALIGNMENT bytes to spare) at an address the
   * device reads into directly: found by trying, since JavaScript cannot see addresses and a misaligned
   * direct read fails at once with EINVAL. The start of `shared` when reads go through the cache anyway.
   */
  slotView(shared: SharedArrayBuffer, bytes: number): Buffer {
    const whole = Buffer.from(shared);
    if (this.direct && bytes % DIRECT_READ_ALIGNMENT === 0 && shared.byteLength >= bytes + DIRECT_READ_ALIGNMENT) {
      for (let offset = 0; offset < DIRECT_READ_ALIGNMENT; offset += PROBE_STEP) {
        try {
          // An empty file reads nothing at any address and proves nothing.
          if (readSync(this.fd, whole, offset, DIRECT_READ_ALIGNMENT, 0) > 0) return whole.subarray(offset, offset + bytes);
          break;
        } catch (error) {
          if (!isInvalid(error)) throw error;
        }
      }
    }
    return whole.subarray(0, bytes);
  }

  /** Whether reads still go past the page cache. */
  get readsDirectly(): boolean {
    return this.direct;
  }

  /** Fills `buffer` with the file's next bytes; fewer only at the end of the file. */
  read(buffer: Buffer): number {
    let done = 0;
    while (done < buffer.length) {
      let bytesRead: number;
      try {
        bytesRead = readSync(this.fd, buffer, done, buffer.length - done, this.position);
      } catch (error) {
        if (!this.direct || !isInvalid(error)) throw error;
        this.readThroughCache();
        continue;
      }
      if (bytesRead === 0) break;
      done += bytesRead;
      this.position += bytesRead;
    }
    return done;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** This buffer, length or position is not one the device reads into directly: go on through the cache. */
  private readThroughCache(): void {
    const fd = openSync(this.path, 'r');
    closeSync(this.fd);
    this.fd = fd;
    this.direct = false;
  }
}
