/**
 * The preload's bridge with `electron` mocked: exactly one object is exposed, as `slipvaultBridge`; calls go
 * through the one IPC channel; pathForFile returns the disk path Electron's webUtils gives, after granting it
 * to the window over the grant channel, and refuses a File that has none (one made in the page), so nothing
 * is imported from a made-up path; pickFolder asks the main process for the system's folder chooser;
 * connection carries the window's `connection:*` calls on their own channel.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((channel: string, _message: unknown) =>
    Promise.resolve(
      channel === 'slipvault:grant-file'
        ? true
        : channel === 'slipvault:pick-folder'
          ? '/media/usb/backup'
          : channel === 'slipvault:connection'
            ? { ok: true, value: { mode: 'local' } }
            : { ok: true, value: 'answer' },
    ),
  ),
  getPathForFile: vi.fn((file: { name: string; onDisk: boolean }) => (file.onDisk ? `/home/clerk/scans/${file.name}` : '')),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: { on: vi.fn(), invoke: electron.invoke },
  webUtils: { getPathForFile: electron.getPathForFile },
}));

import { IPC_CALL_CHANNEL, IPC_CONNECTION_CHANNEL, IPC_GRANT_FILE_CHANNEL, IPC_PICK_FOLDER_CHANNEL, type SlipVaultBridge } from '../../src/shared/client';

let bridge: SlipVaultBridge;

beforeAll(async () => {
  await import('../../src/main/shell/preload');
  bridge = electron.exposed.get('slipvaultBridge') as SlipVaultBridge;
});

describe('preload bridge', () => {
  it('exposes one object with invoke, on, pathForFile, pickFolder and connection only', () => {
    expect([...electron.exposed.keys()]).toEqual(['slipvaultBridge']);
    expect(Object.keys(bridge).sort()).toEqual(['connection', 'invoke', 'on', 'pathForFile', 'pickFolder']);
  });

  it('sends the connection calls over their own channel, not as contract calls', async () => {
    await expect(bridge.connection!('connection:status', {})).resolves.toEqual({ ok: true, value: { mode: 'local' } });
    expect(electron.invoke).toHaveBeenCalledWith(IPC_CONNECTION_CHANNEL, { call: 'connection:status', input: {} });
  });

  it('asks the main process for the folder chooser and passes on the folder chosen', async () => {
    await expect(bridge.pickFolder!('backup-target')).resolves.toBe('/media/usb/backup');
    expect(electron.invoke).toHaveBeenCalledWith(IPC_PICK_FOLDER_CHANNEL, 'backup-target');
  });

  it('sends calls over the call channel', async () => {
    await expect(bridge.invoke('archive:status', {})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(electron.invoke).toHaveBeenCalledWith(IPC_CALL_CHANNEL, { method: 'archive:status', input: {} });
  });

  it('gives a dropped file its disk path once the main process has granted it, and refuses a file without one', async () => {
    await expect(bridge.pathForFile!({ name: '送货单.jpg', onDisk: true })).resolves.toBe('/home/clerk/scans/送货单.jpg');
    expect(electron.invoke).toHaveBeenCalledWith(IPC_GRANT_FILE_CHANNEL, '/home/clerk/scans/送货单.jpg');
    electron.invoke.mockClear();
    await expect(bridge.pathForFile!({ name: 'made-in-page.jpg', onDisk: false })).rejects.toThrow(/no path on disk/);
    expect(electron.invoke).not.toHaveBeenCalled();
  });
});
