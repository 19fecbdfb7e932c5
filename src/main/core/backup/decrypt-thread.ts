/**
 * Decrypts sets (and for a restore hashes their files) on a thread of its own (decrypt-loop.ts), fed by a
 * reading thread (read-loop.ts), while the calling thread parses and writes: the work split across the cores.
 * Plaintext arrives as views of shared slots, no copies; a slot goes back to the reading thread once the
 * caller released every view of it (the writer copies what it keeps).
 */
import { MessageChannel, Worker, type ResourceLimits } from 'node:worker_threads';
import { workerScriptPath } from '../runtime-paths';
import { AgeError, CARRY_BYTES, type AgeIdentity } from './age';
import { READ_PIECE } from './io';
import type { DecryptMessage, DecryptRequest, DecryptThreadData } from './decrypt-loop';
import type { ReadThreadData } from './read-loop';
import { SlotControl } from './slot-control';
import { DIRECT_ALIGNMENT } from './direct-io';

/** 16 slots of 4 MiB: the reading thread's room to read ahead while earlier pieces are decrypted and parsed. */
const DEFAULT_SLOTS = 16;

export interface DecryptThreadOptions {
  slots?: number;
  /** Bytes read and decrypted at a time. */
  slotBytes?: number;
  resourceLimits?: ResourceLimits;
}

/** The thread failed to read or stopped unexpectedly; `read` tells how far into the set it got. */
export class DecryptThreadError extends Error {
  constructor(
    message: string,
    readonly read: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DecryptThreadError';
  }
}

export interface PlainBatch {
  parts: Buffer[];
  /** Ciphertext bytes of the set read so far. */
  read: number;
  /** SHA-256 (hex) of each tar entry that ended in `parts`, in order; empty unless asked for. */
  digests: string[];
  /** The kind of key that opened the set's header. */
  openedWith: AgeIdentity['kind'] | null;
}

export class DecryptThread {
  private readonly slots: SharedArrayBuffer[];
  private readonly control: SlotControl;
  private readonly holders = new Map<ArrayBufferLike, { slot: number; count: number }>();
  private readonly worker: Worker;
  private readonly reader: Worker;
  private readonly inbox: DecryptMessage[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private busy = false;
  private closed = false;
  private lastRead = 0;
  private copies = 0;

  readonly slotBytes: number;

  constructor(options: DecryptThreadOptions = {}) {
    this.slotBytes = options.slotBytes ?? READ_PIECE;
    this.slots = Array.from({ length: options.slots ?? DEFAULT_SLOTS }, () => new SharedArrayBuffer(CARRY_BYTES + DIRECT_ALIGNMENT + this.slotBytes));
    const control = new SharedArrayBuffer(SlotControl.byteLength(this.slots.length));
    this.control = new SlotControl(control, this.slots.length);
    const { port1, port2 } = new MessageChannel();
    const limits = options.resourceLimits ? { resourceLimits: options.resourceLimits } : {};
    const decryptData: DecryptThreadData = { kind: 'decrypt-volumes', slots: this.slots, control, reader: port1 };
    this.worker = new Worker(workerScriptPath('backup'), { workerData: decryptData, transferList: [port1], ...limits });
    const readData: ReadThreadData = { kind: 'read-volumes', slots: this.slots, slotBytes: this.slotBytes, headroom: CARRY_BYTES, control, port: port2 };
    this.reader = new Worker(workerScriptPath('backup'), { workerData: readData, transferList: [port2], ...limits });
    this.worker.on('message', (message: DecryptMessage) => this.deliver(message));
    for (const [worker, name] of [
      [this.worker, 'decryption'],
      [this.reader, 'reading'],
    ] as const) {
      worker.on('error', (error) => this.fail(`the ${name} thread stopped (${error.message})`));
      worker.on('exit', (exitCode) => {
        if (!this.closed) this.fail(`the ${name} thread stopped (it exited with code ${exitCode})`);
      });
    }
  }

  /**
   * The plaintext of one set, in order. Each batch's parts are held for the caller, who releases every
   * part once parsed. Throws AgeError for what the stream itself fails, DecryptThreadError for a read
   * failure or a lost thread. A caller that stops early makes the thread unusable: close() it. With
   * `digests`, each batch also carries the SHA-256 of the tar entries that ended in it.
   */
  async *decrypt(paths: string[], identities: AgeIdentity[], { digests = false } = {}): AsyncGenerator<PlainBatch> {
    if (this.busy || this.closed) throw new Error('the decryption thread is busy or closed');
    this.busy = true;
    this.lastRead = 0;
    this.worker.postMessage({ paths, identities, digests } satisfies DecryptRequest);
    for (;;) {
      const message = await this.next();
      if (message.type === 'error') {
        this.busy = false;
        const { failure, range, code } = message.error;
        if (failure) throw new AgeError(failure, message.error.message, range);
        throw new DecryptThreadError(message.error.message, message.read, code);
      }
      if (message.type === 'stopped') {
        this.busy = false;
        throw new DecryptThreadError('the decryption thread was stopped', this.lastRead);
      }
      this.lastRead = message.read;
      const slot = message.type === 'plain' ? message.slot : null;
      const parts = message.parts.map((part) =>
        part instanceof Uint8Array ? Buffer.from(part.buffer, part.byteOffset, part.length) : Buffer.from(this.slots[slot!]!, part.at, part.length),
      );
      if (slot !== null) this.holders.set(this.slots[slot]!, { slot, count: parts.filter((part) => part.buffer === this.slots[slot]).length });
      this.copies += message.parts.filter((part) => part instanceof Uint8Array).length;
      if (message.type === 'end') this.busy = false;
      yield { parts, read: message.read, digests: message.digests, openedWith: message.openedWith };
      if (message.type === 'end') return;
    }
  }

  /**
   * Plaintext parts that arrived as copies rather than as views of a slot, over the thread's life: each set's
   * last chunk, however many chunks the set has (every other chunk opens in place in the slot it was read into).
   */
  get copiedParts(): number {
    return this.copies;
  }

  release(view: Uint8Array): void {
    const entry = this.holders.get(view.buffer);
    if (!entry || --entry.count > 0) return;
    this.holders.delete(view.buffer);
    this.control.releaseSlot(entry.slot);
  }

  /** Stops the threads; a set they are still reading is abandoned (its files closed first). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.control.requestStop();
    while (this.busy && !this.failure) {
      const message = await this.next().catch(() => null);
      if (!message || message.type === 'stopped' || message.type === 'error' || message.type === 'end') break;
    }
    this.closed = true;
    this.busy = false;
    await Promise.all([this.worker.terminate(), this.reader.terminate()]);
  }

  private deliver(message: DecryptMessage): void {
    this.inbox.push(message);
    this.wake?.();
  }

  private fail(why: string): void {
    this.failure ??= new DecryptThreadError(why, this.lastRead);
    // The other thread would otherwise wait for its partner for ever.
    this.control.requestStop();
    this.wake?.();
  }

  private async next(): Promise<DecryptMessage> {
    while (this.inbox.length === 0) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.inbox.shift()!;
  }
}
