/**
 * An owner killed with -9 in the middle of an import: its client is told the owner stopped, a new owner
 * takes the archive over (removing the dead one's socket and secret), `check` passes, and running the
 * import again stores exactly the files the first run had not.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport, DocumentSummary, ImportResult } from '../../src/shared/model';
import type { LockHolder } from '../../src/main/core/lock';
import { readLockHolder } from '../../src/main/core/lock';
import { slipvaultJson } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { ownerClient, slipvaultAsync, startOwner, type RunningOwner } from '../helpers/owner';

const FILES = 40;
const owners: RunningOwner[] = [];
afterAll(async () => {
  for (const owner of owners) await owner.kill();
});

describe('an owner killed with -9 mid-import', () => {
  it('is taken over by a new owner; check passes and the import resumes', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    slipvaultJson(['--archive', archive, 'init']);
    const files = join(dir, 'files');
    mkdirSync(files);
    // Large enough that importing all of them takes far longer than the kill takes to land.
    const paths: string[] = [];
    for (let n = 1; n <= FILES; n += 1) paths.push(await writePng(files, `slip-${String(n).padStart(2, '0')}.png`, 1600, 2200));

    const first = await startOwner(archive);
    owners.push(first);
    const client = await ownerClient(archive);
    // Set by the event handler: the kill happens while the import is still running.
    const owner: { killed?: Promise<void> } = {};
    client.onEvent((message) => {
      if (message.event === 'documents:changed') owner.killed ??= first.kill();
    });
    const cut = await client.invoke('documents:import', { paths });
    await owner.killed;
    expect(cut).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'owner-gone', method: 'documents:import' } } });
    if (cut.ok) return;
    expect(cut.error.message).toContain(`process ${first.pid}`);

    const stale = readLockHolder(archive) as LockHolder;
    expect(stale).toMatchObject({ pid: first.pid, socket: first.socket });
    expect(existsSync(stale.socket!)).toBe(true);
    expect(existsSync(stale.secretFile!)).toBe(true);

    const second = await startOwner(archive);
    owners.push(second);
    expect(second.stderr()).toContain(`Took over from slipvault serve (user`);
    expect(second.stderr()).toContain(`process ${first.pid},`);
    expect(existsSync(stale.socket!)).toBe(false);
    expect(existsSync(stale.secretFile!)).toBe(false);

    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check'])).toMatchObject({ ok: true });
    const stored = slipvaultJson<{ items: DocumentSummary[] }>(['--archive', archive, 'list', '--all', '--limit', '1000']).items.length;
    expect(stored).toBeGreaterThanOrEqual(1);
    expect(stored).toBeLessThan(FILES);

    const again = await slipvaultAsync(['--archive', archive, '--json', 'import', ...paths]);
    const result = JSON.parse(again.stdout) as ImportResult;
    expect(result.imported).toHaveLength(FILES - stored);
    expect(result.failed).toHaveLength(stored);
    for (const failure of result.failed) expect(failure.message).toMatch(/already in the archive/);
    expect(slipvaultJson<{ items: DocumentSummary[] }>(['--archive', archive, 'list', '--all', '--limit', '1000']).items).toHaveLength(FILES);
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check'])).toMatchObject({ ok: true });
    expect(readLockHolder(archive)?.pid).toBe(second.pid);
    expect(await second.stop()).toBe(0);
  });
});
