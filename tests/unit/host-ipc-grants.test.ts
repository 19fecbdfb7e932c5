/**
 * The Electron side of the path check, without Electron (host/ipc.ts takes ipcMain structurally): the
 * window's calls reach the real core only with paths the user handed over — a file the preload granted
 * for a drop or the file chooser, a folder the user confirmed in the shell's dialog — and only a validated
 * sender can grant.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../src/main/core/api';
import { clientAs } from '../helpers/sessions';
import { initArchive, type Archive } from '../../src/main/core/archive';
import { IPC_CALL_CHANNEL, IPC_GRANT_FILE_CHANNEL, registerIpc, type InvokeEventLike, type IpcMainLike } from '../../src/main/host/ipc';
import { PathGrants, type NamedPath } from '../../src/main/host/path-grants';
import { tempDir, writeJpeg } from '../helpers/fixtures';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

const WINDOW: InvokeEventLike = { sender: {}, senderFrame: { url: 'app://slipvault/index.html', parent: null } };
const STRANGER: InvokeEventLike = { sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } };

let archive: Archive;
let api: Api;
let listeners: Map<string, Listener>;
let confirmations: NamedPath[];
let confirmAnswer: boolean;
let dispose: () => void;

beforeEach(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
  api = createApi(archive);
  listeners = new Map();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => listeners.set(channel, listener),
    removeHandler: (channel) => listeners.delete(channel),
  };
  confirmations = [];
  confirmAnswer = false;
  dispose = registerIpc({
    ipcMain,
    handler: await clientAs(api, archive, 'admin', 'clerk-li'),
    validateSender: (event) => event === WINDOW,
    grants: new PathGrants(),
    confirmFolder: async (named) => {
      confirmations.push(named);
      return confirmAnswer;
    },
  });
});

afterEach(async () => {
  dispose();
  await api.dispose();
  archive.close();
});

const call = (method: string, input: unknown, from = WINDOW) =>
  listeners.get(IPC_CALL_CHANNEL)!(from, { method, input }) as Promise<{ ok: boolean; error?: { message: string } }>;
const grant = (path: unknown, from = WINDOW) => listeners.get(IPC_GRANT_FILE_CHANNEL)!(from, path);

describe('Electron IPC and path grants', () => {
  it('imports a file only after the preload granted it, and only the window may grant', async () => {
    const file = await writeJpeg(tempDir('slipvault-files-'), 'dropped.jpg');
    const refused = await call('documents:import', { paths: [file] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(refused.error?.message).toContain(`${file} was not chosen by the user as the file to import`);

    expect(grant(file, STRANGER)).toBe(false);
    expect(grant('relative/dropped.jpg')).toBe(false);
    expect(grant(42)).toBe(false);
    expect(await call('documents:import', { paths: [file] })).toMatchObject({ ok: false });
    expect(archive.status().documents).toBe(0);

    expect(grant(file)).toBe(true);
    expect(await call('documents:import', { paths: [file] })).toMatchObject({ ok: true });
    expect(archive.status().documents).toBe(1);
    // A file is never confirmed by dialog: only the drop or the file chooser hands it over.
    expect(confirmations).toEqual([]);
  });

  it('uses a typed folder only when the user confirms it in the shell dialog, and asks once', async () => {
    const target = tempDir('slipvault-backups-');
    const declined = await call('backup:list', { target });
    expect(declined.error?.message).toContain(`${target} was not chosen by the user as the backup folder`);

    confirmAnswer = true;
    expect(await call('backup:list', { target })).toEqual({ ok: true, value: [] });
    expect(await call('backup:list', { target })).toEqual({ ok: true, value: [] });
    expect(confirmations).toEqual([
      { path: target, use: 'folder', role: 'backup-target' },
      { path: target, use: 'folder', role: 'backup-target' },
    ]);

    const hot = join(target, 'scans');
    mkdirSync(hot);
    // Inside a confirmed folder: no second question.
    expect(await call('settings:update', { changes: { hotFolderPath: hot } })).toMatchObject({ ok: true });
    expect(confirmations).toHaveLength(2);
  });

  it('removes both channels on dispose', () => {
    dispose();
    expect([...listeners.keys()]).toEqual([]);
    dispose = () => undefined;
  });
});
