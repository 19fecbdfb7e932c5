/**
 * The decryption thread's side of a restore or verify (started by decrypt-thread.ts): reads a set's
 * volumes into shared slots, decrypts each piece in place and tells the reading thread where the plaintext
 * lies, so the two cores split the work: this thread reads and decrypts, the other parses, hashes and
 * writes. Blocking calls on purpose: this thread does nothing else, and blocking reads never wait behind
 * the writes and hashes queued on libuv's pool.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { AgeDecryptor, AgeError, type AgeFailure, type AgeIdentity } from './age';

/** Layout of the control array beside the slots: one state per slot, then these two counters. */
export const SLOT_FREE = 0;
export const SLOT_TAKEN = 1;
export const releasesIndex = (slots: number) => slots;
export const stopIndex = (slots: number) => slots + 1;

export interface DecryptThreadData {
  kind: 'decrypt-volumes';
  slots: SharedArrayBuffer[];
  control: SharedArrayBuffer;
}

/** One set to decrypt: its volumes in order (one age stream cut into files). */
export interface DecryptRequest {
  paths: string[];
  identities: AgeIdentity[];
}

/** Plaintext in order: a range of a slot, or a copy (a chunk that straddled two pieces). */
export type PlainPart = { at: number; length: number } | Uint8Array;

export type DecryptMessage =
  | { type: 'plain'; slot: number | null; parts: PlainPart[]; read: number }
  | { type: 'end'; parts: Uint8Array[]; read: number }
  | { type: 'error'; error: { message: string; failure?: AgeFailure; range?: { start: number; end: number }; code?: string }; read: number }
  | { type: 'stopped' };

class Stopped extends Error {}

/** Blocking readSync until `buffer` is full or the file ends. */
function readFull(fd: number, buffer: Buffer): number {
  let done = 0;
  while (done < buffer.length) {
    const bytesRead = readSync(fd, buffer, done, buffer.length - done, null);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

export function serveDecryptRequests(port: MessagePort, data: DecryptThreadData): void {
  const slots = data.slots.map((shared) => Buffer.from(shared));
  const control = new Int32Array(data.control);
  const releases = releasesIndex(slots.length);
  const stop = stopIndex(slots.length);
  const post = (message: DecryptMessage) => port.postMessage(message);

  const takeSlot = (): number => {
    for (;;) {
      if (Atomics.load(control, stop) !== 0) throw new Stopped();
      const seen = Atomics.load(control, releases);
      for (let slot = 0; slot < slots.length; slot++) {
        if (Atomics.compareExchange(control, slot, SLOT_FREE, SLOT_TAKEN) === SLOT_FREE) return slot;
      }
      // Every slot is still held by the reading thread; it counts each release and wakes us.
      Atomics.wait(control, releases, seen, 200);
    }
  };

  /** Ciphertext bytes of the current set read so far: tells which volume a failure is in. */
  let read = 0;
  const decrypt = ({ paths, identities }: DecryptRequest) => {
    // Keys arrive as plain Uint8Arrays after the structured clone.
    const decryptor = new AgeDecryptor(identities.map((identity) => ('secretKey' in identity ? { ...identity, secretKey: Buffer.from(identity.secretKey) } : identity)));
    read = 0;
    for (const path of paths) {
      const fd = openSync(path, 'r');
      try {
        for (;;) {
          const slot = takeSlot();
          const buffer = slots[slot]!;
          const bytes = readFull(fd, buffer);
          read += bytes;
          const plain = bytes > 0 ? decryptor.push(buffer.subarray(0, bytes)) : [];
          const parts = plain.map((part): PlainPart => (part.buffer === buffer.buffer ? { at: part.byteOffset - buffer.byteOffset, length: part.length } : part));
          const holdsSlot = plain.some((part) => part.buffer === buffer.buffer);
          // The decryptor copied what it keeps, so a slot no plaintext lies in is free again at once.
          if (!holdsSlot) Atomics.store(control, slot, SLOT_FREE);
          if (parts.length > 0) post({ type: 'plain', slot: holdsSlot ? slot : null, parts, read });
          if (bytes < buffer.length) break;
        }
      } finally {
        closeSync(fd);
      }
    }
    post({ type: 'end', parts: decryptor.end(), read });
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
