/**
 * One owner, many programs: with `slipvault serve` holding the archive, a list, an import, a backup and a
 * hot-folder watcher started from other processes at the same time all succeed through its socket, and
 * the owner still holds the archive afterwards.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport, DocumentSummary } from '../../src/shared/model';
import { slipvaultJson } from '../helpers/cli';
import { writePng } from '../helpers/fixtures';
import { slipvaultAsync, startOwner, type RunningOwner } from '../helpers/owner';
import { newEnglishArchive } from '../helpers/slips';

const owners: RunningOwner[] = [];
afterAll(async () => {
  for (const owner of owners) await owner.kill();
});

describe('slipvault serve', () => {
  it('serves list, import, backup and a hot-folder watcher from other processes at the same time', async () => {
    // English-only OCR: the watcher asks the owner to recognise what it imported.
    const { archive, dir } = newEnglishArchive();
    const files = join(dir, 'files');
    const hot = join(dir, 'hot');
    const target = join(dir, 'usb');
    mkdirSync(files);
    mkdirSync(hot);
    mkdirSync(target);
    const imports = await Promise.all([1, 2, 3].map((n) => writePng(files, `slip-${n}.png`)));
    await writePng(hot, 'scan-1.png');

    const owner = await startOwner(archive);
    owners.push(owner);
    const holder = () => JSON.parse(readFileSync(join(archive, 'slipvault.lock.json'), 'utf8')) as { pid: number; socket?: string; secretFile?: string };
    expect(holder()).toMatchObject({ pid: owner.pid, socket: owner.socket });
    expect(readFileSync(join(archive, 'slipvault.lock.json'), 'utf8')).not.toContain(readFileSync(holder().secretFile!, 'utf8'));

    const [list, imported, backup, watch] = await Promise.all([
      slipvaultAsync(['--archive', archive, '--json', 'list']),
      slipvaultAsync(['--archive', archive, '--json', 'import', ...imports]),
      slipvaultAsync(['--archive', archive, '--json', 'backup', '--to', target], { SLIPVAULT_BACKUP_PASSPHRASE: 'a long enough test passphrase 42' }),
      slipvaultAsync(['--archive', archive, '--json', 'watch', hot, '--once', '--interval', '100', '--quiet', '300']),
    ]);
    for (const run of [list, imported, backup, watch]) {
      expect(run.stderr).not.toContain('in use by');
      expect(run.status, run.stderr).toBe(0);
    }
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: expect.any(Array) });
    expect((JSON.parse(imported.stdout) as { imported: unknown[] }).imported).toHaveLength(3);
    expect(readdirSync(join(hot, 'done'))).toEqual(['scan-1.png']);
    expect(readdirSync(target).length).toBeGreaterThan(0);

    // Still the owner's archive: nobody else took the lock, and what the clients stored is there.
    expect(holder().pid).toBe(owner.pid);
    const after = slipvaultJson<{ items: DocumentSummary[] }>(['--archive', archive, 'list', '--all']);
    expect(after.items).toHaveLength(4);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);

    expect(await owner.stop()).toBe(0);
    // A cleanly stopped owner leaves no socket, no secret and no endpoint in the holder file.
    expect(holder().socket).toBeUndefined();
    expect(readdirSync(join(owner.socket, '..'))).toEqual([]);
  });
});
