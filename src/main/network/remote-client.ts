/**
 * A client's connection to a SlipVault server over TLS. The certificate is checked against the fingerprint
 * the caller trusts as soon as the TLS handshake ends, before a single byte of ours is sent (so a password
 * never reaches a server that is not the trusted one); then the connection speaks the owner's framed
 * protocol (owner/framed-client.ts) with the network hello.
 */
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { SlipVaultError } from '../../shared/errors';
import { startFramedClient, type OwnerConnection } from '../owner/framed-client';
import { NETWORK_PROTOCOL, type NetworkHello } from './protocol';
import { formatServerUrl, type ServerAddress } from './server-address';

const CONNECT_TIMEOUT_MS = 10_000;

const UNREACHABLE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'nothing listens on that port (is `slipvault serve --listen` running?)',
  ENOTFOUND: 'no such host name',
  EHOSTUNREACH: 'the host cannot be reached on the network',
  ENETUNREACH: 'the network cannot be reached',
  ETIMEDOUT: 'it did not answer in time',
  ECONNRESET: 'the connection was cut',
};

function unreachable(address: ServerAddress, error: NodeJS.ErrnoException): SlipVaultError {
  const url = formatServerUrl(address);
  const known = error.code !== undefined && error.code in UNREACHABLE_REASONS;
  const why = known ? UNREACHABLE_REASONS[error.code!]! : `${error.code ?? error.message}: not a SlipVault server, or TLS failed`;
  // The UI words the cause in its own language: a known socket error by its code, anything else as 'other'.
  return new SlipVaultError('SERVER_UNREACHABLE', `Cannot reach the SlipVault server ${url}: ${why}.`, { server: url, code: error.code ?? null }).withMessage(
    'server.unreachable',
    { server: url, cause: known ? error.code! : 'other' },
  );
}

/** A TLS connection whose handshake has finished; the certificate is not judged here. */
function openTls(address: ServerAddress): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: address.host,
      port: address.port,
      // Trust comes from the pinned fingerprint, not from a certificate authority.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
      ...(isIP(address.host) === 0 ? { servername: address.host } : {}),
    });
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), CONNECT_TIMEOUT_MS);
    const failed = (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(unreachable(address, error));
    };
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', failed);
      resolve(socket);
    });
    socket.once('error', failed);
  });
}

function fingerprintOf(socket: TLSSocket): string {
  return socket.getPeerCertificate().fingerprint256;
}

/** The fingerprint the server presents, for the user to compare before trusting it; nothing is sent. */
export async function probeFingerprint(address: ServerAddress): Promise<string> {
  const socket = await openTls(address);
  const fingerprint = fingerprintOf(socket);
  socket.destroy();
  return fingerprint;
}

export class FingerprintMismatch extends Error {
  constructor(readonly presented: string) {
    super('the server presented another certificate');
  }
}

/** A connection to the server, only if it presents the certificate with `trusted` as its fingerprint. */
export async function connectToServer(address: ServerAddress, trusted: string): Promise<OwnerConnection> {
  const socket = await openTls(address);
  const presented = fingerprintOf(socket);
  if (presented !== trusted) {
    socket.destroy();
    throw new FingerprintMismatch(presented);
  }
  const url = formatServerUrl(address);
  const hello: NetworkHello = { kind: 'hello', protocol: NETWORK_PROTOCOL };
  return startFramedClient(socket, hello, {
    gone: (method, sent) => ({
      code: 'SERVER_UNREACHABLE',
      message: sent
        ? `The server ${url} stopped answering before ${method} was answered; it may or may not have been done. Check (for an edit: \`slipvault history\`) once the server is back, then run the command again if needed.`
        : `The connection to ${url} has ended; ${method} was not sent.`,
      details: { server: url, reason: sent ? 'server-gone' : 'server-closed', method },
    }),
    notAnOwner: () =>
      new SlipVaultError('SERVER_UNREACHABLE', `${url} did not answer as a SlipVault server.`, { server: url, reason: 'not-a-server' }).withMessage(
        'server.notAServer',
        { server: url },
      ),
    closedBeforeWelcome: () =>
      new SlipVaultError('SERVER_UNREACHABLE', `${url} closed the connection before accepting it.`, { server: url, reason: 'server-gone' }).withMessage(
        'server.closedConnection',
        { server: url },
      ),
  });
}
