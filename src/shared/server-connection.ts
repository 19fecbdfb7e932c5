/**
 * Which archive a desktop window or preview page works on — this computer's, or a SlipVault server's — as
 * calls the page makes to its host (not to the archive: they are answered by the host before any archive
 * sees them). Carried over the same transports as contract calls, with the same `CallResult` answers.
 */
import type { ErrorPayload } from './errors';
import type { SessionUser } from './model';

export const CONNECTION_CALLS = [
  'connection:status',
  'connection:probe',
  'connection:trust',
  'connection:useLocal',
  // --- issue 20 item 4: the offline copies of recently opened documents ---
  'connection:openOffline',
  'connection:closeOffline',
  // issue 20 item 4: the imports kept on this computer while the server could not be reached
  'connection:queue',
  'connection:retryQueued',
  'connection:removeQueued',
] as const;
export type ConnectionCall = (typeof CONNECTION_CALLS)[number];

export function isConnectionCall(name: unknown): name is ConnectionCall {
  return typeof name === 'string' && (CONNECTION_CALLS as readonly string[]).includes(name);
}

/**
 * Where the calls go: this computer's archive, or a server whose certificate has this fingerprint.
 * `offlineUser`: who may read this computer's offline copies of that server (the last user who logged in
 * there from here); `offline`: this page reads them now instead of the server.
 */
export type ConnectionStatus = { mode: 'local' } | { mode: 'server'; server: string; fingerprint: string; offlineUser?: string; offline?: OfflineCopies };

/** What a server presents, for the user to compare before trusting it; `pinned`: what this computer trusts already. */
export interface ServerProbe {
  server: string;
  presented: string;
  pinned: string | null;
}

/** One document kept offline; `copiedAt`: when the server last answered for it (ISO time). */
export interface OfflineDocument {
  id: number;
  archiveNo: string;
  title: string;
  copiedAt: string;
}

/** The offline copies a page reads while its server cannot be reached: whose, from when, which documents. */
export interface OfflineCopies {
  server: string;
  user: SessionUser;
  /** The newest copy's time, or null when none is kept. */
  copiedAt: string | null;
  documents: OfflineDocument[];
}

export interface ConnectionCalls {
  'connection:status': { input: Record<string, never>; output: ConnectionStatus };
  'connection:probe': { input: { server: string }; output: ServerProbe };
  'connection:trust': { input: { server: string; fingerprint: string }; output: ConnectionStatus };
  'connection:useLocal': { input: Record<string, never>; output: ConnectionStatus };
  // --- issue 20 item 4: the offline copies of recently opened documents ---
  'connection:openOffline': { input: { username: string; password: string }; output: OfflineCopies };
  'connection:closeOffline': { input: Record<string, never>; output: ConnectionStatus };
  // issue 20 item 4: the offline queue (host/offline-queue.ts)
  'connection:queue': { input: Record<string, never>; output: UploadQueueStatus };
  /** Sends the waiting imports now, and those refused before once more (or only `id`); answers the queue after. */
  'connection:retryQueued': { input: { id?: string }; output: UploadQueueStatus };
  'connection:removeQueued': { input: { id: string }; output: UploadQueueStatus };
}

// --- issue 20 item 4: imports kept on this computer while the server could not be reached ---
/** One import waiting on this computer: the file's name, and once the server refused it, why (it then stays until removed). */
export interface QueuedUpload {
  id: string;
  server: string;
  name: string;
  size: number;
  queuedAt: string;
  refusal: ErrorPayload | null;
}

/** The queue of the server this window works on (empty on this computer's archive); `draining`: being sent now. */
export interface UploadQueueStatus {
  waiting: number;
  refused: number;
  draining: boolean;
  items: QueuedUpload[];
}

export type ConnectionResult<C extends ConnectionCall> = { ok: true; value: ConnectionCalls[C]['output'] } | { ok: false; error: ErrorPayload };
