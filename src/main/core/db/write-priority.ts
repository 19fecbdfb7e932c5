/**
 * The archive's own connection writes before the search rebuild's worker does.
 *
 * SQLite does not queue writers: a connection waiting for the write lock (busy_timeout) sleeps and tries again,
 * with sleeps growing to 100 ms. A worker that commits a batch and begins the next one a moment later almost
 * always holds the lock when the waiter looks again, so the thread that answers calls could wait the whole
 * busy_timeout and fail with "the archive is busy". Instead, that thread raises a shared counter for as long
 * as one of its write transactions waits or runs, and the worker waits for the counter to fall back to zero
 * before each of its own transactions. The worker never waits while it holds the lock, so neither side can
 * wait for the other in a circle.
 */
import type Database from 'better-sqlite3';

/** How long one wait of the worker lasts before it looks at the counter again (the wake-up is immediate). */
const RECHECK_MS = 100;

const counters = new WeakMap<Database.Database, Int32Array>();

/** The counter of `sqlite`'s pending write transactions, made on first use; a worker gets it in its workerData. */
export function writePriorityCounter(sqlite: Database.Database): Int32Array {
  let counter = counters.get(sqlite);
  if (!counter) {
    counter = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    counters.set(sqlite, counter);
  }
  return counter;
}

/** Runs `transaction` with `sqlite`'s counter raised, when a worker was ever given one. */
export function withWritePriority<T>(sqlite: Database.Database, transaction: () => T): T {
  const counter = counters.get(sqlite);
  if (!counter) return transaction();
  Atomics.add(counter, 0, 1);
  try {
    return transaction();
  } finally {
    if (Atomics.sub(counter, 0, 1) === 1) Atomics.notify(counter, 0);
  }
}

/** On a worker, between its transactions: blocks while the owning connection has a write transaction pending. */
export function yieldToPriorityWriters(counter: Int32Array): void {
  for (let pending = Atomics.load(counter, 0); pending > 0; pending = Atomics.load(counter, 0)) {
    Atomics.wait(counter, 0, pending, RECHECK_MS);
  }
}
