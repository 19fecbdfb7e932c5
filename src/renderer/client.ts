/**
 * Makes `window.slipvault` available: the preview host's module may already have defined it; under Electron
 * it is built here from the preload's `window.slipvaultBridge`, so the client (and the Error it rejects with,
 * carrying code and details) lives in the page's own world.
 */
import { createClientFromBridge } from '../shared/client';
import type { SlipVaultClient } from '../shared/contract';

export function installClient(target: Window = window): SlipVaultClient | null {
  if ('slipvault' in target && target.slipvault) return target.slipvault;
  const bridge = target.slipvaultBridge;
  if (!bridge) return null;
  const client = Object.freeze(createClientFromBridge(bridge));
  Object.defineProperty(target, 'slipvault', { value: client, enumerable: true, configurable: false, writable: false });
  return client;
}

/** URL of a page image (a blob of the open archive) for <img src>. */
export function pageImageUrl(blobHash: string): string {
  return `slipvault-page://blob/${blobHash}`;
}
