/**
 * A command that opened the archive itself serves it while it runs; a long-running client of it (a second
 * hot-folder watcher) keeps working when that command ends: its next call reaches whoever holds the archive
 * then — here, itself — and logs in again.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { CheckReport, DocumentSummary } from '../../src/shared/model';
import { readLockHolder } from '../../src/main/core/lock';
import { slipvaultJson } from '../helpers/cli';
import { writePng } from '../helpers/fixtures';
import { spawnSlipvault } from '../helpers/owner';
import { newEnglishArchive } from '../helpers/slips';

const WATCH = ['--interval', '200', '--quiet', '300'];

describe('a client of a command that ends', () => {
  it('goes on with whoever holds the archive next', async () => {
    const { archive, dir } = newEnglishArchive();
    const [hotA, hotB] = [join(dir, 'hot-a'), join(dir, 'hot-b')];
    mkdirSync(hotA);
    mkdirSync(hotB);

    const first = spawnSlipvault(['--archive', archive, 'watch', hotA, ...WATCH]);
    await vi.waitFor(() => expect(readLockHolder(archive)).toMatchObject({ pid: first.child.pid, program: 'slipvault watch', socket: expect.any(String) }), {
      timeout: 30_000,
      interval: 100,
    });
    const second = spawnSlipvault(['--archive', archive, 'watch', hotB, ...WATCH]);

    await writePng(hotB, 'through-first.png');
    await vi.waitFor(() => expect(existsSync(join(hotB, 'done', 'through-first.png'))).toBe(true), { timeout: 60_000, interval: 200 });
    expect(readLockHolder(archive)?.pid).toBe(first.child.pid);

    first.child.kill('SIGTERM');
    const firstRun = await first.done;
    expect(firstRun.status, firstRun.stderr).toBe(0);

    await writePng(hotB, 'after-first.png');
    await vi.waitFor(() => expect(existsSync(join(hotB, 'done', 'after-first.png'))).toBe(true), { timeout: 60_000, interval: 200 });
    expect(readLockHolder(archive)?.pid).toBe(second.child.pid);

    second.child.kill('SIGTERM');
    const secondRun = await second.done;
    expect(secondRun.status, secondRun.stderr).toBe(0);
    expect(secondRun.stderr).toMatch(/imported \S*through-first\.png as SV-\d{4}-000001/);
    expect(secondRun.stderr).toMatch(/imported \S*after-first\.png as SV-\d{4}-000002/);
    expect(slipvaultJson<{ items: DocumentSummary[] }>(['--archive', archive, 'list', '--all']).items).toHaveLength(2);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  });
});
