/**
 * An age encryptor that seals on two cores. A full backup's thread was CPU-bound, with ChaCha20-Poly1305
 * sealing its largest part; age's chunks are independent (each has its own nonce), so each batch of staged
 * plaintext is split: a helper thread (seal-helper.ts) seals the first half while this thread seals the
 * second. Batches alternate between two staging buffers and the helper's half of a batch is collected only
 * when the next batch is handed over, so neither thread waits for the other to be scheduled (on a busy
 * machine a lock-step hand-over per batch made it slower than one thread). The bytes are those AgeEncryptor
 * writes for the same key. The ciphertext goes into buffers the caller hands back once written
 * (recycle()): fresh memory for every batch cost more in page faults than the second core saved.
 */
import { Worker } from 'node:worker_threads';
import { workerScriptPath } from '../runtime-paths';
import { CARRY_BYTES, CHUNK_BYTES, newAgeFile, sealChunks, sealLastChunk, type AgeRecipient } from './age';
import type { SealHelperData, SealReply, SealRequest } from './seal-helper';

/** Plaintext staged per batch: 64 chunks, so a message to the helper and back costs little against its work. */
const BATCH_BYTES = 64 * CHUNK_BYTES;

export interface ParallelEncryptorOptions {
  /** Whether to start the helper thread; without it every chunk is sealed here. */
  helper?: boolean;
  /** Plaintext staged per batch, a multiple of 64 KiB. */
  batchBytes?: number;
}

/** A batch handed over: the helper's half still on its way, this thread's half sealed. */
interface SealedBatch {
  helped: Promise<Buffer> | null;
  own: Buffer;
}

export class ParallelEncryptor {
  readonly header: Buffer;
  private readonly payloadKey: Buffer;
  private readonly staging: Buffer[];
  /** Which staging buffer is being filled, and how far. */
  private current = 0;
  private staged = 0;
  private counter = 0;
  private pending: SealedBatch | null = null;
  private readonly helper: Worker | null;
  /** Written buffers (the ciphertext of half a batch each), ready to be sealed into again. */
  private readonly spare: ArrayBuffer[] = [];
  private readonly halfBytes: number;
  /** The helper answers in the order it was asked. */
  private readonly waiting: { resolve: (sealed: Buffer) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | null = null;
  private closed = false;

  constructor(recipients: AgeRecipient[], { helper = true, batchBytes = BATCH_BYTES }: ParallelEncryptorOptions = {}) {
    if (batchBytes <= 0 || batchBytes % CHUNK_BYTES !== 0) throw new Error('the batch size must be a positive multiple of 64 KiB');
    ({ header: this.header, payloadKey: this.payloadKey } = newAgeFile(recipients));
    this.halfBytes = Math.ceil(batchBytes / CHUNK_BYTES / 2) * CARRY_BYTES;
    const staging = [new SharedArrayBuffer(batchBytes), new SharedArrayBuffer(batchBytes)];
    this.staging = staging.map((shared) => Buffer.from(shared));
    if (!helper) {
      this.helper = null;
      return;
    }
    const data: SealHelperData = { kind: 'seal-chunks', staging, payloadKey: this.payloadKey };
    this.helper = new Worker(workerScriptPath('backup'), { workerData: data });
    this.helper.on('message', (reply: SealReply) => {
      if (reply.sealed === null) return this.fail(new Error(`the sealing thread failed: ${reply.message}`));
      this.waiting.shift()?.resolve(Buffer.from(reply.sealed, 0, reply.bytes));
    });
    this.helper.on('error', (error) => this.fail(new Error(`the sealing thread stopped (${error.message})`)));
    this.helper.on('exit', (exitCode) => {
      if (!this.closed) this.fail(new Error(`the sealing thread stopped (it exited with code ${exitCode})`));
    });
  }

  /** Ciphertext of earlier batches that is ready (maybe none), in order; `data` is copied, not kept. */
  async update(data: Buffer): Promise<Buffer[]> {
    const sealed: Buffer[] = [];
    let offset = 0;
    while (offset < data.length) {
      // A full batch is sealed only once more plaintext follows it: the stream's last chunk is sealed differently.
      if (this.staged === this.staging[this.current]!.length) sealed.push(...(await this.handOver()));
      const copied = data.copy(this.staging[this.current]!, this.staged, offset);
      this.staged += copied;
      offset += copied;
    }
    return sealed;
  }

  /** The rest of the stream, ending with its last chunk (empty only when the whole stream is). */
  async final(): Promise<Buffer[]> {
    const sealed = await this.collect();
    const staging = this.staging[this.current]!;
    const chunks = Math.max(1, Math.ceil(this.staged / CHUNK_BYTES));
    const wholeBytes = (chunks - 1) * CHUNK_BYTES;
    const whole = Buffer.allocUnsafe((chunks - 1) * CARRY_BYTES);
    sealChunks(this.payloadKey, staging.subarray(0, wholeBytes), this.counter, whole);
    const last = sealLastChunk(this.payloadKey, staging.subarray(wholeBytes, this.staged), this.counter + chunks - 1);
    this.counter += chunks;
    this.staged = 0;
    return [...sealed, whole, last];
  }

  /** Hands back a buffer update() or final() returned, once it is written and no longer needed. */
  recycle(sealed: Buffer): void {
    if (sealed.buffer.byteLength === this.halfBytes) this.spare.push(sealed.buffer as ArrayBuffer);
  }

  /** Stops the helper thread; call it whether or not the stream was finished. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.helper?.terminate();
  }

  /**
   * Starts sealing the full staging buffer (the helper's half in the background), then collects the batch
   * before it, whose staging buffer is filled next.
   */
  private async handOver(): Promise<Buffer[]> {
    if (this.closed) throw new Error('the encryptor was closed: its sealing thread has stopped');
    if (this.failure) throw this.failure;
    const staging = this.staging[this.current]!;
    const chunks = this.staged / CHUNK_BYTES;
    const helperChunks = this.helper ? Math.floor(chunks / 2) : 0;
    const helped =
      helperChunks > 0 ? this.ask({ staging: this.current, into: this.spareBuffer(), bytes: helperChunks * CHUNK_BYTES, counter: this.counter }) : null;
    // Caught here, rethrown when collected: a failure must not go unhandled while the batch before is awaited.
    helped?.catch(() => undefined);
    const ownBytes = (chunks - helperChunks) * CARRY_BYTES;
    const own = ownBytes <= this.halfBytes ? Buffer.from(this.spareBuffer(), 0, ownBytes) : Buffer.allocUnsafe(ownBytes);
    sealChunks(this.payloadKey, staging.subarray(helperChunks * CHUNK_BYTES, this.staged), this.counter + helperChunks, own);
    const before = await this.collect();
    this.pending = { helped, own };
    this.counter += chunks;
    this.current = 1 - this.current;
    this.staged = 0;
    return before;
  }

  /** The ciphertext of the batch handed over last, once the helper has sealed its half. */
  private async collect(): Promise<Buffer[]> {
    const batch = this.pending;
    if (!batch) return [];
    this.pending = null;
    return batch.helped ? [await batch.helped, batch.own] : [batch.own];
  }

  private ask(request: SealRequest): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.helper!.postMessage(request, [request.into]);
    });
  }

  private spareBuffer(): ArrayBuffer {
    return this.spare.pop() ?? new ArrayBuffer(this.halfBytes);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.splice(0)) waiting.reject(this.failure);
  }
}
