/**
 * Reads a backup volume past the page cache where the system allows it (direct-io.ts): the disk writes
 * straight into the decryption slots, so a restore or verify neither copies every byte out of the cache
 * nor fills gigabytes of it with a set it reads once, pushing out what the desktop had cached. A verify
 * then also reads what is on the drive, not a copy still in memory from the backup.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { DIRECT_ALIGNMENT, firstAlignedOffset, isDirectRefusal } from './direct-io';

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
        if (!isDirectRefusal(error)) throw error;
      }
    }
    this.fd = openSync(path, 'r');
  }

  /**
   * A view of `bytes` within `shared` past its first `headroom` bytes (which leaves DIRECT_ALIGNMENT bytes to
   * spare) at an address the device reads into directly (direct-io.ts); right after the headroom when reads go
   * through the cache anyway.
   */
  slotView(shared: SharedArrayBuffer, bytes: number, headroom = 0): Buffer {
    const room = Buffer.from(shared, headroom);
    if (!this.direct || bytes % DIRECT_ALIGNMENT !== 0 || room.length < bytes + DIRECT_ALIGNMENT) return room.subarray(0, bytes);
    const offset = firstAlignedOffset((at) => readSync(this.fd, room, at, DIRECT_ALIGNMENT, 0)) ?? 0;
    return room.subarray(offset, offset + bytes);
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
        if (!this.direct || !isDirectRefusal(error)) throw error;
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
