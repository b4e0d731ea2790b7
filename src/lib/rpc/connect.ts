/**
 * Boot-time choice of transport: inside Electrobun the view talks through
 * Electroview; in a browser it opens the token-authenticated WebSocket.
 *
 * The web mode's access token arrives once, in the URL Corral printed. It is
 * taken out of the address bar at once (`history.replaceState`, so it is not
 * left in the URL or the history entry) and kept in this tab's
 * sessionStorage, so a reload still connects. sessionStorage is per origin,
 * and an origin includes the port, so a page on another 127.0.0.1 port cannot
 * read it; it is per tab, and it is never sent in a request (unlike a cookie).
 * The token itself dies when Corral stops. It travels only in the WebSocket
 * handshake (src/shared/web-auth.ts).
 */
import { Electroview } from 'electrobun/view';
import { realClock, type Clock } from '../../shared/clock';
import { rpcProtocols } from '../../shared/web-auth';
import { whenIdle } from '../idle';
import { installFastDecrypt, type ElectrobunCryptoHost } from './electrobun-decrypt';
import { createElectrobunRpcClient } from './electrobun-client';
import { frameAcknowledger, type BunBridgeHost } from './frame-ack';
import { FRAME_ACK } from '../../shared/rpc/electrobun-schema';
import type { EventGuard } from './event-guard';
import type { Connection, ConnectionState, RpcClient } from './types';
import { createWebSocketTransport, type SocketLike } from './websocket-transport';

/**
 * When the event guard's schemas load if no event asked for them first, ms
 * after the connection starts (then at the next idle moment): after the boot.
 */
export const GUARD_PRELOAD_MS = 1000;

/** The page's location, as far as the transport cares. */
export type PageLocation = Pick<Location, 'protocol' | 'host'>;

/** Where this tab keeps the token across reloads (sessionStorage key). */
export const TOKEN_STORAGE_KEY = 'corral.token';

/** The RPC endpoint of web mode: same host, `/rpc`. The token is not part of it. */
export function webSocketUrl(location: PageLocation): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/rpc`;
}

/** The parts of a window {@link takeAccessToken} uses; tests pass a fake. */
export type TokenHost = {
  location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
};

/**
 * The web mode's access token, or null when the page has none. A `?token=`
 * in the URL wins: it is removed from the address bar (other query
 * parameters and the hash stay) and stored for reloads of this tab.
 */
export function takeAccessToken(win: TokenHost): string | null {
  const params = new URLSearchParams(win.location.search);
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    params.delete('token');
    const query = params.toString();
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${query ? `?${query}` : ''}${win.location.hash}`);
    if (fromUrl) storeToken(win, fromUrl);
  }
  if (fromUrl) return fromUrl;
  try {
    return win.sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null; // storage disabled: only the URL can carry the token
  }
}

function storeToken(win: TokenHost, token: string): void {
  try {
    win.sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage disabled or full: this load works, a reload needs the printed URL again.
  }
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
  /** True in web mode when the page has no usable access token, so the server will refuse the socket. */
  missingToken: boolean;
}

/** Creates the client over the transport that fits the host page. */
export function connectRpc(options: { win?: Window; clock?: Clock; connect?: (url: string, protocols: string[]) => SocketLike } = {}): RpcConnection {
  const win = options.win ?? window;
  // The contract's schemas (zod) load with the first event, or once the boot is surely over: not on its path.
  let loading: Promise<EventGuard> | null = null;
  const guard = () => (loading ??= import('./event-guard').then((m) => m.createEventGuard()));
  setTimeout(() => whenIdle(() => void guard()), GUARD_PRELOAD_MS);
  let frameArrived: (() => void) | undefined;
  const { rpc, client } = createElectrobunRpcClient({ guard, frameArrived: () => frameArrived?.() });
  if (isElectrobunHost(win)) {
    // Before the socket opens: Electrobun's own decrypt of its packets is the window's largest cost in a busy stream.
    installFastDecrypt(win as Window & ElectrobunCryptoHost);
    // The main process holds the next message frame until the window started on this one (its flow control).
    frameArrived = frameAcknowledger(win as Window & BunBridgeHost, () => rpc.send[FRAME_ACK]({}));
    new Electroview({ rpc });
    return { client, connection: alwaysOpen(), missingToken: false };
  }
  const token = takeAccessToken(win);
  let protocols: string[] = [];
  try {
    protocols = token ? rpcProtocols(token) : [];
  } catch {
    // A token with characters a header cannot carry is no token: the banner says so.
  }
  const { transport, connection } = createWebSocketTransport({
    url: webSocketUrl(win.location),
    protocols,
    clock: options.clock ?? realClock,
    connect: options.connect,
  });
  rpc.setTransport(transport);
  return { client, connection, missingToken: protocols.length === 0 };
}
