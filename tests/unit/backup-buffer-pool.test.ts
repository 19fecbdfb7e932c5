/**
 * The backup's buffer pool: a buffer given back is handed out again (the smallest that fits), so the
 * allocations stop at what is out at once; idle memory beyond its limit is left to the GC.
 */
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/main/core/backup/buffer-pool';

const MIB = 1024 * 1024;

describe('BufferPool', () => {
  it('hands buffers given back out again, however much data passes through', () => {
    const pool = new BufferPool(64 * MIB);
    for (let round = 0; round < 100; round++) {
      const held = [pool.take(512 * 1024), pool.take(700_000), pool.take(3 * MIB + 1)];
      expect(held.map((buffer) => buffer.length)).toEqual([512 * 1024, 700_000, 3 * MIB + 1]);
      held.forEach((buffer) => pool.give(buffer));
    }
    expect(pool.allocations).toBe(3);
  });

  it('takes the smallest free buffer that fits, and never hands one buffer out twice at once', () => {
    const pool = new BufferPool(64 * MIB);
    const big = pool.take(4 * MIB);
    const small = pool.take(MIB);
    pool.give(big);
    pool.give(small);
    const first = pool.take(100);
    const second = pool.take(100);
    expect(first.buffer).toBe(small.buffer);
    expect(second.buffer).toBe(big.buffer);
    expect(pool.take(100).buffer).not.toBe(first.buffer);
    expect(pool.allocations).toBe(3);
  });

  it('keeps no more idle memory than its limit, and zero bytes cost nothing', () => {
    const pool = new BufferPool(2 * MIB);
    const held = [pool.take(MIB), pool.take(MIB), pool.take(MIB)];
    held.forEach((buffer) => pool.give(buffer));
    [pool.take(MIB), pool.take(MIB), pool.take(MIB)].forEach((buffer) => pool.give(buffer));
    expect(pool.allocations).toBe(4);
    const before = pool.allocations;
    pool.give(pool.take(0));
    expect(pool.take(0).length).toBe(0);
    expect(pool.allocations).toBe(before);
  });
});
