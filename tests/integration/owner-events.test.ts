/**
 * Events reach every connected client of an owner: two logged-in socket clients both hear the document
 * changes and the reindex progress that a third program's calls cause; a connection that has not logged
 * in hears nothing.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../src/shared/client';
import { readLockHolder } from '../../src/main/core/lock';
import { connectToOwner, isServing } from '../../src/main/owner/client';
import { slipvaultJson } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { ownerClient, slipvaultAsync, startOwner, type RunningOwner } from '../helpers/owner';

const owners: RunningOwner[] = [];
afterAll(async () => {
  for (const owner of owners) await owner.kill();
});

describe('owner events', () => {
  it('reach two logged-in clients, and not one that has not logged in', async () => {
    const dir = tempDir();
    const archive = join(dir, 'archive');
    slipvaultJson(['--archive', archive, 'init']);
    const owner = await startOwner(archive);
    owners.push(owner);

    const heard: EventMessage[][] = [[], [], []];
    const clients = [await ownerClient(archive), await ownerClient(archive)];
    const holder = readLockHolder(archive);
    if (!isServing(holder)) throw new Error('no serving owner');
    const anonymous = await connectToOwner(archive, holder);
    [...clients, anonymous].forEach((client, index) => client.onEvent((message) => heard[index]!.push(message)));

    const imported = await slipvaultAsync(['--archive', archive, '--json', 'import', await writePng(dir, 'a.png'), await writePng(dir, 'b.png')]);
    expect(imported.status, imported.stderr).toBe(0);
    const archiveNos = (JSON.parse(imported.stdout) as { imported: { document: { archiveNo: string } }[] }).imported.map((entry) => entry.document.archiveNo);
    const reindex = await slipvaultAsync(['--archive', archive, 'reindex', '--restart']);
    expect(reindex.status, reindex.stderr).toBe(0);
    // One more round trip on each connection: every event sent before its answer has arrived by then.
    for (const client of [...clients, anonymous]) await client.invoke('auth:status', {});

    for (const events of heard.slice(0, 2)) {
      const changed = events.filter((message) => message.event === 'documents:changed').map((message) => (message.payload as { archiveNo: string }).archiveNo);
      expect(changed).toEqual(archiveNos);
      const progress = events
        .filter((message) => message.event === 'jobs:progress')
        .map((message) => message.payload as { phase: string; done: number; total: number });
      expect(progress.some((step) => step.phase === 'reindex' && step.done === step.total && step.total === 2)).toBe(true);
    }
    expect(heard[2]).toEqual([]);
    for (const client of [...clients, anonymous]) client.close();
    expect(await owner.stop()).toBe(0);
  });
});
