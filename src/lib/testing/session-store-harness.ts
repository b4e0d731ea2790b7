/** A session store over a fake RPC and clock, with projects p1 "alpha" and p2 "beta". */
import type { WireMessage } from '../../shared/events';
import type { SessionRecord } from '../../shared/records';
import type { Settings } from '../../shared/settings';
import { createFakeClock } from '../../shared/clock';
import { createSessionStore } from '../stores/sessions.svelte';
import type { NotifyInput } from '../stores/toasts.svelte';
import { createFakeRpc } from './fake-rpc';

/** Options of {@link setup}: `debounceMs` overrides the persistence window, `settings` any other setting (mutable afterwards). */
export interface HarnessOptions {
  debounceMs?: number;
  settings?: Partial<Settings>;
}

/** A fresh store; `settings` is the live object the store reads, so a test may change it. */
export function setup(opts: HarnessOptions = {}) {
  const clock = createFakeClock();
  const rpc = createFakeRpc();
  const toasts: NotifyInput[] = [];
  const settings: Partial<Settings> = { ...(opts.debounceMs ? { persist_debounce_ms: opts.debounceMs } : {}), ...opts.settings };
  const store = createSessionStore({
    rpc: rpc.client,
    clock,
    notify: (t) => toasts.push(t),
    settings: () => settings,
    projectName: (id) => ({ p1: 'alpha', p2: 'beta' })[id],
  });
  return { clock, rpc, toasts, store, settings };
}

/** A store with a started session `s1` on project p1, and `push` to feed it messages. */
export async function started(opts: HarnessOptions = {}) {
  const ctx = setup(opts);
  if (!(await ctx.store.send('p1', 'hello', 'claude'))) throw new Error('start failed');
  const s = ctx.store.current('p1')!;
  return { ...ctx, s, push: (...messages: WireMessage[]) => ctx.rpc.emit('agent.message', { sessionId: 's1', messages }) };
}

/** A stored session record of p1, overridable. */
export function record(over: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id: 'old', projectId: 'p1', provider: 'claude', status: 'done', reason: null, error: null, providerSessionId: 'c-1',
    model: null, costUsd: 0.5, inputTokens: 10, outputTokens: 20, createdAt: 1, updatedAt: 2, ...over,
  };
}
