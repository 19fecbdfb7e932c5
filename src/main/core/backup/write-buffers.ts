/**
 * Memory a restore copies each file's data into before writing it, at addresses the disk writes from
 * directly (O_DIRECT on Linux): the data then goes to the disk without passing through the page cache, so
 * a restore neither copies a gigabyte into fresh cache pages nor leaves it dirty for the fsyncs to write
 * out. On this VM, once the host had taken back the guest's free memory, that copy alone grew from 2 % to
 * 19 % of a restore's CPU samples, and 2,000 scans written through the cache after a backup took
 * 0.73-1.02 s (1.0-1.5 s system CPU, more each round) against 0.71-0.75 s written directly (~0.95 s).
 * Where direct writes are refused (EINVAL: tmpfs, other file systems; macOS and Windows have no O_DIRECT)
 * the same copies are written through the cache.
 */
import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { DIRECT_ALIGNMENT, firstAlignedOffset, isDirectRefusal } from './direct-io';

const BUFFER_BYTES = 4 * 1024 * 1024;

/** Regions start at multiples of DIRECT_ALIGNMENT within a buffer and are written in multiples of it. */
const roundUp = (bytes: number) => Math.ceil(bytes / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;

export interface Region {
  /** `bytes` rounded up to DIRECT_ALIGNMENT, aligned; what lies beyond the bytes copied in is stale. */
  view: Buffer;
  release(): void;
}

interface PoolBuffer {
  view: Buffer;
  used: number;
  regions: number;
}

export class WriteBuffers {
  /** Whether files are opened for direct writes; cleared for good by the first refusal. */
  direct: boolean;
  private probe: number | null = null;
  private readonly free: PoolBuffer[] = [];
  private current: PoolBuffer | null = null;
  private allocations = 0;

  /**
   * `probePath`: a file name in the folder being written, used to find aligned addresses, removed by close().
   * `bufferBytes`: the size of each buffer, a multiple of DIRECT_ALIGNMENT.
   */
  constructor(
    private readonly probePath: string,
    readonly bufferBytes = BUFFER_BYTES,
  ) {
    if (constants.O_DIRECT !== undefined) {
      try {
        this.probe = openSync(probePath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_DIRECT);
      } catch (error) {
        if (!isDirectRefusal(error)) throw error;
        // Some file systems (ramfs) create the file before refusing the flag.
        rmSync(probePath, { force: true });
      }
    }
    this.direct = this.probe !== null;
  }

  /**
   * Buffers allocated so far. Released buffers are taken again, so this stays at what the writes in flight
   * hold at most (the writer's limit), however much is restored.
   */
  get allocated(): number {
    return this.allocations;
  }

  /** Aligned memory for `bytes` (at most bufferBytes) of one file; several files share a buffer. */
  take(bytes: number): Region {
    const length = roundUp(bytes);
    let buffer = this.current;
    if (!buffer || buffer.used + length > this.bufferBytes) {
      if (buffer && buffer.regions === 0) buffer.used = 0;
      else buffer = this.free.pop() ?? this.allocate();
      this.current = buffer;
    }
    const view = buffer.view.subarray(buffer.used, buffer.used + length);
    buffer.used += length;
    buffer.regions += 1;
    const owner = buffer;
    return {
      view,
      release: () => {
        owner.regions -= 1;
        if (owner.regions === 0 && owner !== this.current) {
          owner.used = 0;
          this.free.push(owner);
        }
      },
    };
  }

  /** Removes the probe; called again after a failure, it does nothing. */
  close(): void {
    if (this.probe === null) return;
    closeSync(this.probe);
    this.probe = null;
    rmSync(this.probePath, { force: true });
  }

  private allocate(): PoolBuffer {
    this.allocations += 1;
    const whole = Buffer.allocUnsafeSlow(this.bufferBytes + DIRECT_ALIGNMENT);
    const probe = this.probe;
    const offset = probe === null ? 0 : firstAlignedOffset((at) => writeSync(probe, whole, at, DIRECT_ALIGNMENT, 0));
    if (offset === null) this.direct = false;
    return { view: whole.subarray(offset ?? 0, (offset ?? 0) + this.bufferBytes), used: 0, regions: 0 };
  }
}
