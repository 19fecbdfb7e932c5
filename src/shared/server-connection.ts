/**
 * Which archive a desktop window or preview page works on — this computer's, or a SlipVault server's — as
 * calls the page makes to its host (not to the archive: they are answered by the host before any archive
 * sees them). Carried over the same transports as contract calls, with the same `CallResult` answers.
 */
import type { ErrorPayload } from './errors';

export const CONNECTION_CALLS = ['connection:status', 'connection:probe', 'connection:trust', 'connection:useLocal'] as const;
export type ConnectionCall = (typeof CONNECTION_CALLS)[number];

export function isConnectionCall(name: unknown): name is ConnectionCall {
  return typeof name === 'string' && (CONNECTION_CALLS as readonly string[]).includes(name);
}

/** Where the calls go: this computer's archive, or a server whose certificate has this fingerprint. */
export type ConnectionStatus = { mode: 'local' } | { mode: 'server'; server: string; fingerprint: string };

/** What a server presents, for the user to compare before trusting it; `pinned`: what this computer trusts already. */
export interface ServerProbe {
  server: string;
  presented: string;
  pinned: string | null;
}

export interface ConnectionCalls {
  'connection:status': { input: Record<string, never>; output: ConnectionStatus };
  'connection:probe': { input: { server: string }; output: ServerProbe };
  'connection:trust': { input: { server: string; fingerprint: string }; output: ConnectionStatus };
  'connection:useLocal': { input: Record<string, never>; output: ConnectionStatus };
}

export type ConnectionResult<C extends ConnectionCall> = { ok: true; value: ConnectionCalls[C]['output'] } | { ok: false; error: ErrorPayload };
