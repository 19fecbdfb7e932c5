/**
 * The owner's local socket: other programs of this OS user (the CLI, the hot-folder watcher, a scheduled
 * backup) reach the one process that holds the archive through it. The first frame of a connection must
 * present the per-run secret; then each connection is a session connection of its own (its own login,
 * events once logged in) carrying the transport's `{ id, method, input }` → `{ kind: 'result', id, result }`
 * and `{ kind: 'event', event, payload }` messages, as the preview's WebSocket does.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import type { ErrorPayload } from '../../shared/errors';
import { advertiseEndpoint, withdrawEndpoint, type OwnerEndpoint } from '../core/lock';
import type { ArchiveSession } from '../host/session';
import { handleCallMessage, isCallId } from '../host/transport';
import { prepareEndpoint, sameSecret } from './endpoint';
import { readFrames, writeFrame } from './frames';
import { HELLO_TIMEOUT_MS, type HandshakeReply, type OwnerIdentity } from './protocol';

const CLOSE_GRACE_MS = 2_000;

const CLOSING: ErrorPayload = {
  code: 'CONFLICT',
  message: 'The owner of the archive is closing; the call was not run.',
  details: { reason: 'owner-closing' },
};

export interface OwnerServer {
  readonly endpoint: OwnerEndpoint;
  /** Stops taking connections, lets the calls in flight finish, then ends every connection. */
  close(): Promise<void>;
}

function refuse(socket: Socket, error: ErrorPayload): void {
  const reply: HandshakeReply = { kind: 'refused', error };
  if (!socket.destroyed) socket.end(`${JSON.stringify(reply)}\n`);
}

async function listen(server: Server, path: string): Promise<void> {
  const attempt = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await attempt();
  } catch (error) {
    // A socket file left by an earlier process with our pid: nobody listens there, it is ours to replace.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !lstatSync(path, { throwIfNoEntry: false })?.isSocket()) throw error;
    unlinkSync(path);
    await attempt();
  }
}

export async function serveSession(session: ArchiveSession, program: string): Promise<OwnerServer> {
  const archiveDir = session.archive.dir;
  const endpoint = prepareEndpoint(archiveDir);
  const identity: OwnerIdentity = { program, pid: process.pid, archive: archiveDir };
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<unknown>>();

  function accept(socket: Socket): void {
    sockets.add(socket);
    let connection: ReturnType<ArchiveSession['connect']> | null = null;
    /** Lines that followed a refused hello in the same packet are not answered. */
    let refused = false;
    const helloTimer = setTimeout(
      () =>
        refuse(socket, {
          code: 'UNAUTHENTICATED',
          message: `No secret presented within ${HELLO_TIMEOUT_MS / 1000} s; connection closed.`,
          details: { reason: 'no-owner-secret' },
        }),
      HELLO_TIMEOUT_MS,
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(helloTimer);
      connection?.close();
      sockets.delete(socket);
    });
    readFrames(
      socket,
      (message) => {
        if (connection && closing) {
          // Not run: the client may safely send it again, to whoever holds the archive next.
          const id = (message as { id?: unknown } | null)?.id;
          writeFrame(socket, { kind: 'result', id: isCallId(id) ? id : null, result: { ok: false, error: CLOSING } });
          return;
        }
        if (connection) {
          const call = handleCallMessage(connection.client, message).then((response) => writeFrame(socket, { kind: 'result', ...response }));
          inFlight.add(call);
          void call.finally(() => inFlight.delete(call));
          return;
        }
        if (refused) return;
        clearTimeout(helloTimer);
        const hello = message as { kind?: unknown; secret?: unknown } | null;
        if (hello?.kind !== 'hello' || !sameSecret(hello.secret, endpoint.secret)) {
          refused = true;
          refuse(socket, {
            code: 'UNAUTHENTICATED',
            message: `Refused by the owner of ${archiveDir} (${program}, process ${process.pid}): the secret presented is not this owner's. A client reads it from ${endpoint.secretFile}, which only the OS user running the owner can read.`,
            details: { reason: 'wrong-owner-secret' },
          });
          return;
        }
        connection = session.connect((event) => writeFrame(socket, { kind: 'event', ...event }));
        const welcome: HandshakeReply = { kind: 'welcome', owner: identity };
        writeFrame(socket, welcome);
      },
      () => refuse(socket, { code: 'VALIDATION', message: 'A message longer than any call; connection closed.', details: { reason: 'frame-too-long' } }),
    );
  }

  const server = createServer(accept);
  try {
    await listen(server, endpoint.socket);
    advertiseEndpoint(archiveDir, endpoint);
  } catch (error) {
    server.close();
    endpoint.discard();
    throw error;
  }

  let closing: Promise<void> | null = null;
  return {
    endpoint: { socket: endpoint.socket, secretFile: endpoint.secretFile },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        withdrawEndpoint(archiveDir);
        endpoint.discard();
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        // end() lets the last answers reach their clients; a client that does not hang up in time is cut off.
        const hungUp = [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve).end()));
        await Promise.race([Promise.all(hungUp), new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
        for (const socket of sockets) socket.destroy();
        await stopped;
      })();
      return closing;
    },
  };
}
