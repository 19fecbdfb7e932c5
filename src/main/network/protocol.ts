/**
 * The network server's hello. Over TLS nobody presents the owner's local secret: the connection is admitted
 * as a connection, and its calls are refused until it logs in with an account (auth:login). The hello names
 * the protocol version, so a client of another SlipVault version is told so instead of failing on a call.
 */
export const NETWORK_PROTOCOL = 1;

export interface NetworkHello {
  kind: 'hello';
  protocol: number;
}
