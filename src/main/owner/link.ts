/**
 * How a program reaches an archive for the length of one job: through its running owner when there is one
 * on this machine, else by opening the archive itself — and then serving it for that time, so that a
 * colleague's `slipvault list` beside a long `slipvault watch` is never refused.
 */
import type { CallResult, Method } from '../../shared/contract';
import type { EventMessage } from '../../shared/client';
import { SlipVaultError } from '../../shared/errors';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { openArchive } from '../core/archive';
import { readLockHolder } from '../core/lock';
import { openSession } from '../host/session';
import { connectToOwner, isServing } from './client';
import { serveSession, type OwnerServer } from './server';

export interface ArchiveLink {
  invoke(method: Method, input: unknown): Promise<CallResult<Method>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
  close(): Promise<void>;
}

export interface LinkOptions {
  program: string;
  ocrWorkers?: number;
  /** How long to wait for a holder that has taken the lock but not yet opened its socket. */
  ownerStartMs?: number;
  /** A failure to serve others while the archive is open here; the job itself goes on. */
  onServeError?: (error: unknown) => void;
}

async function openLocally(dir: string, options: LinkOptions): Promise<ArchiveLink> {
  const archive = await openArchive(dir, { program: options.program, ...(options.ocrWorkers ? { ocrWorkers: options.ocrWorkers } : {}) });
  const session = openSession(archive, { backgroundOcr: false, resumeHotFolder: false });
  let server: OwnerServer | null = null;
  try {
    server = await serveSession(session, options.program);
  } catch (error) {
    options.onServeError?.(error);
  }
  const listeners = new Set<(message: EventMessage) => void>();
  const connection = session.connect((message) => {
    for (const listener of [...listeners]) listener(message);
  });
  return {
    invoke: (method, input) => connection.client.invoke(method, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      try {
        await server?.close();
      } finally {
        connection.close();
        await session.close();
      }
    },
  };
}

/**
 * The files folder of an archive on PostgreSQL (`slipvault serve --db … --files DIR`) has no database file to
 * open here, but its server's holder file names the owner's socket: commands on the server machine go there.
 */
function servedFromPostgres(error: SlipVaultError, dir: string): boolean {
  return error.code === 'NOT_AN_ARCHIVE' && isServing(readLockHolder(dir));
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function linkToArchive(archiveDir: string, options: LinkOptions): Promise<ArchiveLink> {
  const dir = resolve(archiveDir);
  const deadline = Date.now() + (options.ownerStartMs ?? 3_000);
  for (;;) {
    try {
      return await openLocally(dir, options);
    } catch (error) {
      if (!(error instanceof SlipVaultError) || (error.code !== 'ARCHIVE_IN_USE' && !servedFromPostgres(error, dir))) throw error;
      const holder = readLockHolder(dir);
      // An owner on another machine (the folder on a share) cannot be reached through a local socket.
      if (holder?.host === hostname() && isServing(holder)) {
        try {
          const connection = await connectToOwner(dir, holder);
          return {
            invoke: (method, input) => connection.invoke(method, input),
            onEvent: (listener) => connection.onEvent(listener),
            close: async () => connection.close(),
          };
        } catch (refusal) {
          // Refused on purpose (a wrong secret): say so. An owner that just stopped: the lock may be free now.
          const reason = refusal instanceof SlipVaultError ? refusal.details?.reason : undefined;
          if (reason !== 'owner-not-answering' && reason !== 'owner-gone') throw refusal;
          if (Date.now() > deadline) throw refusal;
        }
      } else if (Date.now() > deadline || (holder !== null && holder.host !== hostname())) {
        throw error;
      }
      await pause(100);
    }
  }
}

/** Reasons an owner gives for a call it did not run because it is going away: safe to send elsewhere. */
const NOT_RUN = new Set<unknown>(['owner-closing', 'owner-closed']);

/**
 * A link for a command that may outlive the owner it reached (a `watch` beside a `slipvault import` that
 * served the archive while it ran): when that owner goes away between calls, the next call reaches whoever
 * holds the archive now — or opens it here — and logs in again as the same user first. A call the owner may
 * have run before it went away is never sent again.
 */
export async function lastingLink(archiveDir: string, options: LinkOptions): Promise<ArchiveLink> {
  let link = await linkToArchive(archiveDir, options);
  const listeners = new Set<(message: EventMessage) => void>();
  const relay = (message: EventMessage) => {
    for (const listener of [...listeners]) listener(message);
  };
  let detach = link.onEvent(relay);
  let login: unknown = null;

  async function relink(): Promise<void> {
    detach();
    await link.close();
    link = await linkToArchive(archiveDir, options);
    detach = link.onEvent(relay);
    if (login === null) return;
    const again = await link.invoke('auth:login', login);
    if (!again.ok) throw SlipVaultError.fromPayload(again.error);
  }

  return {
    async invoke(method, input) {
      let result = await link.invoke(method, input);
      if (!result.ok && NOT_RUN.has(result.error.details?.reason)) {
        await relink();
        result = await link.invoke(method, input);
      }
      if (method === 'auth:login') login = result.ok ? input : null;
      return result;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      detach();
      return link.close();
    },
  };
}
