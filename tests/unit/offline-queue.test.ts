/**
 * The workstation's offline queue (host/offline-queue.ts) on real folders: items listed in the order they
 * were queued and per server; a full disk refuses the new item with DISK_FULL, keeps nothing of it and
 * loses none of the others; what a crash leaves half written (a temporary copy, a copy without manifest)
 * is not an item and is cleared at a later start.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OfflineQueue } from '../../src/main/host/offline-queue';
import { tempDir } from '../helpers/fixtures';
import { canMountTmpfs, mountTmpfs } from '../helpers/tmpfs';

const SERVER = 'svs://archive.office.lan:7443';

function fileOf(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('the offline queue', () => {
  it('lists each server’s items in the order they were queued, each a copy with its hash', async () => {
    const files = tempDir('slipvault-queue-files-');
    const queue = new OfflineQueue(join(tempDir('slipvault-queue-'), 'upload-queue'));
    const names = ['a.jpg', 'b.pdf', 'c.png'];
    for (const name of names) await queue.add(SERVER, fileOf(files, name, randomBytes(2000)), name);
    await queue.add('svs://other:7443', fileOf(files, 'other.jpg', randomBytes(10)), 'other.jpg');
    const items = queue.list(SERVER);
    expect(items.map((item) => item.name)).toEqual(names);
    rmSync(join(files, 'a.jpg'));
    // The copy is the queue's own: the original may go away.
    expect(readFileSync(queue.fileOf(items[0]!))).toHaveLength(2000);
    expect(queue.status(SERVER)).toMatchObject({ waiting: 3, refused: 0, draining: false });
    expect(queue.status(null)).toEqual({ waiting: 0, refused: 0, draining: false, items: [] });
  });

  it('clears what a crash left half written at the next start, and keeps every whole item', async () => {
    const folder = join(tempDir('slipvault-queue-'), 'upload-queue');
    const queue = new OfflineQueue(folder);
    const kept = await queue.add(SERVER, fileOf(tempDir('slipvault-queue-files-'), 'kept.jpg', randomBytes(100)), 'kept.jpg');
    const leftovers = ['000000000000001-aaaa.file.tmp', '000000000000002-bbbb.file', '000000000000003-cccc.json.tmp'];
    const longAgo = new Date(Date.now() - 60 * 60 * 1000);
    for (const name of leftovers) {
      writeFileSync(join(folder, name), 'half');
      utimesSync(join(folder, name), longAgo, longAgo);
    }
    const fresh = '000000000000004-dddd.file.tmp';
    writeFileSync(join(folder, fresh), 'being written by another host right now');

    const restarted = new OfflineQueue(folder);
    expect(readdirSync(folder).sort()).toEqual([fresh, `${kept.id}.file`, `${kept.id}.json`].sort());
    expect(restarted.list(SERVER).map((item) => item.id)).toEqual([kept.id]);
  });
});

describe('the offline queue on a full disk', () => {
  const mountPoint = tempDir('slipvault-queue-tinydisk-');
  let mounted = false;

  beforeAll(() => {
    mounted = canMountTmpfs && mountTmpfs(mountPoint, 'size=1m');
  });

  afterAll(() => {
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  it('refuses the item that does not fit with DISK_FULL, keeping nothing of it and all the others', async (ctx) => {
    if (!mounted) ctx.skip('mounting a tmpfs needs root');
    const queue = new OfflineQueue(join(mountPoint, 'upload-queue'));
    const files = tempDir('slipvault-queue-files-');
    const first = await queue.add(SERVER, fileOf(files, 'fits.jpg', randomBytes(200_000)), 'fits.jpg');
    const large = fileOf(files, 'too-large.pdf', randomBytes(2 * 1024 * 1024));
    await expect(queue.add(SERVER, large, 'too-large.pdf')).rejects.toMatchObject({
      code: 'DISK_FULL',
      messageKey: 'uploadQueue.diskFull',
      details: { reason: 'queue-disk-full', file: 'too-large.pdf' },
    });
    expect(readdirSync(join(mountPoint, 'upload-queue')).sort()).toEqual([`${first.id}.file`, `${first.id}.json`]);
    expect(queue.list(SERVER).map((item) => item.name)).toEqual(['fits.jpg']);
    expect(readFileSync(large)).toHaveLength(2 * 1024 * 1024);
  });
});
