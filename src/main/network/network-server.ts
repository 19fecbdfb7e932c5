/**
 * `slipvault serve --listen HOST:PORT`: the owner's session served to other machines over TLS. The frames
 * and messages are the local socket's (owner/connection-hub.ts); only admission differs: instead of the
 * per-run secret, a hello naming the protocol version, and then every call but the login ones is refused
 * until the connection logs in with an account. Paths in calls are limited to the server's folder roots
 * (network-paths.ts). Nothing here knows what stores the archive: it serves an ArchiveSession.
 */
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { createServer } from 'node:tls';
import type { ArchiveSession } from '../host/session';
import { SlipVaultError } from '../../shared/errors';
import { createConnectionHub } from '../owner/connection-hub';
import { guardServerPaths } from './network-paths';
import { NETWORK_PROTOCOL } from './protocol';
import { formatServerUrl, type ServerAddress } from './server-address';
import type { ServerCertificate } from './tls-identity';

export interface NetworkServerOptions {
  listen: ServerAddress;
  certificate: ServerCertificate;
  program: string;
  folderRoots: readonly string[];
}

export interface NetworkServer {
  /** The address actually bound (the port chosen when 0 was asked for). */
  readonly address: ServerAddress;
  readonly url: string;
  close(): Promise<void>;
}

export async function serveNetwork(session: ArchiveSession, options: NetworkServerOptions): Promise<NetworkServer> {
  const hub = createConnectionHub(session, {
    // Before a login nobody learns where on the server the archive lives.
    identity: { program: options.program, pid: process.pid, archive: basename(session.archive.dir) },
    admit(message) {
      const hello = message as { kind?: unknown; protocol?: unknown } | null;
      if (hello?.kind !== 'hello') {
        return { code: 'VALIDATION', message: 'A SlipVault client starts with a hello.', details: { reason: 'no-hello' } };
      }
      if (hello.protocol !== NETWORK_PROTOCOL) {
        return {
          code: 'CONFLICT',
          message: `This SlipVault server speaks protocol ${NETWORK_PROTOCOL} and the client ${typeof hello.protocol === 'number' ? `protocol ${hello.protocol}` : 'an unknown protocol'}: install the same SlipVault version on both.`,
          details: { reason: 'protocol-mismatch', server: NETWORK_PROTOCOL, client: hello.protocol ?? null },
        };
      }
      return null;
    },
    guard: (handler) => guardServerPaths(handler, options.folderRoots),
  });
  const server = createServer({ key: options.certificate.key, cert: options.certificate.cert, minVersion: 'TLSv1.3' }, hub.accept);
  // A failed handshake (a client that refused our certificate, a port scanner) ends that connection only.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'another program already listens there'
          : error.code === 'EADDRNOTAVAIL'
            ? 'this machine has no such address'
            : error.code === 'EACCES'
              ? 'this OS user may not listen on that port'
              : (error.code ?? error.message);
      reject(
        new SlipVaultError('CONFLICT', `Cannot listen on ${options.listen.host}:${options.listen.port}: ${why}.`, {
          reason: 'listen-failed',
          code: error.code ?? null,
        }).withMessage('server.cannotListen', { address: `${options.listen.host}:${options.listen.port}`, reason: why }),
      );
    });
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const address = { host: options.listen.host, port: bound.port };
  let closing: Promise<void> | null = null;
  return {
    address,
    url: formatServerUrl(address),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await hub.close();
        await stopped;
      })();
      return closing;
    },
  };
}
