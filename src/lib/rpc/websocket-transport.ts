/**
 * Web-mode transport: RPC packets as JSON text frames over one WebSocket to
 * `/rpc`, reconnecting with exponential backoff when it drops. The access
 * token travels in each handshake's subprotocol list (`protocols`), never in
 * the URL.
 *
 * It carries Electrobun's packet shapes unchanged (see `src/shared/rpc/index.ts`),
 * so the same RPC object serves the desktop and the browser. Two guards make a
 * WebSocket behave like a dependable link:
 * - a request in flight when the socket drops is answered locally with an
 *   error response, so its promise rejects now instead of hanging until the
 *   RPC timeout;
 * - the server never sends requests, so incoming `request` packets are dropped
 *   (the Electrobun view RPC would otherwise answer a script-evaluation request).
 */
import type { Clock, TimerHandle } from '../../shared/clock';
import type { Connection, ConnectionState, PacketTransport } from './types';

/** The part of the WebSocket API the transport uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Options of {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions {
  url: string;
  /** Subprotocols offered on every connect, e.g. `rpcProtocols(token)` (src/shared/web-auth.ts). */
  protocols?: string[];
  clock: Clock;
  /** Opens a socket offering `protocols`; defaults to the global WebSocket. */
  connect?: (url: string, protocols: string[]) => SocketLike;
  /** First reconnect delay, ms (doubles per failed attempt). */
  initialBackoffMs?: number;
  /** Longest reconnect delay, ms. */
  maxBackoffMs?: number;
}

/** What {@link createWebSocketTransport} returns: the packet transport plus its observable connection. */
export interface WebSocketTransport {
  transport: PacketTransport;
  connection: Connection;
}

const OPEN = 1;
export const DISCONNECTED_ERROR = 'Disconnected from Corral';

type Outgoing = { type?: unknown; id?: unknown };

/** Creates the transport and opens the first connection at once. */
export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { url, clock } = options;
  const connect = options.connect ?? ((u: string, p: string[]) => new WebSocket(u, p) as unknown as SocketLike);
  const protocols = options.protocols ?? [];
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;

  let handler: ((packet: unknown) => void) | null = null;
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let detail: string | null = null;
  let failedAttempts = 0;
  let stopped = false;
  let retryTimer: TimerHandle | null = null;
  const subscribers = new Set<(s: ConnectionState) => void>();
  /** Packets written while the socket was not open; sent on open, failed on close. */
  let queue: Outgoing[] = [];
  /** Ids of requests sent on the current socket and not yet answered. */
  const inFlight = new Set<number>();

  function setState(next: ConnectionState, why: string | null = null) {
    detail = why;
    if (next === state) return;
    state = next;
    for (const fn of subscribers) fn(next);
  }

  function failRequest(id: number) {
    handler?.({ type: 'response', id, success: false, error: DISCONNECTED_ERROR });
  }

  function open() {
    retryTimer = null;
    let ws: SocketLike;
    try {
      ws = connect(url, protocols);
    } catch (err) {
      onDown(err instanceof Error ? err.message : String(err));
      return;
    }
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      failedAttempts = 0;
      setState('open');
      const pending = queue;
      queue = [];
      for (const packet of pending) write(ws, packet);
    };
    ws.onmessage = (ev) => {
      if (socket !== ws) return;
      receive(ev.data);
    };
    ws.onerror = () => {
      // The close event that follows carries the decision; nothing to do here.
    };
    ws.onclose = (ev) => {
      if (socket !== ws) return;
      socket = null;
      onDown(ev.reason || (ev.code ? `closed with code ${ev.code}` : null));
    };
  }

  function onDown(why: string | null) {
    // Order matters: fail what was in flight before a reconnect can reuse ids' meaning.
    const lost = [...inFlight];
    inFlight.clear();
    const queued = queue;
    queue = [];
    for (const id of lost) failRequest(id);
    for (const packet of queued) if (packet.type === 'request' && typeof packet.id === 'number') failRequest(packet.id);
    if (stopped) {
      setState('closed', why);
      return;
    }
    const delay = Math.min(maxBackoffMs, initialBackoffMs * 2 ** failedAttempts);
    failedAttempts++;
    setState('reconnecting', why);
    retryTimer = clock.setTimeout(open, delay);
  }

  function write(ws: SocketLike, packet: Outgoing) {
    if (packet.type === 'request' && typeof packet.id === 'number') inFlight.add(packet.id);
    ws.send(JSON.stringify(packet));
  }

  function receive(data: unknown) {
    if (typeof data !== 'string') return;
    let packet: unknown;
    try {
      packet = JSON.parse(data);
    } catch {
      console.warn('rpc: dropped a frame that is not JSON');
      return;
    }
    if (!packet || typeof packet !== 'object') return;
    const p = packet as { type?: unknown; id?: unknown };
    if (p.type === 'response') {
      if (typeof p.id !== 'number' || !inFlight.delete(p.id)) return;
      handler?.(packet);
    } else if (p.type === 'message') {
      if (typeof p.id !== 'string') return;
      handler?.(packet);
    }
    // 'request' and anything else: the server never asks the view to do work.
  }

  const transport: PacketTransport = {
    send(packet) {
      const p = packet as Outgoing;
      if (socket && socket.readyState === OPEN && state === 'open') write(socket, p);
      else if (!stopped) queue.push(p);
      else if (p.type === 'request' && typeof p.id === 'number') queueMicrotask(() => failRequest(p.id as number));
    },
    registerHandler(fn) {
      handler = fn;
    },
    unregisterHandler() {
      handler = null;
    },
  };

  const connection: WebSocketTransport['connection'] = {
    get state() {
      return state;
    },
    get detail() {
      return detail;
    },
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    retryNow() {
      if (stopped || state === 'open' || retryTimer === null) return;
      clock.clearTimeout(retryTimer);
      open();
    },
    close() {
      stopped = true;
      if (retryTimer !== null) clock.clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      if (ws) ws.close(1000, 'client closed');
      else setState('closed');
    },
  };

  open();
  return { transport, connection };
}
