/**
 * The connections of one serving endpoint — the owner's local socket or the network server's TLS port —
 * to the owner's session. A connection's first frame is its hello, which the endpoint admits or refuses;
 * after the welcome each connection is a session connection of its own (its own login, events once logged
 * in) carrying the transport's `{ id, method, input }` → `{ kind: 'result', id, result }` and
 * `{ kind: 'event', event, payload }` messages. What a hello must carry is the endpoint's business; the rest
 * is the same for every stream the hub is given.
 */
import type { Socket } from 'node:net';
import type { ErrorPayload } from '../../shared/errors';
import type { ArchiveSession } from '../host/session';
import { handleCallMessage, isCallId, type CallHandler } from '../host/transport';
import { readFrames, writeFrame } from './frames';
import { HELLO_TIMEOUT_MS, type HandshakeReply, type OwnerIdentity } from './protocol';

const CLOSE_GRACE_MS = 2_000;

const CLOSING: ErrorPayload = {
  code: 'CONFLICT',
  message: 'The owner of the archive is closing; the call was not run.',
  details: { reason: 'owner-closing' },
};

export interface HubOptions {
  identity: OwnerIdentity;
  /** null admits the connection; an error refuses it and closes the stream. */
  admit: (hello: unknown) => ErrorPayload | null;
  /** Wraps a connection's calls before dispatch (the network server's path rule). */
  guard?: (handler: CallHandler) => CallHandler;
}

export interface ConnectionHub {
  accept(socket: Socket): void;
  /** Answers further calls with `owner-closing`, lets the calls in flight finish, then ends every connection. */
  close(): Promise<void>;
}

function refuse(socket: Socket, error: ErrorPayload): void {
  const reply: HandshakeReply = { kind: 'refused', error };
  if (!socket.destroyed) socket.end(`${JSON.stringify(reply)}\n`);
}

export function createConnectionHub(session: ArchiveSession, options: HubOptions): ConnectionHub {
  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<unknown>>();
  let closing = false;

  function accept(socket: Socket): void {
    sockets.add(socket);
    let connection: ReturnType<ArchiveSession['connect']> | null = null;
    let handler: CallHandler | null = null;
    /** Lines that followed a refused hello in the same packet are not answered. */
    let refused = false;
    const helloTimer = setTimeout(
      () =>
        refuse(socket, {
          code: 'UNAUTHENTICATED',
          message: `No hello within ${HELLO_TIMEOUT_MS / 1000} s; connection closed.`,
          details: { reason: 'no-hello' },
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
        if (handler && closing) {
          // Not run: the client may safely send it again, to whoever holds the archive next.
          const id = (message as { id?: unknown } | null)?.id;
          writeFrame(socket, { kind: 'result', id: isCallId(id) ? id : null, result: { ok: false, error: CLOSING } });
          return;
        }
        if (handler) {
          const call = handleCallMessage(handler, message).then((response) => writeFrame(socket, { kind: 'result', ...response }));
          inFlight.add(call);
          void call.finally(() => inFlight.delete(call));
          return;
        }
        if (refused) return;
        clearTimeout(helloTimer);
        const refusal = options.admit(message);
        if (refusal) {
          refused = true;
          refuse(socket, refusal);
          return;
        }
        connection = session.connect((event) => writeFrame(socket, { kind: 'event', ...event }));
        handler = options.guard ? options.guard(connection.client) : connection.client;
        const welcome: HandshakeReply = { kind: 'welcome', owner: options.identity };
        writeFrame(socket, welcome);
      },
      () => refuse(socket, { code: 'VALIDATION', message: 'A message longer than any call; connection closed.', details: { reason: 'frame-too-long' } }),
    );
  }

  let closed: Promise<void> | null = null;
  return {
    accept,
    close() {
      closed ??= (async () => {
        closing = true;
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        // end() lets the last answers reach their clients; a client that does not hang up in time is cut off.
        const hungUp = [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve).end()));
        await Promise.race([Promise.all(hungUp), new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
        for (const socket of sockets) socket.destroy();
      })();
      return closed;
    },
  };
}
