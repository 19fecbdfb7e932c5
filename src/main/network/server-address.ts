/**
 * Addresses of a SlipVault network server: `--listen HOST:PORT` on the server, `svs://HOST:PORT` on a
 * client. IPv6 hosts are written in brackets (`[::1]:7443`). A port is always given: a server that moved
 * to another port must not be reached by a guess.
 */
import { SlipVaultError } from '../../shared/errors';

export const SERVER_SCHEME = 'svs:';

export interface ServerAddress {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/[\]]+)):(\d{1,5})$/;

/** `HOST:PORT` as host and port, or null when it is not one. */
function hostPort(text: string): ServerAddress | null {
  const match = HOST_PORT.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65_535) return null;
  return { host: match[1] ?? match[2]!, port };
}

/** `HOST:PORT` to listen on; port 0 picks a free one. */
export function parseListenAddress(text: string): ServerAddress {
  const address = hostPort(text);
  if (!address) {
    throw new SlipVaultError('VALIDATION', `"${text}" is not an address to listen on: write it as HOST:PORT, e.g. 0.0.0.0:7443 or 127.0.0.1:7443.`, {
      value: text,
    }).withMessage('server.badListenAddress', { value: text });
  }
  return address;
}

/** `svs://HOST:PORT` of a server to connect to. */
export function parseServerUrl(text: string): ServerAddress {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(`${SERVER_SCHEME}//`)) {
    throw new SlipVaultError('VALIDATION', `"${text}" is not a SlipVault server address: write it as svs://HOST:PORT, e.g. svs://archive.office.lan:7443.`, {
      value: text,
    }).withMessage('server.badServerAddress', { value: text });
  }
  const hostAndPort = trimmed.slice(SERVER_SCHEME.length + 2).replace(/\/$/, '');
  const address = hostPort(hostAndPort);
  if (!address) {
    throw new SlipVaultError('VALIDATION', `"${hostAndPort}" is not a SlipVault server address: write it as svs://HOST:PORT.`, {
      value: hostAndPort,
    }).withMessage('server.badServerAddress', { value: text });
  }
  if (address.port === 0) {
    throw new SlipVaultError('VALIDATION', `"${text}" names port 0; give the port the server prints when it starts.`, { value: text }).withMessage(
      'server.portZero',
      { value: text },
    );
  }
  return address;
}

export function formatServerUrl({ host, port }: ServerAddress): string {
  return `${SERVER_SCHEME}//${host.includes(':') ? `[${host}]` : host}:${port}`;
}
