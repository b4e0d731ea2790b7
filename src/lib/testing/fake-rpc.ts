/** A recording RpcClient for store and component tests: canned or scripted responses, and events pushed by hand. */
import type { EventName, EventPayload, Params, RequestName, Response } from '../../shared/rpc/index';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import type { RpcClient } from '../rpc/types';

/** A scripted answer to one request. */
export type FakeHandler<M extends RequestName> = (params: Params<M>) => Response<M> | Promise<Response<M>>;
type HandlerTable = { [M in RequestName]?: FakeHandler<M> };

/** One recorded request. */
export interface RecordedCall {
  method: RequestName;
  params: unknown;
}

const defaults: HandlerTable = {
  'projects.list': () => [],
  'projects.remove': () => ({ ok: true, keptWorktrees: [] }),
  'providers.list': () => [],
  'agent.start': () => ({ ok: true, sessionId: 's1' }),
  'agent.prompt': () => ({ ok: true }),
  'agent.stop': () => ({ ok: true }),
  'agent.permission': () => ({ ok: true }),
  'session.load': () => ({ session: null }),
  'session.loadLast': () => ({ sessions: [] }),
  'session.persist': (p) => ({ ok: true, savedThroughSeqId: p.throughSeqId }),
  // Answers nothing by default: a test that exercises resync scripts the snapshots it needs.
  'session.sync': () => ({ bootId: 'boot-1', sessions: [] }),
  'session.messages.load': () => ({ messages: [], more: false }),
  'session.list': () => ({ sessions: [] }),
  'settings.getAll': () => ({ ...DEFAULT_SETTINGS }),
  'settings.set': ({ key, value }) => ({ ...DEFAULT_SETTINGS, [key]: value }),
  'app.notify': () => ({ ok: false }),
  'app.info': () => ({ mode: 'web' as const, notifications: { available: true } }),
  'search.query': () => ({ hits: [], more: false }),
  'queue.list': () => ({ items: [], revision: 0 }),
  'worktree.available': () => ({ available: false, reason: 'not a git repository' }),
  'worktree.info': () => ({ worktree: null }),
  'worktree.unsaved': () => ({ worktrees: [] }),
  'history.sources': () => ({ sources: [] }),
};

/** Creates the fake; `handlers` override the defaults per method. */
export function createFakeRpc(handlers: HandlerTable = {}) {
  const table: HandlerTable = { ...defaults, ...handlers };
  const calls: RecordedCall[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const registrations = new Map<string, number>();

  const client: RpcClient = {
    request<M extends RequestName>(method: M, params: Params<M>): Promise<Response<M>> {
      calls.push({ method, params: structuredClone(params) });
      const handler = table[method] as FakeHandler<M> | undefined;
      if (!handler) return Promise.reject(new Error(`no fake handler for ${method}`));
      try {
        return Promise.resolve(handler(params));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) {
      registrations.set(event, (registrations.get(event) ?? 0) + 1);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const fn = handler as (p: unknown) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
  };

  return {
    client,
    calls,
    /** Calls of one method, params only. */
    callsOf<M extends RequestName>(method: M): Params<M>[] {
      return calls.filter((c) => c.method === method).map((c) => c.params as Params<M>);
    },
    /** How many times `on(event)` was called. */
    registrations: (event: EventName) => registrations.get(event) ?? 0,
    /** Live listeners of an event. */
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
    /** Pushes an event to the listeners, as the main process would. */
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const fn of listeners.get(event) ?? []) fn(payload);
    },
    /** Replaces the handler of one method. */
    handle<M extends RequestName>(method: M, handler: FakeHandler<M>) {
      (table as Record<string, unknown>)[method] = handler;
    },
  };
}

/** A promise whose settlement the test controls. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
