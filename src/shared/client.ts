/**
 * The renderer's view of the core: a `SlipVaultClient` built from two transport primitives (send a call,
 * subscribe to an event). Every transport (Electron IPC via the preload, the preview WebSocket) supplies
 * those two primitives; the client, its error handling and its event fan-out live here once.
 *
 * Plain TypeScript: no Node, no DOM, no zod (the preload bundle stays small), type-only contract imports.
 */
import type { CallResult, InputOf, Method, OutputOf, SlipVaultClient } from './contract';
import { SlipVaultError, isErrorPayload } from './errors';
import { isEventName, type EventName, type EventPayload } from './events';
import type { ConnectionCall, ConnectionResult } from './server-connection';

/** IPC channel names the preload and src/main/host/ipc.ts agree on. */
export const IPC_CALL_CHANNEL = 'slipvault:call';
export const IPC_EVENT_CHANNEL = 'slipvault:event';
/** Electron: the preload tells the main process the disk path of a File the user dropped or chose. */
export const IPC_GRANT_FILE_CHANNEL = 'slipvault:grant-file';
/** Electron: the page asks the main process to show the system's folder chooser (issue 19 item 7). */
export const IPC_PICK_FOLDER_CHANNEL = 'slipvault:pick-folder';
/** Electron: the page's `connection:*` calls, which the main process's routing answers (src/shared/server-connection.ts). */
export const IPC_CONNECTION_CHANNEL = 'slipvault:connection';

/** What a folder chosen in the system's folder chooser is for; the shell titles the dialog after it. */
export const FOLDER_PURPOSES = ['backup-target', 'restore-into', 'hot-folder'] as const;
export type FolderPurpose = (typeof FOLDER_PURPOSES)[number];

/** Delivers one call and resolves with its result (never meant to reject; a rejection is a transport failure). */
export type CallSender = (method: Method, input: unknown) => Promise<CallResult<Method>>;

/** Registers a listener for one event; returns the function that removes it. */
export type EventSubscriber = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

/**
 * What a transport exposes to the page before the client is built on top of it (e.g. the preload's
 * `window.slipvaultBridge`). Results and payloads are plain data, so they survive Electron's contextBridge
 * copy intact — unlike Error objects, which the bridge rebuilds with their message only.
 */
export interface SlipVaultBridge {
  invoke(method: Method, input: unknown): Promise<CallResult<Method>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /**
   * Electron only: the disk path of a File the user dropped or chose (webUtils.getPathForFile), so import
   * can go by path; resolves once the main process has recorded that the user chose it (the core is given
   * no other file paths from the window). Typed loosely because src/shared has no DOM types.
   */
  pathForFile?(file: unknown): Promise<string>;
  /**
   * Electron only: shows the system's folder chooser; resolves with the chosen folder, already granted to the
   * window for that purpose, or null when the user cancelled.
   */
  pickFolder?(purpose: FolderPurpose): Promise<string | null>;
  /** Hosts that can point the page at a SlipVault server: a `connection:*` call, answered by the host. */
  connection?<C extends ConnectionCall>(call: C, input: unknown): Promise<ConnectionResult<C>>;
}

/** One event as it travels over a transport. */
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

/** True when a value has the shape of a CallResult (used on both ends of a transport). */
export function isCallResult(value: unknown): value is CallResult<Method> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  if (candidate.ok === false) return isErrorPayload(candidate.error);
  return false;
}

function transportError(cause: unknown): SlipVaultError {
  const message = cause instanceof Error && cause.message ? cause.message : String(cause);
  return new SlipVaultError('INTERNAL', `The archive service could not be reached: ${message}`).withMessage('transport.unreachable', { reason: message });
}

/**
 * Builds the contract client over a transport. `call` resolves with the output on `{ ok: true }` and
 * rejects with a `SlipVaultError` (an Error carrying `code`, `message`, `details`) on `{ ok: false }`.
 */
export function createClient(send: CallSender, subscribe: EventSubscriber): SlipVaultClient {
  return {
    async call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
      let result: unknown;
      try {
        result = await send(method, input);
      } catch (cause) {
        throw transportError(cause);
      }
      if (!isCallResult(result)) {
        throw new SlipVaultError('INTERNAL', `The archive service sent a malformed answer to ${method}.`).withMessage('transport.malformed', { method });
      }
      if (!result.ok) throw SlipVaultError.fromPayload(result.error);
      return result.value as OutputOf<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return subscribe(event, listener);
    },
  };
}

/** Builds the client over a bridge object (preload or preview). */
export function createClientFromBridge(bridge: SlipVaultBridge): SlipVaultClient {
  return createClient(
    (method, input) => bridge.invoke(method, input),
    (event, listener) => bridge.on(event, listener as (payload: unknown) => void),
  );
}

/**
 * Page-side event fan-out: one transport listener feeds `dispatch`, any number of `on` listeners receive
 * the payloads of their event. Malformed messages and unknown event names are dropped; a throwing listener
 * does not stop the others.
 */
export interface EventHub {
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  dispatch(message: unknown): void;
}

export function createEventHub(onListenerError?: (error: unknown) => void): EventHub {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  return {
    on(event, listener) {
      if (!isEventName(event)) throw new TypeError(`Unknown event "${String(event)}".`);
      if (typeof listener !== 'function') throw new TypeError('An event listener must be a function.');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry = (payload: unknown) => listener(payload);
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    dispatch(message) {
      if (typeof message !== 'object' || message === null) return;
      const { event, payload } = message as { event?: unknown; payload?: unknown };
      if (!isEventName(event)) return;
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          listener(payload);
        } catch (error) {
          onListenerError?.(error);
        }
      }
    },
  };
}
