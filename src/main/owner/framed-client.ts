/**
 * A client's side of the framed protocol, over any connected stream (the owner's local socket, the network
 * server's TLS connection): sends the hello, waits for the welcome or the refusal, then pairs results with
 * calls and hands events to listeners. The caller words what the user reads when the far end goes away.
 */
import type { Socket } from 'node:net';
import type { CallResult, Method } from '../../shared/contract';
import { SlipVaultError, isErrorPayload, type ErrorPayload } from '../../shared/errors';
import type { EventMessage } from '../../shared/client';
import { readFrames, writeFrame } from './frames';
import type { OwnerIdentity } from './protocol';

export interface OwnerConnection {
  invoke(method: Method, input: unknown): Promise<CallResult<Method>>;
  /** Every event the owner sends this connection (once it has logged in); returns the unsubscribe. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** Called once when the connection ends, whoever ended it (the owner stopping or dying, or close()). */
  onClose(listener: () => void): () => void;
  close(): void;
}

export interface FarEndWords {
  /** The answer to a call the far end did not answer; `sent`: it may have run it before it went away. */
  gone(method: string, sent: boolean): ErrorPayload;
  /** The far end answered the hello with something that is not a SlipVault owner's reply. */
  notAnOwner(): SlipVaultError;
  /** The far end closed the connection before accepting it. */
  closedBeforeWelcome(): SlipVaultError;
}

export async function startFramedClient(socket: Socket, hello: unknown, words: FarEndWords): Promise<OwnerConnection> {
  const pending = new Map<number, { method: string; resolve: (result: CallResult<Method>) => void }>();
  const listeners = new Set<(message: EventMessage) => void>();
  const closeListeners = new Set<() => void>();
  let nextId = 1;
  let owner: OwnerIdentity | null = null;
  let settleHandshake: { resolve: (owner: OwnerIdentity) => void; reject: (error: Error) => void } | null = null;
  const handshake = new Promise<OwnerIdentity>((resolve, reject) => {
    settleHandshake = { resolve, reject };
  });
  const gone = (method: string, sent: boolean): CallResult<Method> => ({ ok: false, error: words.gone(method, sent) });

  readFrames(
    socket,
    (frame) => {
      const message = frame as { kind?: unknown; id?: unknown; result?: unknown; owner?: unknown; error?: unknown } | null;
      if (!owner) {
        if (message?.kind === 'welcome') {
          owner = message.owner as OwnerIdentity;
          settleHandshake?.resolve(owner);
        } else if (message?.kind === 'refused' && isErrorPayload(message.error)) {
          settleHandshake?.reject(SlipVaultError.fromPayload(message.error));
        } else {
          settleHandshake?.reject(words.notAnOwner());
        }
        return;
      }
      if (message?.kind === 'result' && typeof message.id === 'number') {
        const call = pending.get(message.id);
        pending.delete(message.id);
        call?.resolve(message.result as CallResult<Method>);
      } else if (message?.kind === 'event') {
        for (const listener of [...listeners]) listener(message as unknown as EventMessage);
      }
    },
    () => socket.destroy(),
  );
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    settleHandshake?.reject(words.closedBeforeWelcome());
    listeners.clear();
    for (const [id, call] of pending) {
      pending.delete(id);
      call.resolve(gone(call.method, true));
    }
    for (const listener of [...closeListeners]) listener();
    closeListeners.clear();
  });

  writeFrame(socket, hello);
  try {
    await handshake;
  } catch (error) {
    socket.destroy();
    throw error;
  }

  return {
    invoke(method, input) {
      if (socket.destroyed || !socket.writable) return Promise.resolve(gone(method, false));
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { method, resolve });
        writeFrame(socket, { id, method, input });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      if (socket.destroyed) {
        listener();
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      socket.end();
    },
  };
}
