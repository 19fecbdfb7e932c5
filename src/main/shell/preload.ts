/**
 * Preload (sandboxed, context-isolated). Exposes exactly one object to the page, `window.slipvaultBridge`,
 * with five functions: `invoke(method, input)` → CallResult, `on(event, listener)` → unsubscribe,
 * `pathForFile(file)` → the disk path of a dropped or chosen File (Electron's webUtils), granted to the window
 * in the main process (host/path-grants.ts), so import goes by path, and `pickFolder(purpose)` → a folder
 * chosen in the system's folder chooser (granted the same way), or null, and `connection(call, input)` → the
 * answer to a `connection:*` call (which archive the window works on: this computer's or a server's). The page
 * builds `window.slipvault` (the contract client) on top of it with src/shared/client.ts.
 *
 * Why a bridge and not the client itself: contextBridge copies an Error by its message only, so a client
 * living here would lose `code` and `details` on the way to the page. CallResults are plain data and cross
 * intact; the client's rejection is created in the page's own world. ipcRenderer itself is never exposed.
 *
 * Bundled to dist/main/preload.cjs with only `electron` external; keep imports free of zod and Node.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  IPC_CALL_CHANNEL,
  IPC_CONNECTION_CHANNEL,
  IPC_EVENT_CHANNEL,
  IPC_GRANT_FILE_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
  createEventHub,
  type SlipVaultBridge,
} from '../../shared/client';
import type { CallResult, Method } from '../../shared/contract';

const events = createEventHub((error) => console.error('[slipvault] an event listener failed:', error));
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: unknown) => events.dispatch(message));

const bridge: SlipVaultBridge = {
  invoke(method, input) {
    if (typeof method !== 'string') return Promise.reject(new TypeError('A call names its method as a string.'));
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, { method, input }) as Promise<CallResult<Method>>;
  },
  on(event, listener) {
    return events.on(event, listener);
  },
  async pathForFile(file) {
    // getPathForFile throws on anything but a File; a File made in the page (not from disk) gives ''.
    const path = webUtils.getPathForFile(file as File);
    if (!path) throw new Error('This file has no path on disk; drop or choose files from a folder to import them.');
    // Only this isolated world reaches ipcRenderer: the page cannot grant itself a path it made up.
    if ((await ipcRenderer.invoke(IPC_GRANT_FILE_CHANNEL, path)) !== true) throw new Error(`SlipVault did not accept ${path}.`);
    return path;
  },
  pickFolder(purpose) {
    return ipcRenderer.invoke(IPC_PICK_FOLDER_CHANNEL, purpose) as Promise<string | null>;
  },
  connection(call, input) {
    return ipcRenderer.invoke(IPC_CONNECTION_CHANNEL, { call, input }) as ReturnType<NonNullable<SlipVaultBridge['connection']>>;
  },
};

contextBridge.exposeInMainWorld('slipvaultBridge', bridge);
