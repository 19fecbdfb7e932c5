/**
 * A program's connection to the running owner of an archive: reads the owner's secret from the file the
 * lock holder names, presents it, then carries contract calls and receives events over the socket.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import type { CallResult, Method } from '../../shared/contract';
import { SlipVaultError, isErrorPayload } from '../../shared/errors';
import type { EventMessage } from '../../shared/client';
import { describeHolder, type LockHolder, type OwnerEndpoint } from '../core/lock';
import { readFrames, writeFrame } from './frames';
import type { HelloFrame, OwnerIdentity } from './protocol';

export interface OwnerConnection {
  invoke(method: Method, input: unknown): Promise<CallResult<Method>>;
  /** Every event the owner sends this connection (once it has logged in); returns the unsubscribe. */
  onEvent(listener: (message: EventMessage) => void): () => void;
  /** Called once when the connection ends, whoever ended it (the owner stopping or dying, or close()). */
  onClose(listener: () => void): () => void;
  close(): void;
}

export type ServingHolder = LockHolder & OwnerEndpoint;

export function isServing(holder: LockHolder | null): holder is ServingHolder {
  return typeof holder?.socket === 'string' && typeof holder.secretFile === 'string';
}

function readSecret(archiveDir: string, holder: ServingHolder): string {
  try {
    return readFileSync(holder.secretFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? `this OS user may not read its secret file ${holder.secretFile}: the owner runs as another user`
        : `its secret file ${holder.secretFile} cannot be read (${code ?? 'unknown error'})`;
    throw new SlipVaultError('ARCHIVE_IN_USE', `The archive ${archiveDir} is served by ${describeHolder(holder)}, but ${why}.`, {
      archive: archiveDir,
      reason: 'owner-secret-unreadable',
    }).withMessage('owner.secretUnreadable', { archive: archiveDir });
  }
}

function openSocket(archiveDir: string, holder: ServingHolder): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(holder.socket);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new SlipVaultError(
          'ARCHIVE_IN_USE',
          `The archive ${archiveDir} is held by ${describeHolder(holder)}, but its socket ${holder.socket} does not answer (${error.code ?? error.message}). Try again; if it persists, that program is stuck: end it.`,
          { archive: archiveDir, reason: 'owner-not-answering' },
        ).withMessage('owner.notAnswering', { archive: archiveDir }),
      );
    });
  });
}

export async function connectToOwner(archiveDir: string, holder: ServingHolder): Promise<OwnerConnection> {
  const secret = readSecret(archiveDir, holder);
  const socket = await openSocket(archiveDir, holder);
  const pending = new Map<number, { method: string; resolve: (result: CallResult<Method>) => void }>();
  const listeners = new Set<(message: EventMessage) => void>();
  const closeListeners = new Set<() => void>();
  let nextId = 1;
  let owner: OwnerIdentity | null = null;
  let settleHandshake: { resolve: (owner: OwnerIdentity) => void; reject: (error: Error) => void } | null = null;
  const handshake = new Promise<OwnerIdentity>((resolve, reject) => {
    settleHandshake = { resolve, reject };
  });

  /** `sent`: the owner may have run the call before it went away; else it never saw it. */
  const gone = (method: string, sent: boolean) =>
    ({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: sent
          ? `The owner of ${archiveDir} (${describeHolder(holder)}) stopped before answering ${method}. Check what was stored (\`slipvault list\`) and run the command again.`
          : `The owner of ${archiveDir} (${describeHolder(holder)}) has stopped; ${method} was not sent.`,
        details: { reason: sent ? 'owner-gone' : 'owner-closed', method },
      },
    }) as CallResult<Method>;

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
          settleHandshake?.reject(
            new SlipVaultError('ARCHIVE_IN_USE', `${holder.socket} did not answer as a SlipVault owner.`, {
              archive: archiveDir,
              reason: 'not-an-owner',
            }).withMessage('owner.notAnOwner', { archive: archiveDir }),
          );
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
    settleHandshake?.reject(
      new SlipVaultError('ARCHIVE_IN_USE', `The owner of ${archiveDir} (${describeHolder(holder)}) closed the connection before accepting it.`, {
        archive: archiveDir,
        reason: 'owner-gone',
      }).withMessage('owner.closedConnection', { archive: archiveDir }),
    );
    listeners.clear();
    for (const [id, call] of pending) {
      pending.delete(id);
      call.resolve(gone(call.method, true));
    }
    for (const listener of [...closeListeners]) listener();
    closeListeners.clear();
  });

  const hello: HelloFrame = { kind: 'hello', secret };
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
