/**
 * Boot-time choice of transport: inside Electrobun the view talks through
 * Electroview; in a browser it opens the token-authenticated WebSocket.
 */
import { Electroview } from 'electrobun/view';
import { realClock, type Clock } from '../../shared/clock';
import { createElectrobunRpcClient } from './electrobun-client';
import type { Connection, ConnectionState, RpcClient } from './types';
import { createWebSocketTransport, type SocketLike } from './websocket-transport';

/** The page's location, as far as the transport cares. */
export type PageLocation = Pick<Location, 'protocol' | 'host' | 'search'>;

/** The RPC endpoint of web mode: same host, `/rpc`, carrying the page's `?token=`. */
export function webSocketUrl(location: PageLocation): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
}

/** True when the page runs inside an Electrobun webview. */
export function isElectrobunHost(win: Window = window): boolean {
  return Boolean((win as Window & { __electrobunWebviewId?: number }).__electrobunWebviewId);
}

/** A connection that is always open (the desktop bridge has no reconnect of its own to report). */
function alwaysOpen(): Connection {
  const state: ConnectionState = 'open';
  return { state, detail: null, subscribe: () => () => {}, retryNow: () => {}, close: () => {} };
}

/** What the app boots with. */
export interface RpcConnection {
  client: RpcClient;
  connection: Connection;
  /** True when the page URL has no `?token=`, so web mode will be refused. */
  missingToken: boolean;
}

/** Creates the client over the transport that fits the host page. */
export function connectRpc(options: { win?: Window; clock?: Clock; connect?: (url: string) => SocketLike } = {}): RpcConnection {
  const win = options.win ?? window;
  const { rpc, client } = createElectrobunRpcClient();
  if (isElectrobunHost(win)) {
    new Electroview({ rpc });
    return { client, connection: alwaysOpen(), missingToken: false };
  }
  const { transport, connection } = createWebSocketTransport({
    url: webSocketUrl(win.location),
    clock: options.clock ?? realClock,
    connect: options.connect,
  });
  rpc.setTransport(transport);
  const missingToken = !new URLSearchParams(win.location.search).get('token');
  return { client, connection, missingToken };
}
