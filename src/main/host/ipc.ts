/**
 * Electron IPC wiring, generic over the contract. This module must not import electron (the host layer is
 * plain Node): the shell injects `ipcMain`, the trusted window's webContents and the handler table, and
 * only structural slices of those Electron types are named here.
 *
 * One invoke channel carries every call (`slipvault:call`, body `{ method, input }`, answer a CallResult);
 * one push channel carries every event (`slipvault:event`, message `{ event, payload }`); one invoke channel
 * carries the preload's file grants (`slipvault:grant-file`, the disk path of a File the user dropped or
 * chose), one the folder chooser (`slipvault:pick-folder`: the shell shows the system's dialog, and the
 * folder chosen there is granted), and one the `connection:*` calls that point the window at a SlipVault
 * server (`slipvault:connection`, body `{ call, input }`, answered by host/server-routing.ts). Every sender is
 * validated first: the main frame of our own window, showing our own app origin.
 */
import { isAbsolute } from 'node:path';
import type { CallResult, Method } from '../../shared/contract';
import {
  FOLDER_PURPOSES,
  IPC_CALL_CHANNEL,
  IPC_CONNECTION_CHANNEL,
  IPC_EVENT_CHANNEL,
  IPC_GRANT_FILE_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
  type FolderPurpose,
} from '../../shared/client';
import { isConnectionCall, type ConnectionCall, type ConnectionResult } from '../../shared/server-connection';
import { guardPaths, type GuardOptions, type PathGrants } from './path-grants';
import { handleCallBody, type CallHandler, type EventFanout } from './transport';

export { IPC_CALL_CHANNEL, IPC_CONNECTION_CHANNEL, IPC_EVENT_CHANNEL, IPC_GRANT_FILE_CHANNEL, IPC_PICK_FOLDER_CHANNEL };

/** The contract's own limit on a path. */
const MAX_PATH_LENGTH = 4096;

/** The parts of Electron's WebFrameMain the validator reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId?: number;
  readonly routingId?: number;
}

/** The parts of Electron's WebContents the host uses. */
export interface WebContentsLike {
  readonly mainFrame: FrameLike;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The parts of Electron's IpcMainInvokeEvent the validator reads. */
export interface InvokeEventLike {
  readonly sender: unknown;
  readonly senderFrame: FrameLike | null;
}

/** The parts of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type SenderValidator = (event: InvokeEventLike) => boolean;

function sameFrame(a: FrameLike, b: FrameLike): boolean {
  if (a === b) return true;
  return a.processId !== undefined && a.routingId !== undefined && a.processId === b.processId && a.routingId === b.routingId;
}

/**
 * A validator that accepts a call only when it comes from the top-level frame of the trusted webContents
 * and that frame currently shows a URL `isTrustedUrl` accepts. No trusted window (not yet created, closed,
 * destroyed) means no call is accepted.
 */
export function createSenderValidator(options: {
  getTrustedContents: () => WebContentsLike | null | undefined;
  isTrustedUrl: (url: string) => boolean;
}): SenderValidator {
  return (event) => {
    try {
      const contents = options.getTrustedContents();
      if (!contents || contents.isDestroyed()) return false;
      if (event.sender !== contents) return false;
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null) return false;
      if (!sameFrame(frame, contents.mainFrame)) return false;
      return typeof frame.url === 'string' && options.isTrustedUrl(frame.url);
    } catch {
      return false;
    }
  };
}

const REJECTED: CallResult<Method> = {
  ok: false,
  error: { code: 'VALIDATION', message: 'Calls are accepted only from the SlipVault window.' },
};

/**
 * Registers the call channel and the file-grant channel. Returns the function that removes them.
 * `onRejected` hears about refused senders (for a log line); the refused page only gets a VALIDATION error.
 *
 * Paths in calls are checked against `grants` (path-grants.ts) before dispatch: files the preload granted
 * for a drop or the file chooser, folders the user confirmed through `confirmFolder` (a native dialog).
 */
export function registerIpc(options: {
  ipcMain: IpcMainLike;
  handler: CallHandler;
  validateSender: SenderValidator;
  grants: PathGrants;
  confirmFolder?: GuardOptions['confirmFolder'];
  /** The system's folder chooser (the shell's); resolves with the folder chosen, or null when cancelled. */
  pickFolder?: (purpose: FolderPurpose) => Promise<string | null>;
  /** The window's `connection:*` calls (host/connection-calls.ts), where the host can connect to a server. */
  connectionCalls?: (call: ConnectionCall, input: unknown) => Promise<ConnectionResult<ConnectionCall>>;
  onRejected?: (event: InvokeEventLike) => void;
}): () => void {
  const { ipcMain, validateSender, grants, onRejected } = options;
  const handler = guardPaths(options.handler, grants, { confirmFolder: options.confirmFolder });
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, body) => {
    if (!validateSender(event)) {
      onRejected?.(event);
      return REJECTED;
    }
    return handleCallBody(handler, body);
  });
  ipcMain.handle(IPC_GRANT_FILE_CHANNEL, (event, path) => {
    if (!validateSender(event)) {
      onRejected?.(event);
      return false;
    }
    if (typeof path !== 'string' || !isAbsolute(path) || path.length > MAX_PATH_LENGTH) return false;
    grants.grantFile(path);
    return true;
  });
  const { pickFolder } = options;
  if (pickFolder) {
    ipcMain.handle(IPC_PICK_FOLDER_CHANNEL, async (event, purpose) => {
      if (!validateSender(event)) {
        onRejected?.(event);
        return null;
      }
      if (!(FOLDER_PURPOSES as readonly unknown[]).includes(purpose)) return null;
      const folder = await pickFolder(purpose as FolderPurpose);
      if (folder === null || !isAbsolute(folder) || folder.length > MAX_PATH_LENGTH) return null;
      // Chosen in a dialog no page can answer: as good as a confirmed folder.
      grants.grantFolder(folder);
      return folder;
    });
  }
  const { connectionCalls } = options;
  if (connectionCalls) {
    ipcMain.handle(IPC_CONNECTION_CHANNEL, async (event, body) => {
      if (!validateSender(event)) {
        onRejected?.(event);
        return REJECTED;
      }
      const { call, input } = (typeof body === 'object' && body !== null ? body : {}) as { call?: unknown; input?: unknown };
      if (!isConnectionCall(call)) return { ok: false, error: { code: 'VALIDATION', message: `Unknown connection call ${JSON.stringify(call)}.` } };
      return connectionCalls(call, input);
    });
  }
  return () => {
    ipcMain.removeHandler(IPC_CALL_CHANNEL);
    ipcMain.removeHandler(IPC_GRANT_FILE_CHANNEL);
    if (pickFolder) ipcMain.removeHandler(IPC_PICK_FOLDER_CHANNEL);
    if (connectionCalls) ipcMain.removeHandler(IPC_CONNECTION_CHANNEL);
  };
}

/**
 * Forwards every fanned-out event to one webContents on the event channel until it is destroyed or the
 * returned function is called; only while `loggedIn()` says its connection has a user (events name documents).
 */
export function connectEventsToWebContents(fanout: EventFanout, contents: WebContentsLike, loggedIn: () => boolean): () => void {
  const remove = fanout.addSink((message) => {
    if (contents.isDestroyed()) {
      remove();
      return;
    }
    if (loggedIn()) contents.send(IPC_EVENT_CHANNEL, message);
  });
  return remove;
}
