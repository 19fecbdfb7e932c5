/**
 * The preload's bridge with `electron` mocked: exactly one object is exposed, as `slipvaultBridge`; calls go
 * through the one IPC channel; pathForFile returns the disk path Electron's webUtils gives and refuses a
 * File that has none (one made in the page), so nothing is imported from a made-up path.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((_channel: string, _message: unknown) => Promise.resolve({ ok: true, value: 'answer' })),
  getPathForFile: vi.fn((file: { name: string; onDisk: boolean }) => (file.onDisk ? `/home/clerk/scans/${file.name}` : '')),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: { on: vi.fn(), invoke: electron.invoke },
  webUtils: { getPathForFile: electron.getPathForFile },
}));

import { IPC_CALL_CHANNEL, type SlipVaultBridge } from '../../src/shared/client';

let bridge: SlipVaultBridge;

beforeAll(async () => {
  await import('../../src/main/shell/preload');
  bridge = electron.exposed.get('slipvaultBridge') as SlipVaultBridge;
});

describe('preload bridge', () => {
  it('exposes one object with invoke, on and pathForFile only', () => {
    expect([...electron.exposed.keys()]).toEqual(['slipvaultBridge']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on', 'pathForFile']);
  });

  it('sends calls over the call channel', async () => {
    await expect(bridge.invoke('archive:status', {})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(electron.invoke).toHaveBeenCalledWith(IPC_CALL_CHANNEL, { method: 'archive:status', input: {} });
  });

  it('gives a dropped file its disk path and refuses a file without one', () => {
    expect(bridge.pathForFile!({ name: '送货单.jpg', onDisk: true })).toBe('/home/clerk/scans/送货单.jpg');
    expect(() => bridge.pathForFile!({ name: 'made-in-page.jpg', onDisk: false })).toThrow(/no path on disk/);
  });
});
