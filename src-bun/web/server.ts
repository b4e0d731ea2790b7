/**
 * The web mode's server: the built UI from dist/ (public: it holds no
 * secret) and the RPC over a WebSocket at /rpc, which needs the per-start
 * token in its handshake and the server's own Origin (see auth.ts). Holds no
 * session logic; it binds the same handler table as the desktop entry.
 */
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Server, ServerWebSocket } from 'bun';
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';
import { dispatch } from '../rpc/dispatch';
import { RPC_PROTOCOL } from '../../src/shared/web-auth';
import { handshakeToken, newToken, originAllowed, ownOrigins, tokenMatches } from './auth';

type Socket = ServerWebSocket<{ clientId: string }>;
const MAX_PACKET_BYTES = 16 * 1024 * 1024;

export type WebServer = { url: string; token: string; server: Server<{ clientId: string }>; clients(): number; stop(): void };

/**
 * Starts serving. `distDir` holds the built UI (`vite build`). Events go to
 * every authenticated socket through `broadcast`. Throws if the port is taken.
 */
export function startWebServer(opts: {
  host: string; port: number; distDir: string; handlers: Handlers; token?: string;
  onClientsChanged?: (count: number) => void;
}): WebServer & { broadcast(event: string, payload: unknown): void } {
  const token = opts.token ?? newToken();
  const sockets = new Set<Socket>();
  const unauthorized = () => new Response('401 Unauthorized: open the URL Corral printed, with its token\n', { status: 401 });
  const wildcardBind = opts.host === '0.0.0.0' || opts.host === '::';
  let origins: Set<string> | null = null; // known once the port is bound

  const server = Bun.serve<{ clientId: string }>({
    hostname: opts.host,
    port: opts.port,
    async fetch(req, srv) {
      const url = new URL(req.url);
      if (url.pathname === '/rpc') {
        origins ??= ownOrigins(opts.host, srv.port ?? opts.port);
        if (!originAllowed(req, origins, wildcardBind)) return new Response('403 Forbidden: the Origin is not this server\n', { status: 403 });
        if (!tokenMatches(token, handshakeToken(req))) return unauthorized();
        // The answer selects the RPC protocol, never the token entry, so the token is not echoed.
        if (srv.upgrade(req, { data: { clientId: crypto.randomUUID() }, headers: { 'sec-websocket-protocol': RPC_PROTOCOL } })) return undefined;
        return new Response('Expected a WebSocket upgrade\n', { status: 400 });
      }
      return serveStatic(opts.distDir, url.pathname);
    },
    websocket: {
      maxPayloadLength: MAX_PACKET_BYTES,
      open(ws) {
        // No replay here: a client catches up itself with `session.sync` for the sessions it shows.
        sockets.add(ws);
        opts.onClientsChanged?.(sockets.size);
      },
      close(ws) {
        sockets.delete(ws);
        opts.onClientsChanged?.(sockets.size);
      },
      async message(ws, data) {
        let packet: unknown;
        try {
          packet = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
        } catch {
          ws.send(JSON.stringify({ type: 'response', id: -1, success: false, error: 'Packet is not JSON' }));
          return;
        }
        const response = await dispatch(opts.handlers, packet, { clientId: ws.data.clientId });
        if (response && ws.readyState === 1) ws.send(JSON.stringify(response));
      },
    },
  });

  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${server.port}/?token=${token}`,
    token,
    server,
    clients: () => sockets.size,
    broadcast(event, payload) {
      const text = JSON.stringify({ type: 'message', id: event, payload });
      for (const ws of sockets) ws.send(text);
    },
    stop() {
      for (const ws of sockets) ws.close(1001, 'Corral is shutting down');
      server.stop(true);
    },
  };
}

async function serveStatic(distDir: string, pathname: string): Promise<Response> {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  } catch {
    return new Response('Bad path\n', { status: 400 });
  }
  let file = join(distDir, rel);
  if (!file.startsWith(distDir)) return new Response('Not found\n', { status: 404 });
  if (rel === '/' || rel === '' || !existsSync(file)) file = join(distDir, 'index.html');
  if (!existsSync(file)) return new Response('The UI is not built: run `npm run build` (npm run web does it for you)\n', { status: 500 });
  // no-referrer: the first page load's URL carries the token, and no request it makes may pass that URL on.
  const headers: Record<string, string> = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  return new Response(Bun.file(file), { headers });
}
