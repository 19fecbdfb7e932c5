/**
 * Bad input around an owner, each with its own message and nothing stored changed: a second owner on the
 * same archive, a client with a wrong secret (on the raw socket and through the CLI), a socket that does
 * not answer while its owner still holds the archive, and the stale socket a killed owner leaves.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckReport, DocumentSummary } from '../../src/shared/model';
import { readLockHolder, type LockHolder } from '../../src/main/core/lock';
import { slipvaultJson } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { slipvaultAsync, startOwner, type RunningOwner } from '../helpers/owner';

const owners: RunningOwner[] = [];
afterAll(async () => {
  for (const owner of owners) await owner.kill();
});

/** Sends raw lines to a socket and collects what comes back until the owner hangs up. */
function exchange(socket: string, lines: string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const client = connect(socket);
    let received = '';
    client.on('data', (chunk) => (received += chunk.toString()));
    client.on('error', reject);
    client.on('close', () =>
      resolve(
        received
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as unknown),
      ),
    );
    client.write(lines.map((line) => `${line}\n`).join(''));
  });
}

async function newArchiveWithOneDocument(): Promise<{ archive: string; listing: () => string[] }> {
  const dir = tempDir();
  const archive = join(dir, 'archive');
  slipvaultJson(['--archive', archive, 'init']);
  slipvaultJson(['--archive', archive, 'import', await writePng(dir, 'slip.png')]);
  const listing = () =>
    slipvaultJson<{ items: DocumentSummary[] }>(['--archive', archive, 'list', '--all']).items.map((item) => `${item.archiveNo}@${item.currentVersion}`);
  return { archive, listing };
}

describe('owner refusals', () => {
  it('refuses a second owner, naming the running one', async () => {
    const { archive, listing } = await newArchiveWithOneDocument();
    const before = listing();
    const owner = await startOwner(archive);
    owners.push(owner);
    const second = await slipvaultAsync(['--archive', archive, 'serve', '--no-ocr']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`is in use by slipvault serve \\(user .+ process ${owner.pid}, since `));
    expect(readLockHolder(archive)).toMatchObject({ pid: owner.pid, socket: owner.socket });
    expect(listing()).toEqual(before);
    expect(await owner.stop()).toBe(0);
  });

  it('refuses a wrong secret and a call without one, on the socket and through the CLI', async () => {
    const { archive, listing } = await newArchiveWithOneDocument();
    const before = listing();
    const owner = await startOwner(archive);
    owners.push(owner);

    const wrong = await exchange(owner.socket, [
      JSON.stringify({ kind: 'hello', secret: 'not-the-secret' }),
      JSON.stringify({ id: 1, method: 'documents:list', input: {} }),
    ]);
    expect(wrong).toEqual([
      {
        kind: 'refused',
        error: {
          code: 'UNAUTHENTICATED',
          message: expect.stringContaining("the secret presented is not this owner's") as string,
          details: { reason: 'wrong-owner-secret' },
        },
      },
    ]);
    const noHello = await exchange(owner.socket, [JSON.stringify({ id: 1, method: 'documents:list', input: {} })]);
    expect(noHello).toMatchObject([{ kind: 'refused', error: { code: 'UNAUTHENTICATED', details: { reason: 'wrong-owner-secret' } } }]);

    // The secret file no longer holds the owner's secret: the CLI presents what it reads and is refused.
    const { secretFile } = readLockHolder(archive) as LockHolder;
    const secret = readFileSync(secretFile!, 'utf8');
    writeFileSync(secretFile!, 'x'.repeat(secret.length));
    const refused = await slipvaultAsync(['--archive', archive, 'list']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`Refused by the owner of ${archive} (slipvault serve, process ${owner.pid}): the secret presented is not this owner's.`);
    writeFileSync(secretFile!, secret);
    expect(listing()).toEqual(before);
    expect(await owner.stop()).toBe(0);
  });

  it('says so when the owner holds the archive but its socket does not answer', async () => {
    const { archive } = await newArchiveWithOneDocument();
    const owner = await startOwner(archive);
    owners.push(owner);
    unlinkSync(owner.socket);
    const run = await slipvaultAsync(['--archive', archive, 'list']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`is held by slipvault serve (user`);
    expect(run.stderr).toContain(`but its socket ${owner.socket} does not answer (ENOENT)`);
    await owner.kill();
  });

  it('recovers from the stale socket and secret of a killed owner', async () => {
    const { archive, listing } = await newArchiveWithOneDocument();
    const before = listing();
    const owner = await startOwner(archive);
    owners.push(owner);
    const { socket, secretFile } = readLockHolder(archive) as LockHolder;
    await owner.kill();
    expect(existsSync(socket!)).toBe(true);
    expect(existsSync(secretFile!)).toBe(true);

    // No owner runs: the command opens the archive itself, removing what the dead one left.
    expect(listing()).toEqual(before);
    expect(existsSync(socket!)).toBe(false);
    expect(existsSync(secretFile!)).toBe(false);
    expect(readLockHolder(archive)).not.toHaveProperty('socket');
    expect(slipvaultJson<CheckReport>(['--archive', archive, 'check']).ok).toBe(true);
  });
});
