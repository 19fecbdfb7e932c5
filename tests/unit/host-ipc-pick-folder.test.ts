/**
 * The Electron folder chooser through host/ipc.ts, without Electron (ipcMain is structural): a folder the
 * user chose in the shell's dialog is granted to the window for what follows (a backup there reaches the real
 * core), a cancelled dialog grants nothing, and neither a foreign sender nor an unknown purpose gets a dialog.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../src/main/core/api';
import { initArchive, type Archive } from '../../src/main/core/archive';
import type { FolderPurpose } from '../../src/shared/client';
import { IPC_CALL_CHANNEL, IPC_PICK_FOLDER_CHANNEL, registerIpc, type InvokeEventLike, type IpcMainLike } from '../../src/main/host/ipc';
import { PathGrants } from '../../src/main/host/path-grants';
import { tempDir } from '../helpers/fixtures';
import { clientAs } from '../helpers/sessions';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

const WINDOW: InvokeEventLike = { sender: {}, senderFrame: { url: 'app://slipvault/index.html', parent: null } };
const STRANGER: InvokeEventLike = { sender: {}, senderFrame: { url: 'https://evil.example/', parent: null } };
const PASSPHRASE = 'lantern copper 47 river';

let archive: Archive;
let api: Api;
let listeners: Map<string, Listener>;
let dialogs: FolderPurpose[];
let chosen: string | null;
let dispose: () => void;

beforeEach(async () => {
  archive = await initArchive(join(tempDir(), 'archive'), { actor: 'clerk-li' });
  api = createApi(archive);
  listeners = new Map();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => listeners.set(channel, listener),
    removeHandler: (channel) => listeners.delete(channel),
  };
  dialogs = [];
  chosen = null;
  dispose = registerIpc({
    ipcMain,
    handler: await clientAs(api, archive, 'clerk', 'clerk-li'),
    validateSender: (event) => event === WINDOW,
    grants: new PathGrants(),
    pickFolder: (purpose) => {
      dialogs.push(purpose);
      return Promise.resolve(chosen);
    },
  });
});

afterEach(async () => {
  dispose();
  await api.dispose();
  archive.close();
});

const pick = (purpose: unknown, from = WINDOW) => listeners.get(IPC_PICK_FOLDER_CHANNEL)!(from, purpose) as Promise<string | null>;
const call = (method: string, input: unknown) =>
  listeners.get(IPC_CALL_CHANNEL)!(WINDOW, { method, input }) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;

describe('the folder chooser channel', () => {
  it('grants the folder chosen in the dialog, so a backup into it reaches the core', async () => {
    const target = tempDir('slipvault-chosen-target-');
    const before = await call('backup:create', { target, passphrase: PASSPHRASE });
    expect(before.error?.message).toContain('was not chosen by the user as the backup folder');
    chosen = target;
    await expect(pick('backup-target')).resolves.toBe(target);
    expect(dialogs).toEqual(['backup-target']);
    expect((await call('backup:create', { target, passphrase: PASSPHRASE })).ok).toBe(true);
  });

  it('grants nothing when the dialog is cancelled', async () => {
    const target = tempDir('slipvault-cancelled-target-');
    await expect(pick('backup-target')).resolves.toBeNull();
    expect((await call('backup:list', { target })).error?.code).toBe('FORBIDDEN');
  });

  it('shows no dialog to a foreign sender or for an unknown purpose', async () => {
    chosen = tempDir('slipvault-never-');
    await expect(pick('backup-target', STRANGER)).resolves.toBeNull();
    await expect(pick('anywhere')).resolves.toBeNull();
    expect(dialogs).toEqual([]);
    expect((await call('backup:list', { target: chosen })).error?.code).toBe('FORBIDDEN');
  });

  it('is removed with the other channels', () => {
    dispose();
    expect(listeners.has(IPC_PICK_FOLDER_CHANNEL)).toBe(false);
  });
});
