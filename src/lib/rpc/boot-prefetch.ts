/**
 * The boot's first reads, sent by the entry (src/main.ts) as soon as the
 * connection exists, so that they travel while the app's code still loads:
 * `settings.getAll`, `projects.list`, then `session.load` with its tail for
 * every project. The returned client answers the app's first identical
 * request (same method, same params) from them, once; any other request, a
 * second one, or one after `maxAgeMs` goes to the main process as usual.
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
  send('projects.list', {}).then(
    (projects) => {
      for (const p of projects) send('session.load', { projectId: p.id, tail: opts.tail });
    },
    () => {},
  );
  return {
    request(method, params) {
      const key = keyOf(method, params);
      const hit = waiting.get(key);
      waiting.delete(key);
      if (hit && now() - hit.at <= maxAge) return hit.answer as Promise<Response<typeof method>>;
      return client.request(method, params);
    },
    on: (event, handler) => client.on(event, handler),
  };
}
