/**
 * The sealing helper's side of a backup (started by parallel-encryptor.ts): seals the run of chunks it is
 * asked for from the shared staging buffer into the buffer it is handed and hands that back (transferred both
 * ways, not copied), while the backup's own thread seals the rest of the batch, so a full backup seals on
 * two cores.
 */
import type { MessagePort } from 'node:worker_threads';
import { CARRY_BYTES, CHUNK_BYTES, sealChunks } from './age';

export interface SealHelperData {
  kind: 'seal-chunks';
  /** The two buffers the caller stages plaintext in, by turns. */
  staging: SharedArrayBuffer[];
  payloadKey: Uint8Array;
}

/** Seal the first `bytes` of staging buffer `staging` as chunks numbered from `counter` into the start of `into`. */
export interface SealRequest {
  staging: number;
  into: ArrayBuffer;
  bytes: number;
  counter: number;
}

/** `sealed`: the request's buffer, its start holding the ciphertext. */
export type SealReply = { sealed: ArrayBuffer; bytes: number } | { sealed: null; message: string };

export function serveSealRequests(port: MessagePort, data: SealHelperData): void {
  const staging = data.staging.map((shared) => Buffer.from(shared));
  const payloadKey = Buffer.from(data.payloadKey);
  port.on('message', (request: SealRequest) => {
    try {
      const bytes = (request.bytes / CHUNK_BYTES) * CARRY_BYTES;
      sealChunks(payloadKey, staging[request.staging]!.subarray(0, request.bytes), request.counter, Buffer.from(request.into, 0, bytes));
      port.postMessage({ sealed: request.into, bytes } satisfies SealReply, [request.into]);
    } catch (error) {
      port.postMessage({ sealed: null, message: (error as Error).message } satisfies SealReply);
    }
  });
}
