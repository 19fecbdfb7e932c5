/**
 * The owner's socket protocol, on top of the transport's call and event messages: a client's first frame
 * presents the secret, and the owner answers with a welcome or a refusal before anything else.
 */
import type { ErrorPayload } from '../../shared/errors';

export interface HelloFrame {
  kind: 'hello';
  secret: string;
}

export interface OwnerIdentity {
  program: string;
  pid: number;
  archive: string;
}

export type HandshakeReply = { kind: 'welcome'; owner: OwnerIdentity } | { kind: 'refused'; error: ErrorPayload };

/** How long a connection may take to present its secret before it is closed. */
export const HELLO_TIMEOUT_MS = 10_000;
