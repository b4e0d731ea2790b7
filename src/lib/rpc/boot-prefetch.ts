/**
 * The boot's first reads, sent by the entry (src/main.ts) as soon as the
 * connection exists, so that they travel while the app's code still loads:
 * `settings.getAll`, `projects.list`, and `session.loadLast` (every
 * project's last session with its tail). The returned client answers the
 * app's first identical request (same method, same params) from them, and
 * each project's first `session.load` with that tail from `session.loadLast`,
 * once; any other request, a second one, or one after `maxAgeMs` goes to the
 * main process as usual.
 */
import type { Params, RequestName, Response } from '../../shared/rpc/index';
import type { RpcClient } from './types';

/** How long a prefetched answer may wait for the app's request, ms. */
export const PREFETCH_MAX_AGE_MS = 10_000;

/** Options of {@link prefetchBoot}. */
export interface BootPrefetchOptions {
  /** The `tail` of each `session.load` (the restorer asks with the same). */
  tail: number;
  /** Monotonic ms; injectable for tests. */
  now?: () => number;
  maxAgeMs?: number;
}

const keyOf = (method: string, params: unknown) => `${method} ${JSON.stringify(params)}`;

/** Sends the boot's reads now through `client` and returns a client that serves them to the app once. */
export function prefetchBoot(client: RpcClient, opts: BootPrefetchOptions): RpcClient {
  const now = opts.now ?? (() => performance.now());
  const maxAge = opts.maxAgeMs ?? PREFETCH_MAX_AGE_MS;
  const waiting = new Map<string, { answer: Promise<unknown>; at: number }>();
  function send<M extends RequestName>(method: M, params: Params<M>): Promise<Response<M>> {
    const answer = client.request(method, params);
    // The app's request takes the rejection, if it comes; a prefetch no one took must not be an unhandled one.
    answer.catch(() => {});
    waiting.set(keyOf(method, params), { answer, at: now() });
    return answer;
  }
  send('settings.getAll', {});
  send('projects.list', {});
  const lastSessions = { answer: client.request('session.loadLast', { tail: opts.tail }), at: now() };
  lastSessions.answer.catch(() => {});
  const restored = new Set<string>();

  /** A project's first `session.load` with the prefetched tail, from `session.loadLast`; null when it cannot be. */
  function restore(params: Params<'session.load'>): Promise<Response<'session.load'>> | null {
    if (params.tail !== opts.tail || restored.has(params.projectId) || now() - lastSessions.at > maxAge) return null;
    restored.add(params.projectId);
    return lastSessions.answer.then(
      ({ sessions }) => {
        const hit = sessions.find((s) => s.projectId === params.projectId);
        // No session in the answer: the project has none, or was added since; ask.
        return hit ? { session: hit.session, messages: hit.messages, more: hit.more } : client.request('session.load', params);
      },
      () => client.request('session.load', params),
    );
  }

  return {
    request(method, params) {
      if (method === 'session.load') {
        const answer = restore(params as Params<'session.load'>);
        if (answer) return answer as Promise<Response<typeof method>>;
      }
      const key = keyOf(method, params);
      const hit = waiting.get(key);
      waiting.delete(key);
      if (hit && now() - hit.at <= maxAge) return hit.answer as Promise<Response<typeof method>>;
      return client.request(method, params);
    },
    on: (event, handler) => client.on(event, handler),
  };
}
