/**
 * `slipvault --server svs://HOST:PORT …`: the command's calls go to a SlipVault server over TLS instead of
 * an archive on this computer. The first connection asks to trust the server's certificate fingerprint
 * (or takes it from --fingerprint); the user's login is the same as locally (SLIPVAULT_USER and
 * SLIPVAULT_PASSWORD, or asked), checked by the server's accounts.
 */
import type { CallResult, Method } from '../../shared/contract';
import type { EventMessage } from '../../shared/client';
import { KnownServerStore, userConfigFolder } from '../network/known-servers';
import { formatServerUrl, parseServerUrl } from '../network/server-address';
import { connectTrusted } from '../network/server-trust';
import type { CliIo } from './context';
import { canPrompt, promptLine } from './prompt';

export interface ServerLink {
  readonly url: string;
  invoke(method: Method, input: unknown): Promise<CallResult<Method>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
  close(): Promise<void>;
}

export interface ServerLinkOptions {
  fingerprint?: string | undefined;
  io: CliIo;
  /** False with --json: a script is never asked anything. */
  mayAsk: boolean;
}

async function askToTrust(io: CliIo, url: string, presented: string): Promise<boolean> {
  io.stderr(
    `The server ${url} presents a certificate with the SHA-256 fingerprint\n  ${presented}\nCompare it with the fingerprint \`slipvault serve\` printed on the server.\n`,
  );
  const answer = await promptLine('Trust this server from now on? (yes/no) ', io.stderr);
  return /^y(es)?$/i.test(answer.trim());
}

export async function serverLink(text: string, options: ServerLinkOptions): Promise<ServerLink> {
  const address = parseServerUrl(text);
  const url = formatServerUrl(address);
  const connection = await connectTrusted(address, {
    store: new KnownServerStore(userConfigFolder(options.io.env)),
    given: options.fingerprint,
    ask: options.mayAsk && canPrompt() ? (server, presented) => askToTrust(options.io, server, presented) : undefined,
  });
  return {
    url,
    async invoke(method, input) {
      const result = await connection.invoke(method, input);
      if (!result.ok && result.error.code === 'UNAUTHENTICATED' && result.error.details?.reason === 'session-expired') {
        // Said by the server about its own idle limit; the user needs to know which server and what to do.
        return {
          ok: false,
          error: {
            ...result.error,
            message: `Your session on ${url} has expired: the server ends a session after the archive's idle time without a call. Run the command again to log in.`,
          },
        };
      }
      return result;
    },
    onEvent: (listener) => connection.onEvent(listener),
    close: async () => connection.close(),
  };
}
