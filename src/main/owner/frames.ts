/**
 * Newline-delimited JSON over a stream socket: one message per line, the same messages the preview's
 * WebSocket carries. A line that is not JSON arrives as null (the transport answers it with VALIDATION);
 * a line longer than a contract call can be ends the connection.
 */
import type { Socket } from 'node:net';

/** A contract call is small JSON; anything bigger is not a call. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export function writeFrame(socket: Socket, message: unknown): void {
  if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return null;
  }
}

export function readFrames(socket: Socket, onFrame: (message: unknown) => void, onOversize: () => void): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  socket.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1 && !socket.destroyed; end = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, end));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = end + 1;
      if (line.trim() !== '') onFrame(parse(line));
    }
    if (start < chunk.length && !socket.destroyed) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_FRAME_BYTES) {
        pending = [];
        onOversize();
      }
    }
  });
}
