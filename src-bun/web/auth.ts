/**
 * Web-mode access rules. A random per-start token grants access. The page
 * gets it once, in the URL Corral prints (`?token=`), and sends it only in
 * its WebSocket handshake (see src/shared/web-auth.ts), never in a cookie:
 * cookies ignore ports, so every other server on 127.0.0.1 would receive
 * one. Static files hold no secret and are served without the token; every
 * RPC goes over the WebSocket, which needs the token and an `Origin` exactly
 * equal to the server's own (scheme, host and port). Tokens are compared in
 * constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { tokenFromProtocols } from '../../src/shared/web-auth';

/** 32 random bytes, hex. */
export function newToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  // Compare equal lengths always, so the time does not reveal the length either.
  return timingSafeEqual(a, b.length === a.length ? b : Buffer.alloc(a.length)) && b.length === a.length;
}

/** The token a WebSocket upgrade request carries in its `Sec-WebSocket-Protocol` header, or null. */
export function handshakeToken(req: Request): string | null {
  return tokenFromProtocols(req.headers.get('sec-websocket-protocol'));
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The origins a page served by this server can have: `http://<host>:<port>`
 * for the bound host, and for a loopback bind each loopback name (the page
 * may be opened as localhost). Nothing else, not even another port.
 */
export function ownOrigins(host: string, port: number): Set<string> {
  const shown = host.includes(':') ? `[${host}]` : host;
  const names = LOOPBACK_NAMES.includes(shown) ? LOOPBACK_NAMES : [shown];
  return new Set(names.map((name) => `http://${name}:${port}`));
}

/**
 * True when the request's `Origin` is exactly one of `own`. A missing or
 * empty Origin is refused: browsers always send one on a WebSocket upgrade.
 * For a wildcard bind (0.0.0.0, ::) the page's address is not known in
 * advance, so the Origin must equal `http://` plus the request's own Host.
 */
export function originAllowed(req: Request, own: Set<string>, wildcardBind: boolean): boolean {
  const origin = req.headers.get('origin');
  if (!origin) return false;
  if (own.has(origin)) return true;
  return wildcardBind && origin === `http://${req.headers.get('host')}`;
}
