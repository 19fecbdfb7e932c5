/**
 * The owner's local socket: other programs of this OS user (the CLI, the hot-folder watcher, a scheduled
 * backup) reach the one process that holds the archive through it. The first frame of a connection must
 * present the per-run secret; the connections themselves are the hub's (connection-hub.ts), as are the
 * network server's.
 */
import { createServer, type Server } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import { advertiseEndpoint, withdrawEndpoint, type OwnerEndpoint } from '../core/lock';
import type { ArchiveSession } from '../host/session';
import { createConnectionHub } from './connection-hub';
import { prepareEndpoint, sameSecret } from './endpoint';

export interface OwnerServer {
  readonly endpoint: OwnerEndpoint;
  /** Stops taking connections, lets the calls in flight finish, then ends every connection. */
  close(): Promise<void>;
}

async function listen(server: Server, path: string): Promise<void> {
  const attempt = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await attempt();
  } catch (error) {
    // A socket file left by an earlier process with our pid: nobody listens there, it is ours to replace.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !lstatSync(path, { throwIfNoEntry: false })?.isSocket()) throw error;
    unlinkSync(path);
    await attempt();
  }
}

export async function serveSession(session: ArchiveSession, program: string): Promise<OwnerServer> {
  const archiveDir = session.archive.dir;
  const endpoint = prepareEndpoint(archiveDir);
  const hub = createConnectionHub(session, {
    identity: { program, pid: process.pid, archive: archiveDir },
    admit(message) {
      const hello = message as { kind?: unknown; secret?: unknown } | null;
      if (hello?.kind === 'hello' && sameSecret(hello.secret, endpoint.secret)) return null;
      return {
        code: 'UNAUTHENTICATED',
        message: `Refused by the owner of ${archiveDir} (${program}, process ${process.pid}): the secret presented is not this owner's. A client reads it from ${endpoint.secretFile}, which only the OS user running the owner can read.`,
        details: { reason: 'wrong-owner-secret' },
      };
    },
  });

  const server = createServer(hub.accept);
  try {
    await listen(server, endpoint.socket);
    advertiseEndpoint(archiveDir, endpoint);
  } catch (error) {
    server.close();
    endpoint.discard();
    throw error;
  }

  let closing: Promise<void> | null = null;
  return {
    endpoint: { socket: endpoint.socket, secretFile: endpoint.secretFile },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        withdrawEndpoint(archiveDir);
        endpoint.discard();
        await hub.close();
        await stopped;
      })();
      return closing;
    },
  };
}
