/**
 * Buffers a backup hands out and takes back, so that reading and sealing a gigabyte does not touch fresh
 * memory for every blob: a new buffer per blob read and per blob sealed cost page faults and garbage collection
 * in proportion to the data (bench/results/backup-history.md).
 */
const GRANULE = 1024 * 1024;

export class BufferPool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  /** Buffers allocated so far: bounded by what is out at once, not by the data that passes through. */
  allocations = 0;

  /** `keepBytes`: how much idle memory the pool may hold; a buffer given back beyond it is left to the GC. */
  constructor(private readonly keepBytes: number) {}

  /** A buffer of exactly `bytes`, its contents undefined; give it back once nothing reads it any more. */
  take(bytes: number): Buffer {
    if (bytes === 0) return Buffer.alloc(0);
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i]!.length;
      if (length >= bytes && (best < 0 || length < this.free[best]!.length)) best = i;
    }
    if (best < 0) {
      this.allocations++;
      return Buffer.allocUnsafeSlow(Math.max(GRANULE, Math.ceil(bytes / GRANULE) * GRANULE)).subarray(0, bytes);
    }
    const [whole] = this.free.splice(best, 1);
    this.freeBytes -= whole!.length;
    return whole!.subarray(0, bytes);
  }

  give(buffer: Buffer): void {
    if (buffer.length === 0) return;
    // take() hands out views from the start of buffers of their own: the whole one is the view's ArrayBuffer.
    const whole = Buffer.from(buffer.buffer, 0, buffer.buffer.byteLength);
    if (this.freeBytes + whole.length > this.keepBytes) return;
    this.free.push(whole);
    this.freeBytes += whole.length;
  }
}
