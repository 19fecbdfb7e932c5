/**
 * The owner process's side of the channel to whoever started it. A Node child process started by fork()
 * has `process.send` and `process.on('message')`; an Electron utility process has `process.parentPort`
 * instead (https://www.electronjs.org/docs/latest/api/parent-port). That is the only difference between
 * the two kinds of owner process, and it stays in this file.
 */
import { SlipVaultError } from '../../shared/errors';
import type { SecretStore } from '../core/backup/secret-store';
import { isStarterMessage, type OwnerMessage, type SecretReply } from './launch-protocol';

/** What Electron puts on `process` in a utility process. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface StarterChannel {
  /** Resolves once the message has been handed to the channel (so the process may exit after it). */
  post(message: OwnerMessage): Promise<void>;
  onReply(listener: (reply: SecretReply) => void): void;
  /** The starter asked the owner to stop, or went away (its channel closed). */
  onStop(listener: () => void): void;
}

export function starterChannel(): StarterChannel {
  const port = (process as { parentPort?: ParentPort }).parentPort;
  const replies = new Set<(reply: SecretReply) => void>();
  const stops = new Set<() => void>();
  const receive = (message: unknown) => {
    if (!isStarterMessage(message)) return;
    if (message.kind === 'stop') for (const stop of [...stops]) stop();
    else for (const reply of [...replies]) reply(message);
  };
  if (port) {
    // A utility process ends with its parent; there is no disconnect to listen for.
    port.on('message', (event) => receive(event.data));
  } else {
    process.on('message', receive);
    process.on('disconnect', () => {
      for (const stop of [...stops]) stop();
    });
  }
  return {
    post(message) {
      if (port) {
        port.postMessage(message);
        return new Promise((sent) => setImmediate(sent));
      }
      return new Promise((sent) => {
        if (!process.send || !process.connected) sent();
        else process.send(message, undefined, undefined, () => sent());
      });
    },
    onReply(listener) {
      replies.add(listener);
    },
    onStop(listener) {
      stops.add(listener);
    },
  };
}

/**
 * The scheduled backups' passphrase, kept by the starter (the desktop app's main process, the only one that
 * can reach the OS keychain through Electron's safeStorage): every question goes to it and waits for its answer.
 */
export function starterSecretStore(channel: StarterChannel, place: string): SecretStore {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: string | null) => void; reject: (error: Error) => void }>();
  channel.onReply((reply) => {
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.error) pending.reject(SlipVaultError.fromPayload(reply.error));
    else pending.resolve(reply.value ?? null);
  });
  const ask = (op: 'passphrase' | 'save', archiveId: string, passphrase?: string) =>
    new Promise<string | null>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      void channel.post({ kind: 'secret', id, op, archiveId, ...(passphrase === undefined ? {} : { passphrase }) });
    });
  return {
    place,
    passphrase: (archiveId) => ask('passphrase', archiveId),
    savePassphrase: async (archiveId, passphrase) => {
      await ask('save', archiveId, passphrase);
    },
  };
}
