/**
 * A restore's fsync threads (backup/fsync-threads.ts, run from the built dist/workers/fsync-worker.cjs) on
 * real files: every file handed over is synced before finish() returns, and a file that cannot be synced
 * fails the restore with the error the thread met, naming the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsyncThreads } from '../../src/main/core/backup/fsync-threads';
import { tempDir } from '../helpers/fixtures';

function filesIn(dir: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const file = join(dir, `file-${index}`);
    writeFileSync(file, `content ${index}`);
    return file;
  });
}

describe('fsync threads', () => {
  it('syncs every file handed over, on several threads, before finish() returns', async () => {
    const threads = new FsyncThreads(2);
    for (const file of filesIn(tempDir('slipvault-fsync-'), 40)) threads.add(file);
    await expect(threads.finish()).resolves.toBeUndefined();
  });

  it('fails finish() with the error a thread met, naming the file', async () => {
    const dir = tempDir('slipvault-fsync-');
    const missing = join(dir, 'gone');
    const threads = new FsyncThreads(1);
    threads.add(missing);
    for (const file of filesIn(dir, 3)) threads.add(file);
    await expect(threads.finish()).rejects.toMatchObject({ code: 'ENOENT', path: missing });
  });

  it('stops its threads on abandon() without waiting for the files left', async () => {
    const threads = new FsyncThreads(1);
    for (const file of filesIn(tempDir('slipvault-fsync-'), 8)) threads.add(file);
    await expect(threads.abandon()).resolves.toBeUndefined();
  });
});
