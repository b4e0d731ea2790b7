/**
 * The UI's side of the RPC contract in `src/shared/rpc`: a typed client that
 * both transports (Electrobun on the desktop, a WebSocket in web mode) provide.
 */
import type { EventName, EventPayload, Params, RequestName, Response } from '../../shared/rpc/index';

/** Typed requests to the main process and typed listeners for what it pushes. */
export interface RpcClient {
  /** Sends a request; rejects with an Error carrying the server's message, or a transport error. */
  request<M extends RequestName>(method: M, params: Params<M>): Promise<Response<M>>;
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/** Where the link to the main process stands; `reconnecting` and `closed` show the "Disconnected" banner. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Observable connection state of a transport. */
export interface Connection {
  readonly state: ConnectionState;
  /** Why the link is down, when known (for the banner). */
  readonly detail: string | null;
  /** Calls `fn` on every state change; returns the unsubscribe function. */
  subscribe(fn: (state: ConnectionState) => void): () => void;
  /** Skips the backoff wait and tries to reconnect at once (no-op when open). */
  retryNow(): void;
  /** Closes for good: no more reconnects. */
  close(): void;
}

/**
 * A packet transport in Electrobun's shape: `send` takes one packet object,
 * `registerHandler` receives every incoming packet object.
 */
export interface PacketTransport {
  send(packet: unknown): void;
  registerHandler(handler: (packet: unknown) => void): void;
  unregisterHandler?(): void;
}
