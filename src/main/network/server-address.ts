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

function hostPort(text: string, what: string, example: string): ServerAddress {
  const match = HOST_PORT.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65_535) {
    throw new SlipVaultError('VALIDATION', `"${text}" is not ${what}: write it as ${example}.`, { value: text });
  }
  return { host: match[1] ?? match[2]!, port };
}

/** `HOST:PORT` to listen on; port 0 picks a free one. */
export function parseListenAddress(text: string): ServerAddress {
  return hostPort(text, 'an address to listen on', 'HOST:PORT, e.g. 0.0.0.0:7443 or 127.0.0.1:7443');
}

/** `svs://HOST:PORT` of a server to connect to. */
export function parseServerUrl(text: string): ServerAddress {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(`${SERVER_SCHEME}//`)) {
    throw new SlipVaultError('VALIDATION', `"${text}" is not a SlipVault server address: write it as svs://HOST:PORT, e.g. svs://archive.office.lan:7443.`, {
      value: text,
    });
  }
  const address = hostPort(trimmed.slice(SERVER_SCHEME.length + 2).replace(/\/$/, ''), 'a SlipVault server address', 'svs://HOST:PORT');
  if (address.port === 0) throw new SlipVaultError('VALIDATION', `"${text}" names port 0; give the port the server prints when it starts.`, { value: text });
  return address;
}

export function formatServerUrl({ host, port }: ServerAddress): string {
  return `${SERVER_SCHEME}//${host.includes(':') ? `[${host}]` : host}:${port}`;
}
