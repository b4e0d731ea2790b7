/**
 * The prompt queue of each session as the main process holds it
 * (src-bun/core/prompt-queue.ts): the whole queue arrives with every
 * `queue.changed` event and with each change's answer, so the UI never
 * guesses; of the two, the higher revision wins. The actions (add, edit, move, remove, retry, steer) report a
 * refusal as the session's queue error, shown beside the queue.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { QueueItem, QueueResult } from '../../shared/rpc/queue';
import type { RpcClient } from '../rpc/types';

const NONE: readonly QueueItem[] = Object.freeze([]);

/** The queue store's public face; every action resolves true when the main process accepted it. */
export interface PromptQueueStore {
  /** The session's queue, in order (empty until loaded or changed). */
  items(sessionId: string): readonly QueueItem[];
  /** Why the last action on the session's queue failed, if it did. */
  error(sessionId: string): string | null;
  /** Fetches the session's queue (a pane showing it, after a relaunch). */
  load(sessionId: string): Promise<void>;
  /** Fetches every queue held again (after a reconnect: `queue.changed` events may have been missed). */
  reload(): Promise<void>;
  add(sessionId: string, text: string): Promise<boolean>;
  edit(sessionId: string, id: string, text: string): Promise<boolean>;
  move(sessionId: string, id: string, offset: -1 | 1): Promise<boolean>;
  remove(sessionId: string, id: string): Promise<boolean>;
  /** Puts one unsent prompt (or all of them) back in the queue. */
  retry(sessionId: string, id?: string): Promise<boolean>;
  /** Interrupts the running turn and sends `text` at once. */
  steer(sessionId: string, text: string): Promise<boolean>;
  /** Stops listening for `queue.changed`. */
  dispose(): void;
}

/** Creates the store over the RPC client. */
export function createPromptQueueStore(deps: { rpc: RpcClient }): PromptQueueStore {
  const { rpc } = deps;
  const queues = new SvelteMap<string, { items: readonly QueueItem[]; revision: number }>();
  const errors = new SvelteMap<string, string>();
  /** Keeps the newest snapshot: an answer can arrive after the event of a later change. */
  function take(sessionId: string, snapshot: { items: readonly QueueItem[]; revision: number }): void {
    const held = queues.get(sessionId);
    if (!held || snapshot.revision >= held.revision) queues.set(sessionId, snapshot);
  }
  const off = rpc.on('queue.changed', ({ sessionId, items, revision }) => take(sessionId, { items, revision }));

  /** Runs one change; its answer carries the queue after it. */
  async function change(sessionId: string, run: () => Promise<QueueResult | { ok: true } | { ok: false; error: string }>): Promise<boolean> {
    try {
      const res = await run();
      if (!res.ok) {
        errors.set(sessionId, res.error);
        return false;
      }
      if ('items' in res) take(sessionId, res);
      errors.delete(sessionId);
      return true;
    } catch (err) {
      errors.set(sessionId, err instanceof Error ? err.message : String(err));
      return false;
    }
  }

  async function load(sessionId: string): Promise<void> {
    try {
      take(sessionId, await rpc.request('queue.list', { sessionId }));
    } catch (err) {
      errors.set(sessionId, `Could not load the queue: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    items: (sessionId) => queues.get(sessionId)?.items ?? NONE,
    error: (sessionId) => errors.get(sessionId) ?? null,
    load,
    reload: async () => void (await Promise.all([...queues.keys()].map(load))),
    add: (sessionId, text) => change(sessionId, () => rpc.request('queue.add', { sessionId, text })),
    edit: (sessionId, id, text) => change(sessionId, () => rpc.request('queue.edit', { sessionId, id, text })),
    move: (sessionId, id, offset) => change(sessionId, () => rpc.request('queue.move', { sessionId, id, offset })),
    remove: (sessionId, id) => change(sessionId, () => rpc.request('queue.remove', { sessionId, id })),
    retry: (sessionId, id) => change(sessionId, () => rpc.request('queue.retry', id === undefined ? { sessionId } : { sessionId, id })),
    steer: (sessionId, text) => change(sessionId, () => rpc.request('queue.steer', { sessionId, text })),
    dispose: off,
  };
}
