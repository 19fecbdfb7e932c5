/**
 * The reading thread of a restore or verify (started by decrypt-thread.ts): reads each requested set's
 * volumes, in order, into free slots and feeds them to the decryption thread, which opens earlier pieces
 * meanwhile, so the disk never waits for the cipher. Its reads go past the page cache where the system
 * allows (volume-file.ts), and such reads block without read-ahead: this thread is what keeps them
 * going. Blocking calls on purpose: it does nothing else, and never waits behind the writes queued on
 * libuv's pool.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { FEED_END, FEED_ERROR, SlotControl, Stopped } from './slot-control';
import { VolumeFile } from './volume-file';

export interface ReadThreadData {
  kind: 'read-volumes';
  slots: SharedArrayBuffer[];
  slotBytes: number;
  /** Bytes at the start of each slot left for the decryption thread (age.ts CARRY_BYTES); reads go after them. */
  headroom: number;
  control: SharedArrayBuffer;
  /** Requests arrive here from the decryption thread, read failures go back. */
  port: MessagePort;
}

export interface ReadRequest {
  paths: string[];
}

export interface ReadFailure {
  message: string;
  code?: string;
}

/** The message behind an announcement: posted before it was announced, so it is already queued. */
export function takeMessage<T>(port: MessagePort): T {
  const received = receiveMessageOnPort(port);
  if (!received) throw new Error('a message announced between the backup threads did not arrive');
  return received.message as T;
}

export function serveReadRequests(data: ReadThreadData): void {
  const control = new SlotControl(data.control, data.slots.length);
  /** Where in each slot the reads go: chosen with the first volume (volume-file.ts). */
  const views: (Buffer | undefined)[] = [];
  let published = 0;

  const readVolume = (path: string) => {
    const volume = new VolumeFile(path);
    try {
      for (;;) {
        const slot = control.takeSlot();
        const view = (views[slot] ??= volume.slotView(data.slots[slot]!, data.slotBytes, data.headroom));
        const bytes = volume.read(view);
        if (bytes > 0) control.publish(published++, { slot, offset: view.byteOffset, bytes });
        else control.releaseSlot(slot);
        if (bytes < view.length) return;
      }
    } finally {
      volume.close();
    }
  };

  try {
    for (let requests = 0; ; requests++) {
      control.awaitRequest(requests);
      const { paths } = takeMessage<ReadRequest>(data.port);
      try {
        for (const path of paths) readVolume(path);
        control.publish(published++, { slot: FEED_END, offset: 0, bytes: 0 });
      } catch (error) {
        if (error instanceof Stopped) throw error;
        const failure = error as NodeJS.ErrnoException;
        data.port.postMessage({ message: failure.message ?? String(error), ...(failure.code ? { code: failure.code } : {}) } satisfies ReadFailure);
        control.publish(published++, { slot: FEED_ERROR, offset: 0, bytes: 0 });
      }
    }
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
  }
}
