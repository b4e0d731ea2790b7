/**
 * One RPC object for both hosts: Electrobun's view-side RPC, typed with
 * Corral's contract, wrapped as an {@link RpcClient}. Only the transport
 * differs between the desktop (Electroview's encrypted socket) and web mode
 * (our WebSocket transport).
 */
import { Electroview } from 'electrobun/view';
import type { EventName, EventPayload, Params, RequestName, Response } from '../../shared/rpc/index';
import type { CorralRpcSchema } from '../../shared/rpc/electrobun-schema';
import type { EventGuard } from './event-guard';
import type { RpcClient } from './types';

/** Longest wait for a response, ms: agent.start spawns a sidecar, and saves can carry 10,000 messages. */
export const DEFAULT_MAX_REQUEST_MS = 120_000;

/** The Electrobun RPC object plus the typed client over it. */
export interface ElectrobunRpcClient {
  /** Hand this to `new Electroview({ rpc })` or call `rpc.setTransport(...)`. */
  rpc: ReturnType<typeof Electroview.defineRPC<CorralRpcSchema>>;
  client: RpcClient;
}

/**
 * Creates the view-side RPC with no transport yet; pushed messages are
 * checked by `guard` (src/lib/rpc/event-guard.ts), then fan out to
 * `client.on` listeners. The guard may be a loader (the contract's schemas
 * are a chunk of their own, off the boot path), called with the first event:
 * events that arrive before it is there wait, in order, and are checked then.
 * Events that arrive before anyone listens (the app loads after the
 * connection opens) wait too, and go out in order once the first listener is
 * registered (a microtask later, so all of the app's listeners hear them).
 */
export function createElectrobunRpcClient(options: {
  guard: EventGuard | (() => Promise<EventGuard>);
  maxRequestMs?: number;
  /** Called as each `agent.message` frame arrives, before it is handled (the desktop's flow control: src-bun/desktop/frame-pump.ts). */
  frameArrived?: () => void;
}): ElectrobunRpcClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let guard: EventGuard | null = typeof options.guard === 'function' ? null : options.guard;
  const load = typeof options.guard === 'function' ? options.guard : null;
  let loading = false;
  const waiting: [string, unknown][] = [];

  function dispatch(name: string, raw: unknown) {
    if (name === 'agent.message') options.frameArrived?.();
    if (guard) return deliver(guard, name, raw);
    waiting.push([name, raw]);
    if (loading || !load) return;
    loading = true;
    load().then(
      (g) => {
        guard = g;
        for (const [n, r] of waiting.splice(0)) deliver(g, n, r);
      },
      (err: unknown) => {
        // Held, not dropped: the next event tries the load again.
        loading = false;
        console.error('rpc: the event guard did not load; events are held until it does', err);
      },
    );
  }

  // Until the app registered its listeners (it loads after the connection opens), checked events wait for it.
  let unheard: [string, unknown][] | null = [];

  function deliver(g: EventGuard, name: string, raw: unknown) {
    const checked = g.check(name, raw);
    if (!checked.ok) return;
    if (unheard) unheard.push([name, checked.payload]);
    else fanOut(name, checked.payload);
  }

  function fanOut(name: string, payload: unknown) {
    const set = listeners.get(name);
    if (!set) return;
    for (const fn of set) {
      // One failing listener must not starve the others of the event.
      try {
        fn(payload);
      } catch (err) {
        console.error(`rpc: listener for ${name} threw`, err);
      }
    }
  }

  /** After the first `on`: the app registers all its listeners in one go, so the held events go out a microtask later, in order. */
  function hearFirstListener() {
    queueMicrotask(() => {
      const held = unheard ?? [];
      unheard = null;
      for (const [name, payload] of held) fanOut(name, payload);
    });
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
      if (unheard && listeners.size === 0) hearFirstListener();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const fn = handler as (payload: unknown) => void;
      set.add(fn);
      return () => {
        set.delete(fn);
      };
    },
  };
  return { rpc, client };
}
