/**
 * What the UI needs from wherever it runs, behind one interface: the contract client, page image URLs, and
 * (only where the page can hand files to the host) file upload for import. Electron: the preload's bridge
 * and the slipvault-page:// protocol. Preview host: the WebSocket bridge and token-guarded HTTP.
 */
import { createClientFromBridge, type FolderPurpose, type SlipVaultBridge } from '../../shared/client';
import type { SlipVaultClient } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import type { ConnectionCall, ConnectionCalls } from '../../shared/server-connection';
import { connectPreview, previewToken } from './preview-bridge';

export interface Platform {
  kind: 'electron' | 'preview';
  client: SlipVaultClient;
  pageImageUrl(blobHash: string): string;
  /**
   * Hands one file from the page to the host and returns the path documents:import takes: in Electron the
   * file's own disk path (the preload's pathForFile), in the preview an upload. Absent when neither exists.
   */
  uploadFile?: (file: File) => Promise<string>;
  /**
   * Electron only: the system's folder chooser; the folder chosen, already allowed for that purpose, or null
   * when cancelled. Absent in the preview, where a page cannot open one: folders are typed there.
   */
  pickFolder?: (purpose: FolderPurpose) => Promise<string | null>;
  /**
   * Where the host sends this page's calls — this computer's archive or a SlipVault server — asked and
   * changed through the host; rejects with a SlipVaultError like a contract call. Absent where the host
   * cannot connect to a server.
   */
  connection?: <C extends ConnectionCall>(call: C, input: ConnectionCalls[C]['input']) => Promise<ConnectionCalls[C]['output']>;
}

function connectionCalls(bridge: SlipVaultBridge): Platform['connection'] {
  const send = bridge.connection?.bind(bridge);
  if (!send) return undefined;
  return async (call, input) => {
    const result = await send(call, input);
    if (!result.ok) throw SlipVaultError.fromPayload(result.error);
    return result.value;
  };
}

function defineClient(target: Window, client: SlipVaultClient): SlipVaultClient {
  if ('slipvault' in target && target.slipvault) return target.slipvault;
  Object.defineProperty(target, 'slipvault', { value: client, enumerable: true, configurable: false, writable: false });
  return client;
}

export function detectPlatform(target: Window = window): Platform | null {
  const bridge = target.slipvaultBridge;
  if (bridge) {
    const pathForFile = bridge.pathForFile?.bind(bridge);
    return {
      kind: 'electron',
      client: defineClient(target, Object.freeze(createClientFromBridge(bridge))),
      pageImageUrl: (hash) => `slipvault-page://blob/${hash}`,
      ...(pathForFile ? { uploadFile: (file: File) => Promise.resolve().then(() => pathForFile(file)) } : {}),
      ...(bridge.pickFolder ? { pickFolder: bridge.pickFolder.bind(bridge) } : {}),
      ...(bridge.connection ? { connection: connectionCalls(bridge) } : {}),
    };
  }
  const token = previewToken(target.location);
  if (!token) return null;
  const connection = connectPreview(target.location, token);
  const query = `token=${encodeURIComponent(token)}`;
  return {
    kind: 'preview',
    client: defineClient(target, Object.freeze(createClientFromBridge(connection.bridge))),
    connection: connectionCalls(connection.bridge),
    pageImageUrl: (hash) => `/blob/${hash}?${query}`,
    async uploadFile(file) {
      const response = await fetch(`/upload?${query}&name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: file,
      });
      if (!response.ok) throw new Error(`${file.name}: upload refused (${response.status} ${await response.text()})`);
      const answer = (await response.json()) as { path?: unknown };
      if (typeof answer.path !== 'string') throw new Error(`${file.name}: the preview host gave no path`);
      return answer.path;
    },
  };
}
