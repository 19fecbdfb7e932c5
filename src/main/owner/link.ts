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
  /** 'local' when this process opened the archive, else the owner reached. */
  readonly via: 'local' | { program: string; pid: number };
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
    via: 'local',
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

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

export async function linkToArchive(archiveDir: string, options: LinkOptions): Promise<ArchiveLink> {
  const dir = resolve(archiveDir);
  const deadline = Date.now() + (options.ownerStartMs ?? 3_000);
  for (;;) {
    try {
      return await openLocally(dir, options);
    } catch (error) {
      if (!(error instanceof SlipVaultError) || error.code !== 'ARCHIVE_IN_USE') throw error;
      const holder = readLockHolder(dir);
      // An owner on another machine (the folder on a share) cannot be reached through a local socket.
      if (holder?.host === hostname() && isServing(holder)) {
        try {
          const connection = await connectToOwner(dir, holder);
          return {
            via: { program: connection.owner.program, pid: connection.owner.pid },
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
