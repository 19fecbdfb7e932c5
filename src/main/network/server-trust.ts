/**
 * Connecting to a server the way SSH does: the first time, the user compares the certificate fingerprint
 * with the one the server printed at its start and trusts it (asked on a terminal, or given with
 * `--fingerprint`), and it is remembered (known-servers.ts); after that a server presenting another
 * certificate is refused with both fingerprints shown. A fingerprint given explicitly is what the user
 * expects now, so it replaces the remembered one once the server has presented exactly it.
 */
import { SlipVaultError } from '../../shared/errors';
import type { OwnerConnection } from '../owner/framed-client';
import { normalizeFingerprint, type KnownServerStore } from './known-servers';
import { connectToServer, FingerprintMismatch, probeFingerprint } from './remote-client';
import { formatServerUrl, type ServerAddress } from './server-address';

export interface TrustOptions {
  store: KnownServerStore;
  /** The fingerprint the user gave (`--fingerprint`). */
  given?: string | undefined;
  /** Asks whether to trust a server seen for the first time; absent where nobody can be asked (--json, no terminal). */
  ask?: ((url: string, presented: string) => Promise<boolean>) | undefined;
}

async function connectExpecting(address: ServerAddress, expected: string, onMismatch: (presented: string) => SlipVaultError): Promise<OwnerConnection> {
  try {
    return await connectToServer(address, expected);
  } catch (error) {
    if (error instanceof FingerprintMismatch) throw onMismatch(error.presented);
    throw error;
  }
}

export async function connectTrusted(address: ServerAddress, options: TrustOptions): Promise<OwnerConnection> {
  const url = formatServerUrl(address);
  if (options.given !== undefined) {
    const given = normalizeFingerprint(options.given);
    if (!given) {
      throw new SlipVaultError(
        'VALIDATION',
        `"${options.given}" is not a SHA-256 fingerprint: 32 bytes in hex, e.g. AB:CD:…, as \`slipvault serve\` prints it.`,
        {
          value: options.given,
        },
      ).withMessage('server.badFingerprint', { value: options.given });
    }
    const connection = await connectExpecting(address, given, (presented) =>
      new SlipVaultError(
        'SERVER_NOT_TRUSTED',
        `${url} presented a certificate with the fingerprint\n  ${presented}\nbut you gave\n  ${given}\nNothing was sent to it. Compare again with the fingerprint \`slipvault serve\` printed on the server.`,
        { server: url, reason: 'fingerprint-mismatch', expected: given, presented },
      ).withMessage('server.fingerprintMismatch', { server: url, given, presented }),
    );
    if (options.store.fingerprintOf(address) !== given) options.store.trust(address, given);
    return connection;
  }

  const pinned = options.store.fingerprintOf(address);
  if (pinned) {
    return connectExpecting(address, pinned, (presented) =>
      new SlipVaultError(
        'SERVER_NOT_TRUSTED',
        `The certificate of ${url} has changed. This computer trusts\n  ${pinned}\nbut the server presented\n  ${presented}\nNothing was sent to it. Either the server's certificate was replaced, or something else answers at that address. Ask the administrator for the fingerprint \`slipvault serve\` prints now; only if it is the new one, run the command again with --fingerprint ${presented}.`,
        { server: url, reason: 'fingerprint-changed', pinned, presented },
      ).withMessage('server.certificateChanged', { server: url, pinned, presented }),
    );
  }

  const presented = await probeFingerprint(address);
  if (!options.ask) {
    throw new SlipVaultError(
      'SERVER_NOT_TRUSTED',
      `${url} is not a server this computer knows yet. Its certificate fingerprint is\n  ${presented}\nCompare it with the fingerprint \`slipvault serve\` printed on the server; if they are the same, run the command again with --fingerprint ${presented} (or on a terminal, to be asked).`,
      { server: url, reason: 'fingerprint-unknown', presented },
    ).withMessage('server.unknownServer', { server: url, presented });
  }
  if (!(await options.ask(url, presented))) {
    throw new SlipVaultError('SERVER_NOT_TRUSTED', `${url} was not trusted; nothing was sent to it.`, {
      server: url,
      reason: 'declined',
      presented,
    }).withMessage('server.declined', { server: url });
  }
  const connection = await connectExpecting(address, presented, (now) =>
    new SlipVaultError('SERVER_NOT_TRUSTED', `${url} presented another certificate (${now}) right after showing ${presented}; nothing was sent to it.`, {
      server: url,
      reason: 'fingerprint-changed',
      pinned: presented,
      presented: now,
    }).withMessage('server.certificateSwapped', { server: url, shown: presented, presented: now }),
  );
  options.store.trust(address, presented);
  return connection;
}
