/**
 * Ingest benchmark (`npm run bench`): figures, not a timed test.
 *
 * 1. 20,000 messages in batches of 10 into Corral's real session store
 *    (`agent.message` events through its RPC listener: dedupe by seqId, the
 *    in-place transcript, the debounced persist request, the stall timer) and into a
 *    reference store that copies the whole `$state` array per batch. Prints
 *    both times and the ratio (the bar: at least 500×).
 * 2. Corral's cost per message at 1,000, 10,000 and 100,000 messages, which
 *    should stay flat (within 2×): appends are O(1) amortized, and past
 *    1,000 rows the window trims its oldest ones (transcript-paging.ts).
 *
 * Runs in the `bench` vitest project (jsdom, Svelte's client runtime), so
 * `$state` is the real proxy the app uses; `npm run bench` sets
 * NODE_ENV=production so it is the production runtime the built app ships
 * (the development one adds checks to every proxy access, and to both stores).
 */
import { it } from 'vitest';
import type { AgentEvent, WireMessage } from '../../src/shared/events';
import type { RpcClient } from '../../src/lib/rpc/types';
import { createFakeClock } from '../../src/shared/clock';
import { createSessionStore } from '../../src/lib/stores/sessions.svelte';
import { TRIM_SLACK_ROWS, WINDOW_ROWS } from '../../src/lib/stores/transcript-paging';
import { createCopyingStore } from './copying-store.svelte';

const BATCH = 10;

/** A stream of distinct display messages: prompts, thinking, tool calls and results, answers. */
function makeMessages(count: number): WireMessage[] {
  const out: WireMessage[] = [];
  for (let seqId = 0; seqId < count; seqId++) {
    const k = seqId % 5;
    const id = `m${seqId}`;
    const event: AgentEvent =
      k === 0 ? { type: 'text', id, role: 'user', text: `Prompt ${seqId}: look at src/app.ts`, mode: 'replace' }
      : k === 1 ? { type: 'thinking', id, text: 'I should read the file first.', mode: 'replace' }
      : k === 2 ? { type: 'tool_call', id, name: 'Read', input: { file_path: 'src/app.ts' }, path: 'src/app.ts' }
      : k === 3 ? { type: 'tool_result', id: `m${seqId - 1}`, output: 'export const app = 1;\n'.repeat(4), isError: false }
      : { type: 'text', id, role: 'assistant', text: `The file exports one constant (${seqId}).`, mode: 'replace' };
    out.push({ seqId, ts: 1_700_000_000_000 + seqId, event });
  }
  return out;
}

/** An RPC client that answers at once and records nothing: the store's own cost is what is measured. */
function benchRpc(): { client: RpcClient; emit: (payload: unknown) => void } {
  let onMessage: ((p: unknown) => void) | null = null;
  const answers: Record<string, unknown> = {
    'agent.start': { ok: true, sessionId: 'bench' },
    'session.persist': { ok: true, savedThroughSeqId: 0 },
  };
  const client = {
    request: (method: string) => Promise.resolve(answers[method]),
    on: (event: string, handler: (p: unknown) => void) => {
      if (event === 'agent.message') onMessage = handler;
      return () => {};
    },
  } as unknown as RpcClient;
  return { client, emit: (payload) => onMessage?.(payload) };
}

/** Ingests `messages` into a fresh Corral store; returns the ms spent in ingest alone. */
async function corralIngest(messages: readonly WireMessage[]): Promise<number> {
  const clock = createFakeClock();
  const rpc = benchRpc();
  const store = createSessionStore({ rpc: rpc.client, clock, notify: () => {} });
  await store.start('p1', 'bench', 'claude');
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) {
    rpc.emit({ sessionId: 'bench', messages: messages.slice(i, i + BATCH) });
    clock.advance(10); // 10 ms between batches: the 2 s debounce saves every 200 batches, as in a live session
    await null; // each batch is its own WebSocket frame: queued promise work (a finished save) runs in between
  }
  const elapsed = performance.now() - started;
  // The transcript holds a window of the newest rows (transcript-paging.ts): every seqId applied, the oldest rows trimmed.
  const s = store.current('p1')!;
  const rows = Math.min(messages.length, WINDOW_ROWS + TRIM_SLACK_ROWS);
  if (s.transcript.maxSeqId !== messages.length - 1) throw new Error(`Corral applied through seqId ${s.transcript.maxSeqId}`);
  if (s.messages.length > rows || s.messages.at(-1)?.seqId !== messages.at(-1)!.seqId) throw new Error(`Corral shows ${s.messages.length} rows`);
  store.dispose();
  return elapsed;
}

function copyingIngest(messages: readonly WireMessage[]): number {
  const store = createCopyingStore();
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) store.ingest(messages.slice(i, i + BATCH));
  const elapsed = performance.now() - started;
  if (store.length !== messages.length) throw new Error(`reference holds ${store.length} messages`);
  return elapsed;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;

it('ingest: Corral vs a copying $state store, and Corral per message at 1k/10k/100k', async () => {
  const twenty = makeMessages(20_000);
  for (let i = 0; i < 3; i++) await corralIngest(twenty); // JIT warm-up

  const corralRuns: number[] = [];
  for (let i = 0; i < 5; i++) corralRuns.push(await corralIngest(twenty));
  const corralMs = median(corralRuns);
  const copyingMs = copyingIngest(twenty);
  const ratio = copyingMs / corralMs;

  const perMessage: [number, number][] = [];
  for (const n of [1_000, 10_000, 100_000]) {
    const msgs = makeMessages(n);
    const runs: number[] = [];
    for (let i = 0; i < (n >= 100_000 ? 3 : 7); i++) runs.push(await corralIngest(msgs));
    perMessage.push([n, (median(runs) * 1000) / n]);
  }
  const costs = perMessage.map(([, us]) => us);
  const spread = Math.max(...costs) / Math.min(...costs);

  const lines = [
    '',
    `Ingest of 20,000 messages in batches of ${BATCH} (Svelte ${process.env.NODE_ENV === 'production' ? 'production' : 'development'} runtime)`,
    `  Corral store (median of 5):          ${ms(corralMs)}`,
    `  copying $state store (one run):      ${ms(copyingMs)}`,
    `  ratio:                               ${Math.round(ratio).toLocaleString('en-US')}x  (bar: >= 500x) ${ratio >= 500 ? 'OK' : 'BELOW THE BAR'}`,
    'Corral cost per message',
    ...perMessage.map(([n, us]) => `  at ${n.toLocaleString('en-US').padStart(7)} messages:              ${us.toFixed(3)} µs`),
    `  spread (max/min):                    ${spread.toFixed(2)}x  (bar: <= 2x) ${spread <= 2 ? 'OK' : 'ABOVE THE BAR'}`,
    '',
  ];
  console.log(lines.join('\n'));
}, 600_000);
