/**
 * A page's calls while it reads the offline copies of a server that cannot be reached (offline-cache.ts):
 * the document screen's reads are answered from the copies, every other call is refused with one specific
 * sentence — nothing can be changed offline — except imports and scans, which the host sends on as ever
 * (they are kept for the server by the workstation's import queue, not by this mode).
 */
import type { CallResult, Method } from '../../shared/contract';
import { SlipVaultError } from '../../shared/errors';
import type { AuthStatus, DocumentDetail, VersionSummary } from '../../shared/model';
import type { UserCache } from './offline-cache';

/** Calls that bring files in: not answered offline here, but sent on by the routed connection. */
export const SENT_ON_OFFLINE: ReadonlySet<Method> = new Set<Method>(['documents:import', 'pages:add', 'pages:scan', 'scanner:list', 'scanner:scan']);

/** The idle time of an offline page: it holds no session on the server, so the app's usual lock applies. */
const OFFLINE_IDLE_MINUTES = 10;

function refused(error: SlipVaultError): CallResult<Method> {
  return { ok: false, error: error.toPayload() };
}

function readOnly(method: Method, server: string, copiedAt: string | null): CallResult<Method> {
  return refused(
    new SlipVaultError(
      'SERVER_UNREACHABLE',
      `${method} cannot be done offline: the server ${server} cannot be reached, and this window shows only copies of recently opened documents${copiedAt ? ` (as of ${copiedAt})` : ''}. Nothing was changed. Try again once the server is back.`,
      { method, server, reason: 'offline-read-only' },
    ).withMessage('offline.readOnly', { method, server }),
  );
}

function notKept(ref: unknown, server: string): CallResult<Method> {
  return refused(
    new SlipVaultError(
      'NOT_FOUND',
      `${String(ref)} has no offline copy on this computer: only documents opened recently while ${server} could be reached can be read offline.`,
      { ref, server, reason: 'not-cached-offline' },
    ).withMessage('offline.notCached', { ref: String(ref), server }),
  );
}

function refOf(input: unknown): number | string | null {
  const ref = (input as { ref?: unknown } | null)?.ref;
  return typeof ref === 'number' || typeof ref === 'string' ? ref : null;
}

/** The answer to `method` from the offline copies of `cache` (a call of SENT_ON_OFFLINE never reaches here). */
export async function answerOffline(cache: UserCache, server: string, method: Method, input: unknown): Promise<CallResult<Method>> {
  switch (method) {
    case 'auth:status':
      return { ok: true, value: { setupRequired: false, user: cache.user, idleLockMinutes: OFFLINE_IDLE_MINUTES } satisfies AuthStatus };
    // Leaving the copies (the routed connection then forgets them): the page is logged in nowhere.
    case 'auth:logout':
      return { ok: true, value: { setupRequired: false, user: null, idleLockMinutes: OFFLINE_IDLE_MINUTES } satisfies AuthStatus };
    case 'documents:get':
    case 'documents:history': {
      const ref = refOf(input);
      const copy = ref === null ? null : await cache.document(ref);
      if (!copy) return notKept(ref, server);
      if (method === 'documents:get') return { ok: true, value: copy.detail satisfies DocumentDetail };
      return copy.history ? { ok: true, value: copy.history satisfies VersionSummary[] } : notKept(ref, server);
    }
    default:
      return readOnly(method, server, cache.newestCopy());
  }
}
