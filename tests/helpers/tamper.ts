/** Damaging stored files on purpose in fault tests, and catching the refusal that must follow. */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { SlipVaultError } from '../../src/shared/errors';

/** Flips one bit of the byte at `position`; flipping it again restores the file. */
export function flipByte(path: string, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, position);
    byte[0]! ^= 0x20;
    writeSync(fd, byte, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}

/** The SlipVaultError `work` rejects with; anything else (or success) fails the test. */
export async function refusalFrom(work: () => Promise<unknown>): Promise<SlipVaultError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SlipVaultError) return error;
    throw error;
  }
  throw new Error('expected a refusal, but it succeeded');
}
