/**
 * The owner launcher (src/main/owner/launcher.ts) as the desktop app uses it, with a real owner process:
 * forked from dist/main/owner.cjs on a temp archive, reached over its socket, beside the CLI; killed with
 * -9 and started again; an owner already running (`slipvault serve`) used instead of starting one; why an
 * owner could not start passed on as the core said it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../src/shared/client';
import { SlipVaultError } from '../../src/shared/errors';
import type { SecretStore } from '../../src/main/core/backup/secret-store';
import { readLockHolder } from '../../src/main/core/lock';
import type { OwnerConnection } from '../../src/main/owner/client';
import { launchOwner, type LaunchedOwner, type OwnerGone } from '../../src/main/owner/launcher';
import { slipvaultJson } from '../helpers/cli';
import { tempDir, writePng } from '../helpers/fixtures';
import { slipvaultAsync, startOwner } from '../helpers/owner';
import { TEST_PASSWORD } from '../helpers/sessions';

const PROGRAM = 'launcher test';
const open: LaunchedOwner[] = [];

afterEach(async () => {
  for (const owner of open.splice(0)) await owner.close();
});

async function launch(archive: string, options: Partial<Parameters<typeof launchOwner>[1]> = {}): Promise<LaunchedOwner> {
  const owner = await launchOwner(archive, { program: PROGRAM, ...options });
  open.push(owner);
  return owner;
}

async function loggedIn(owner: LaunchedOwner): Promise<OwnerConnection> {
  const connection = await owner.connect();
  const login = await connection.invoke('auth:login', { username: 'clerk-li', password: TEST_PASSWORD });
  if (!login.ok) throw new Error(login.error.message);
  return connection;
}

function newArchive(): string {
  const archive = join(tempDir(), 'archive');
  slipvaultJson(['--archive', archive, 'init']);
  return archive;
}

const goneOnce = (owner: LaunchedOwner) => new Promise<OwnerGone>((resolve) => owner.onGone(resolve));

describe('owner launcher', () => {
  it('starts the owner as a child process that serves calls and events, beside the CLI', async () => {
    const archive = newArchive();
    const owner = await launch(archive);
    expect(owner.startedHere).toBe(true);
    expect(owner.holder.pid).not.toBe(process.pid);
    expect(readLockHolder(archive)).toMatchObject({ pid: owner.holder.pid, program: PROGRAM, socket: owner.holder.socket });

    const window = await loggedIn(owner);
    const heard: EventMessage[] = [];
    window.onEvent((message) => heard.push(message));
    const dir = tempDir();
    const imported = await window.invoke('documents:import', { paths: [await writePng(dir, 'a.png')] });
    expect(imported).toMatchObject({ ok: true, value: { imported: [expect.anything()] } });

    // The CLI at the same time: its import and list go to the same owner, while the window lists.
    const [cliImport, windowList] = await Promise.all([
      slipvaultAsync(['--archive', archive, '--json', 'import', await writePng(dir, 'b.png')]),
      window.invoke('documents:list', {}),
    ]);
    expect(cliImport.status, cliImport.stderr).toBe(0);
    expect(windowList.ok).toBe(true);
    const listed = await slipvaultAsync(['--archive', archive, '--json', 'list']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ total: 2 });

    await window.invoke('auth:status', {});
    const changed = heard.filter((message) => message.event === 'documents:changed').map((message) => (message.payload as { archiveNo: string }).archiveNo);
    expect(new Set(changed).size).toBe(2);
    window.close();
  });

  it('reports an owner killed with -9 and starts a new one that takes over the archive', async () => {
    const archive = newArchive();
    const first = await launch(archive);
    const window = await loggedIn(first);
    expect(await window.invoke('documents:import', { paths: [await writePng(tempDir(), 'a.png')] })).toMatchObject({ ok: true });
    const gone = goneOnce(first);
    process.kill(first.holder.pid, 'SIGKILL');
    const report = await gone;
    expect(report).toMatchObject({ signal: 'SIGKILL' });
    expect(report.message).toContain(`process ${first.holder.pid}) was ended by SIGKILL`);
    expect(await window.invoke('documents:list', {})).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'owner-closed' } } });

    const second = await launch(archive);
    expect(second.startedHere).toBe(true);
    expect(second.holder.pid).not.toBe(first.holder.pid);
    const again = await loggedIn(second);
    expect(await again.invoke('documents:list', {})).toMatchObject({ ok: true, value: { total: 1 } });
    const check = await slipvaultAsync(['--archive', archive, 'check']);
    expect(check.status, check.stderr).toBe(0);
    again.close();
  });

  it('uses an owner that already serves the archive, and reports when it stops', async () => {
    const archive = newArchive();
    const serve = await startOwner(archive);
    const owner = await launch(archive);
    expect(owner.startedHere).toBe(false);
    expect(owner.holder.pid).toBe(serve.pid);
    const window = await loggedIn(owner);
    expect(await window.invoke('archive:status', {})).toMatchObject({ ok: true, value: { path: archive } });
    const gone = goneOnce(owner);
    expect(await serve.stop()).toBe(0);
    expect((await gone).message).toContain('slipvault serve');
    window.close();
  });

  it('keeps the owner socket refusal for a wrong secret', async () => {
    const archive = newArchive();
    const owner = await launch(archive);
    writeFileSync(owner.holder.secretFile, 'not the secret');
    await expect(launchOwner(archive, { program: PROGRAM })).rejects.toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'wrong-owner-secret' } });
  });

  it('creates a new archive in the owner process, and passes on why an owner could not start', async () => {
    const fresh = join(tempDir(), 'new-archive');
    const created = await launch(fresh, { create: true });
    const window = await created.connect();
    expect(await window.invoke('auth:status', {})).toMatchObject({ ok: true, value: { setupRequired: true } });
    window.close();

    const missing = join(tempDir(), 'nowhere');
    const notAnArchive = launchOwner(missing, { program: PROGRAM });
    await expect(notAnArchive).rejects.toBeInstanceOf(SlipVaultError);
    await expect(notAnArchive).rejects.toMatchObject({
      code: 'NOT_AN_ARCHIVE',
      message: `${missing} does not exist. Create an archive there with \`slipvault init\`.`,
    });
    await expect(launchOwner(newArchive(), { program: PROGRAM, create: true })).rejects.toMatchObject({ code: 'ARCHIVE_EXISTS' });
  });

  it("asks the starter's secret store for the scheduled backups' passphrase", async () => {
    const archive = newArchive();
    const kept = new Map<string, string>();
    const secrets: SecretStore = {
      place: 'the test keeper',
      passphrase: async (archiveId) => kept.get(archiveId) ?? null,
      savePassphrase: async (archiveId, passphrase) => {
        kept.set(archiveId, passphrase);
      },
    };
    const owner = await launch(archive, { secrets });
    const window = await loggedIn(owner);
    expect(await window.invoke('backup:scheduleStatus', {})).toMatchObject({ ok: true, value: { passphraseKept: false } });
    const saved = await window.invoke('backup:saveSchedulePassphrase', { passphrase: 'a long enough backup passphrase 42' });
    expect(saved).toMatchObject({ ok: true, value: { place: 'the test keeper' } });
    expect([...kept.values()]).toEqual(['a long enough backup passphrase 42']);
    expect(await window.invoke('backup:scheduleStatus', {})).toMatchObject({ ok: true, value: { passphraseKept: true } });
    window.close();
  });
});
