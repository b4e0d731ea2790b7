import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../../src/shared/clock';
import type { SessionStatus, StatusReason } from '../../src/shared/events';
import type { QueueItem } from '../../src/shared/rpc/queue';
import { createPromptQueue, QUIT_REASON } from './prompt-queue';
import { createPromptQueueStore } from './prompt-queue-store';
import { createStore } from './store';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const SESSION = 's1';

/** A queue over a real table, driving a fake session that records prompts and is busy until told its turn ended. */
function setup(file = ':memory:') {
  const store = createStore(file);
  if (!store.projects.get('p1')) {
    store.projects.insert({ id: 'p1', name: 'p', path: `/tmp/p-${crypto.randomUUID()}`, createdAt: 0 });
    store.sessions.insert({
      id: SESSION, projectId: 'p1', provider: 'claude', status: 'running', reason: null, error: null, providerSessionId: null, model: null,
      costUsd: null, inputTokens: 0, outputTokens: 0, createdAt: 0, updatedAt: 0, cwd: '', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
    });
  }
  const clock = createFakeClock();
  const sent: string[] = [];
  const calls: string[] = [];
  const changes: QueueItem[][] = [];
  let busy = true;
  let refuse: string | null = null;
  const queue = createPromptQueue({
    store: createPromptQueueStore(store.db),
    clock,
    log: { warn: (m) => calls.push(`warn ${m}`) },
    publish: (event, payload) => { if (event === 'queue.changed') changes.push((payload as { items: QueueItem[] }).items); },
    steerGraceMs: 3000,
    sessions: {
      exists: (id) => id === SESSION,
      busy: () => busy,
      async prompt(_id, text) {
        if (refuse) return { ok: false, error: refuse };
        sent.push(text);
        busy = true;
        return { ok: true };
      },
      interrupt: () => { calls.push('interrupt'); return true; },
      stop: async () => { calls.push('stop'); },
    },
  });
  /** The running turn ends with this status; the queue reacts as it would to the core's publish. */
  const end = async (status: SessionStatus, reason?: StatusReason, error?: string) => {
    busy = false;
    queue.onStatus({ sessionId: SESSION, status, reason, error });
    await settle();
  };
  const view = () => queue.list(SESSION).map((i) => `${i.text}:${i.state}${i.error ? `(${i.error})` : ''}`);
  return { store, queue, clock, sent, calls, changes, end, view, setBusy: (b: boolean) => (busy = b), refuse: (e: string | null) => (refuse = e) };
}
/** Lets the microtasks the queue schedules run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('prompt queue', () => {
  it('sends queued prompts one by one, in order, as turns end done', async () => {
    const q = setup();
    q.queue.add(SESSION, 'first');
    q.queue.add(SESSION, 'second');
    expect(q.view()).toEqual(['first:queued', 'second:queued']);
    expect(q.sent).toEqual([]);
    await q.end('done', 'completed');
    expect(q.sent).toEqual(['first']);
    expect(q.view()).toEqual(['second:queued']);
    await q.end('done', 'completed');
    expect(q.sent).toEqual(['first', 'second']);
    expect(q.view()).toEqual([]);
    // Every change went out as the whole queue; the last one is empty.
    expect(q.changes.at(-1)).toEqual([]);
  });

  it('sends at once when the session is free', async () => {
    const q = setup();
    q.setBusy(false);
    q.queue.add(SESSION, 'now');
    await settle();
    expect(q.sent).toEqual(['now']);
    expect(q.view()).toEqual([]);
  });

  it('holds queued prompts as unsent when the session fails, and Retry sends them', async () => {
    const q = setup();
    q.queue.add(SESSION, 'a');
    q.queue.add(SESSION, 'b');
    await q.end('error', 'crashed', 'sidecar exited with code 3');
    expect(q.sent).toEqual([]);
    expect(q.view()).toEqual(['a:unsent(Not sent: the session failed: sidecar exited with code 3)', 'b:unsent(Not sent: the session failed: sidecar exited with code 3)']);
    expect(q.queue.retry(SESSION, 'nope')).toEqual({ ok: false, error: 'No unsent prompt nope in this session' });
    q.queue.retry(SESSION);
    await settle();
    expect(q.sent).toEqual(['a']);
    expect(q.view()).toEqual(['b:queued']);
  });

  it('holds them when the user stops the turn', async () => {
    const q = setup();
    q.queue.add(SESSION, 'a');
    await q.end('done', 'stopped');
    expect(q.view()).toEqual(['a:unsent(Not sent: the turn was stopped)']);
    expect(q.sent).toEqual([]);
  });

  it('puts a prompt the session refused back as unsent with the refusal', async () => {
    const q = setup();
    q.queue.add(SESSION, 'a');
    q.refuse('The project of this session was removed');
    await q.end('done', 'completed');
    expect(q.view()).toEqual(['a:unsent(Not sent: The project of this session was removed)']);
  });

  it('edits, moves and removes queued prompts, and refuses what does not exist', () => {
    const q = setup();
    const ids = ['a', 'b', 'c'].map((t) => { q.queue.add(SESSION, t); return q.queue.list(SESSION).at(-1)!.id; });
    expect(q.queue.edit(SESSION, ids[1], 'B')).toMatchObject({ ok: true });
    expect(q.queue.move(SESSION, ids[2], -1)).toMatchObject({ ok: true });
    expect(q.view()).toEqual(['a:queued', 'c:queued', 'B:queued']);
    q.queue.move(SESSION, ids[0], -1); // already first: stays
    q.queue.move(SESSION, ids[0], 1);
    expect(q.view()).toEqual(['c:queued', 'a:queued', 'B:queued']);
    expect(q.queue.remove(SESSION, ids[2])).toMatchObject({ ok: true });
    expect(q.view()).toEqual(['a:queued', 'B:queued']);
    expect(q.queue.remove(SESSION, 'gone')).toEqual({ ok: false, error: 'No queued prompt gone in this session' });
    expect(q.queue.edit('other', ids[0], 'x')).toEqual({ ok: false, error: `No queued prompt ${ids[0]} in this session` });
    expect(q.queue.add('other', 'x')).toEqual({ ok: false, error: 'Unknown session other' });
  });

  it('refuses to edit or remove the prompt being sent', async () => {
    const q = setup();
    q.queue.add(SESSION, 'a');
    const id = q.queue.list(SESSION)[0].id;
    let release!: () => void;
    const sessions = { busy: false };
    // A prompt that takes a while to be accepted: the item stays `sending` meanwhile.
    const slow = createPromptQueue({
      store: createPromptQueueStore(q.store.db), clock: q.clock, log: { warn: () => {} }, publish: () => {},
      sessions: { exists: () => true, busy: () => sessions.busy, prompt: () => new Promise((r) => (release = () => r({ ok: true }))), interrupt: () => false, stop: async () => {} },
    });
    slow.onStatus({ sessionId: SESSION, status: 'done', reason: 'completed' });
    await settle();
    expect(q.view()).toEqual(['a:sending']);
    expect(slow.edit(SESSION, id, 'x')).toEqual({ ok: false, error: 'This prompt is being sent and can no longer be edited' });
    expect(slow.remove(SESSION, id)).toEqual({ ok: false, error: 'This prompt is being sent and can no longer be removed' });
    release();
    await settle();
    expect(q.view()).toEqual([]);
  });

  it('steers: interrupts the turn, sends the steer when it ended, and the queue waits behind it', async () => {
    const q = setup();
    q.queue.add(SESSION, 'queued');
    expect(await q.queue.steer(SESSION, 'steer')).toEqual({ ok: true });
    expect(q.calls).toEqual(['interrupt']);
    expect(q.sent).toEqual([]);
    // The interrupted turn ends `stopped`: that is the steer's doing, so the queue is not held.
    await q.end('done', 'stopped');
    expect(q.sent).toEqual(['steer']);
    expect(q.view()).toEqual(['queued:queued']);
    await q.end('done', 'completed');
    expect(q.sent).toEqual(['steer', 'queued']);
    expect(q.clock.pending()).toBe(0);
  });

  it('stops the sidecar when the steered turn has not ended after the grace', async () => {
    const q = setup();
    await q.queue.steer(SESSION, 'steer');
    expect(await q.queue.steer(SESSION, 'again')).toEqual({ ok: false, error: 'A steer is already under way on this session' });
    q.clock.advance(2999);
    expect(q.calls).toEqual(['interrupt']);
    q.clock.advance(1);
    expect(q.calls).toEqual(['interrupt', expect.stringContaining('did not end 3000 ms after the interrupt'), 'stop']);
    await q.end('done', 'stopped');
    expect(q.sent).toEqual(['steer']);
  });

  it('keeps a steer the session refused, first in the queue as unsent', async () => {
    const q = setup();
    q.queue.add(SESSION, 'queued');
    await q.queue.steer(SESSION, 'steer');
    q.refuse('Corral is shutting down');
    await q.end('done', 'stopped');
    expect(q.view()).toEqual(['steer:unsent(Not sent: Corral is shutting down)', 'queued:queued']);
  });

  it('sends a steer at once when no turn runs', async () => {
    const q = setup();
    q.setBusy(false);
    expect(await q.queue.steer(SESSION, 'steer')).toEqual({ ok: true });
    expect(q.sent).toEqual(['steer']);
    expect(q.calls).toEqual([]);
  });

  it('keeps queued prompts across a relaunch, held as unsent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-queue-'));
    dirs.push(dir);
    const first = setup(join(dir, 'corral.db'));
    first.queue.add(SESSION, 'survivor');
    first.store.close();
    const second = setup(join(dir, 'corral.db'));
    expect(second.queue.recoverAfterRestart()).toBe(1);
    expect(second.view()).toEqual([`survivor:unsent(${QUIT_REASON})`]);
    second.store.close();
  });
});
