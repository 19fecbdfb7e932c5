import type { SlipVaultBridge } from '../shared/client';
import type { SlipVaultClient } from '../shared/contract';

declare global {
  interface Window {
    /**
     * The contract client: the only way the UI talks to the core. Installed by client.ts from the bridge the
     * Electron preload exposes, or provided directly by the preview host's module.
     */
    readonly slipvault: SlipVaultClient;
    /** What the Electron preload exposes (plain-data results, see src/main/shell/preload.ts). */
    readonly slipvaultBridge?: SlipVaultBridge;
  }
}

export {};
