/**
 * Reading and writing past the page cache (O_DIRECT, Linux) wants the memory, the file offset and the
 * length aligned to the device's logical block (512 or 4096 bytes). JavaScript cannot see addresses, but a
 * misaligned direct read or write fails at once with EINVAL, so the aligned offset in a buffer is found by
 * trying. Platforms without O_DIRECT (macOS, Windows) and file systems that refuse it go through the cache.
 */

/** Alignment asked of offsets and lengths, and spare bytes a buffer needs to hold an aligned start. */
export const DIRECT_ALIGNMENT = 4096;
/** Buffers from V8 start at least 8-byte aligned. */
const PROBE_STEP = 8;

/** EINVAL: this file system, buffer, offset or length is not one for direct I/O. */
export function isDirectRefusal(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'EINVAL';
}

/**
 * Where the last search found an aligned start: buffers of one size come from the allocator alike (4 MiB
 * ones 16 bytes past a page boundary), and searching each from 0 cost a restore ~750 refused calls (54 ms).
 */
let lastFound = 0;

/**
 * An offset below DIRECT_ALIGNMENT at which `attempt` (a direct read or write of DIRECT_ALIGNMENT bytes
 * there) is not refused, or null when every offset is; any other failure is thrown. The offset found last
 * is tried first.
 */
export function firstAlignedOffset(attempt: (offset: number) => void): number | null {
  const succeeds = (offset: number) => {
    try {
      attempt(offset);
      return true;
    } catch (error) {
      if (!isDirectRefusal(error)) throw error;
      return false;
    }
  };
  if (succeeds(lastFound)) return lastFound;
  for (let offset = 0; offset < DIRECT_ALIGNMENT; offset += PROBE_STEP) {
    if (offset !== lastFound && succeeds(offset)) return (lastFound = offset);
  }
  return null;
}
