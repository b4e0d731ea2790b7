/**
 * One RPC object for both hosts: Electrobun's view-side RPC, typed with
 * Corral's contract, wrapped as an {@link RpcClient}. Only the transport
 * differs between the desktop (Electroview's encrypted socket) and web mode
 * (our WebSocket transport).
 */
import { Electroview } from 'electrobun/view';
import type { EventName, EventPayload, Params, RequestName, Response } from '../../shared/rpc/index';
import type { CorralRpcSchema } from '../../shared/rpc/electrobun-schema';
import { createEventGuard, type EventGuard } from './event-guard';
import type { RpcClient } from './types';

/** Longest wait for a response, ms: agent.start spawns a sidecar, and saves can carry 10,000 messages. */
export const DEFAULT_MAX_REQUEST_MS = 120_000;

/** The Electrobun RPC object plus the typed client over it. */
export interface ElectrobunRpcClient {
  /** Hand this to `new Electroview({ rpc })` or call `rpc.setTransport(...)`. */
  rpc: ReturnType<typeof Electroview.defineRPC<CorralRpcSchema>>;
  client: RpcClient;
  /** Checks pushed events against the contract; its `dropped` counts the malformed ones. */
  guard: EventGuard;
}

/** Creates the view-side RPC with no transport yet; pushed messages are checked against the contract, then fan out to `client.on` listeners. */
export function createElectrobunRpcClient(options: { maxRequestMs?: number; warn?: (line: string) => void } = {}): ElectrobunRpcClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const guard = createEventGuard(options.warn);

  function dispatch(name: string, raw: unknown) {
    const checked = guard.check(name, raw);
    const set = listeners.get(name);
    if (!checked.ok || !set) return;
    const payload = checked.payload;
    for (const fn of set) {
      // One failing listener must not starve the others of the event.
      try {
        fn(payload);
      } catch (err) {
        console.error(`rpc: listener for ${name} threw`, err);
      }
    }
  }

  const rpc = Electroview.defineRPC<CorralRpcSchema>({
    maxRequestTime: options.maxRequestMs ?? DEFAULT_MAX_REQUEST_MS,
    handlers: {
      requests: {},
      messages: { '*': (name, payload) => dispatch(String(name), payload) },
    },
  });

  const request = rpc.request as unknown as (method: string, params: unknown) => Promise<unknown>;
  const client: RpcClient = {
    request<M extends RequestName>(method: M, params: Params<M>) {
      return request(method, params) as Promise<Response<M>>;
    },
    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const fn = handler as (payload: unknown) => void;
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
  };
  return { rpc, client, guard };
}
