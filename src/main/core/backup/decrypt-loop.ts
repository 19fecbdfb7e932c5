/**
 * The decryption thread's side of a restore or verify (started by decrypt-thread.ts): takes the pieces
 * the reading thread (read-loop.ts) fed into shared slots, decrypts each in place, hashes the files in it
 * when asked (entry-digests.ts) and tells the calling thread where the plaintext lies, so the work is
 * split: one thread reads, this one decrypts (and hashes for a restore), the caller parses and writes.
 * Blocking waits on purpose: this thread does nothing else.
 */
import type { MessagePort } from 'node:worker_threads';
import { AgeDecryptor, AgeError, type AgeFailure, type AgeIdentity } from './age';
import { EntryDigests } from './entry-digests';
import { takeMessage, type ReadFailure, type ReadRequest } from './read-loop';
import { FEED_END, FEED_ERROR, SlotControl, Stopped } from './slot-control';

export interface DecryptThreadData {
  kind: 'decrypt-volumes';
  /**
   * Each holds CARRY_BYTES of headroom, where the tail of the piece before is moved so that a chunk straddling
   * two pieces opens in place (age.ts), then `slotBytes` to read into plus DIRECT_ALIGNMENT to spare (direct-io.ts).
   */
  slots: SharedArrayBuffer[];
  control: SharedArrayBuffer;
  /** The reading thread's port: requests go there, read failures come back. */
  reader: MessagePort;
}

/** One set to decrypt: its volumes in order (one age stream cut into files). */
export interface DecryptRequest {
  paths: string[];
  identities: AgeIdentity[];
  /** Whether to hash each tar entry here and send the digests along. */
  digests: boolean;
}

/** Plaintext in order: a range of a slot (`at` counts from its start), or a copy (a set's last chunk). */
export type PlainPart = { at: number; length: number } | Uint8Array;

/**
 * `digests`: SHA-256 (hex) of each tar entry that ended in the message's parts, in order (none unless asked
 * for). `openedWith`: the kind of key that opened the set's header.
 */
export type DecryptMessage =
  | { type: 'plain'; slot: number | null; parts: PlainPart[]; read: number; digests: string[]; openedWith: AgeIdentity['kind'] | null }
  | { type: 'end'; parts: Uint8Array[]; read: number; digests: string[]; openedWith: AgeIdentity['kind'] | null }
  | { type: 'error'; error: { message: string; failure?: AgeFailure; range?: { start: number; end: number }; code?: string }; read: number }
  | { type: 'stopped' };

export function serveDecryptRequests(port: MessagePort, data: DecryptThreadData): void {
  const control = new SlotControl(data.control, data.slots.length);
  const post = (message: DecryptMessage) => port.postMessage(message);
  /** Feed records taken so far, over the thread's life. */
  let received = 0;

  /** Ciphertext bytes of the current set read so far: tells which volume a failure is in. */
  let read = 0;
  const decrypt = ({ paths, identities, digests: hashEntries }: DecryptRequest) => {
    // Keys arrive as plain Uint8Arrays after the structured clone.
    const decryptor = new AgeDecryptor(
      identities.map((identity) => ('secretKey' in identity ? { ...identity, secretKey: Buffer.from(identity.secretKey) } : identity)),
    );
    const digests = hashEntries ? new EntryDigests() : null;
    read = 0;
    data.reader.postMessage({ paths } satisfies ReadRequest);
    control.announceRequest();
    for (;;) {
      const { slot, offset, bytes } = control.receive(received++);
      if (slot === FEED_END) break;
      if (slot === FEED_ERROR) {
        const failure = takeMessage<ReadFailure>(data.reader);
        throw Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
      }
      const shared = data.slots[slot]!;
      read += bytes;
      const plain = decryptor.push(Buffer.from(shared, offset, bytes), { headroom: true });
      if (digests) for (const part of plain) digests.push(part);
      const parts = plain.map((part): PlainPart => (part.buffer === shared ? { at: part.byteOffset, length: part.length } : part));
      const holdsSlot = plain.some((part) => part.buffer === shared);
      // The decryptor copied what it keeps, so a slot no plaintext lies in is free again at once.
      if (!holdsSlot) control.releaseSlot(slot);
      if (parts.length > 0)
        post({ type: 'plain', slot: holdsSlot ? slot : null, parts, read, digests: digests?.take() ?? [], openedWith: decryptor.openedWith });
    }
    const last = decryptor.end();
    if (digests) for (const part of last) digests.push(part);
    post({ type: 'end', parts: last, read, digests: digests?.take() ?? [], openedWith: decryptor.openedWith });
  };

  port.on('message', (request: DecryptRequest) => {
    try {
      decrypt(request);
    } catch (error) {
      if (error instanceof Stopped) {
        post({ type: 'stopped' });
        return;
      }
      const failure = error as NodeJS.ErrnoException;
      post({
        type: 'error',
        error: {
          message: failure.message ?? String(error),
          ...(error instanceof AgeError ? { failure: error.failure, ...(error.range ? { range: error.range } : {}) } : {}),
          ...(failure.code ? { code: failure.code } : {}),
        },
        read,
      });
    }
  });
}
