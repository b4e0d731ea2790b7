/**
 * How the web mode's page proves it may use the RPC: the per-start access
 * token travels in the WebSocket handshake as one entry of the
 * `Sec-WebSocket-Protocol` list, next to the protocol Corral's RPC speaks.
 * The server selects {@link RPC_PROTOCOL} in its answer, never the token
 * entry, so the token is not echoed back. No cookie carries it: cookies ignore
 * ports, so every other server on 127.0.0.1 the browser visits would get one.
 */

/** The subprotocol of Corral's RPC, offered by the client and selected by the server. */
export const RPC_PROTOCOL = 'corral.rpc.v1';

/** Prefix of the subprotocol entry that carries the token: `corral.token.<token>`. */
export const TOKEN_PROTOCOL_PREFIX = 'corral.token.';

/** A token fits in a subprotocol entry (an HTTP token): Corral's are 64 hex digits. */
const TOKEN_CHARS = /^[A-Za-z0-9._~-]{1,256}$/;

/** The subprotocol list a client offers: the RPC protocol, then the token entry. Throws on a token that cannot travel in a header. */
export function rpcProtocols(token: string): string[] {
  if (!TOKEN_CHARS.test(token)) throw new Error('The access token has characters a WebSocket handshake cannot carry; open the URL Corral printed');
  return [RPC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}

/** The token in a `Sec-WebSocket-Protocol` header value (comma-separated entries), or null. */
export function tokenFromProtocols(header: string | null): string | null {
  for (const entry of (header ?? '').split(',')) {
    const value = entry.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) return value.slice(TOKEN_PROTOCOL_PREFIX.length) || null;
  }
  return null;
}
