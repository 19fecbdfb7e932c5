/**
 * The shared memory a restore's three threads coordinate through: a ring of slots the reading thread
 * fills from the volumes (read-loop.ts), the decryption thread opens in place (decrypt-loop.ts) and the
 * calling thread parses and writes from (decrypt-thread.ts), plus the feed that hands filled slots from
 * the reader to the decryptor in stream order. Blocking waits on it time out now and then to look at the
 * stop flag, so a thread never sleeps through close().
 */

export const SLOT_FREE = 0;
export const SLOT_TAKEN = 1;

/** A feed record that carries no slot: the set's volumes are all read, or reading failed (details on the port). */
export const FEED_END = -1;
export const FEED_ERROR = -2;

export interface FeedRecord {
  /** A slot index, or FEED_END / FEED_ERROR. */
  slot: number;
  /** Where in the slot's buffer the bytes start (aligned for direct reads, volume-file.ts). */
  offset: number;
  bytes: number;
}

const RECORD_FIELDS = 3;
const WAIT_MS = 200;

export class Stopped extends Error {}

export class SlotControl {
  private readonly releases: number;
  private readonly stop: number;
  private readonly published: number;
  private readonly requests: number;
  private readonly feedStart: number;
  /** Records the feed holds: one per slot plus the set's closing record. */
  private readonly capacity: number;
  private readonly array: Int32Array;

  static byteLength(slots: number): number {
    return (slots + 4 + (slots + 1) * RECORD_FIELDS) * Int32Array.BYTES_PER_ELEMENT;
  }

  constructor(
    shared: SharedArrayBuffer,
    readonly slots: number,
  ) {
    this.array = new Int32Array(shared);
    this.releases = slots;
    this.stop = slots + 1;
    this.published = slots + 2;
    this.requests = slots + 3;
    this.feedStart = slots + 4;
    this.capacity = slots + 1;
  }

  get stopped(): boolean {
    return Atomics.load(this.array, this.stop) !== 0;
  }

  requestStop(): void {
    Atomics.store(this.array, this.stop, 1);
    Atomics.notify(this.array, this.releases);
    Atomics.notify(this.array, this.published);
    Atomics.notify(this.array, this.requests);
  }

  /** Blocks until a slot is free and takes it; throws Stopped once stop is requested. */
  takeSlot(): number {
    for (;;) {
      if (this.stopped) throw new Stopped();
      const seen = Atomics.load(this.array, this.releases);
      for (let slot = 0; slot < this.slots; slot++) {
        if (Atomics.compareExchange(this.array, slot, SLOT_FREE, SLOT_TAKEN) === SLOT_FREE) return slot;
      }
      // Every slot is held further down the line; each release is counted and wakes this wait.
      Atomics.wait(this.array, this.releases, seen, WAIT_MS);
    }
  }

  releaseSlot(slot: number): void {
    Atomics.store(this.array, slot, SLOT_FREE);
    Atomics.add(this.array, this.releases, 1);
    Atomics.notify(this.array, this.releases);
  }

  /** The reader's side: record `index` of the feed (counted from 0 over the thread's life). */
  publish(index: number, record: FeedRecord): void {
    const at = this.recordAt(index);
    this.array[at] = record.slot;
    this.array[at + 1] = record.offset;
    this.array[at + 2] = record.bytes;
    Atomics.store(this.array, this.published, index + 1);
    Atomics.notify(this.array, this.published);
  }

  /** The decryptor's side: blocks until record `index` is published; throws Stopped once stop is requested. */
  receive(index: number): FeedRecord {
    this.awaitAbove(this.published, index);
    const at = this.recordAt(index);
    return { slot: this.array[at]!, offset: this.array[at + 1]!, bytes: this.array[at + 2]! };
  }

  /** Tells the reader a request waits on its port. */
  announceRequest(): void {
    Atomics.add(this.array, this.requests, 1);
    Atomics.notify(this.array, this.requests);
  }

  /** The reader's side: blocks until more than `seen` requests were announced; throws Stopped once stop is requested. */
  awaitRequest(seen: number): void {
    this.awaitAbove(this.requests, seen);
  }

  /** Blocks until the counter at `counter` exceeds `value` (it only grows); throws Stopped once stop is requested. */
  private awaitAbove(counter: number, value: number): void {
    for (;;) {
      if (this.stopped) throw new Stopped();
      if (Atomics.load(this.array, counter) > value) return;
      Atomics.wait(this.array, counter, value, WAIT_MS);
    }
  }

  private recordAt(index: number): number {
    return this.feedStart + (index % this.capacity) * RECORD_FIELDS;
  }
}
