/**
 * One writer and resync, on the main process side: `session.persist` writes
 * only what the main process holds, through the seqId the request names;
 * `session.sync` answers from the database plus the unwritten buffer.
 * A real store in memory, a fake clock, no sidecar and no sleeps.
 */
import { describe, expect, it } from 'bun:test';
import type { AgentEvent } from '../../src/shared/events';
import { createFakeClock } from '../../src/shared/clock';
import { requestSchemas } from '../../src/shared/rpc';
import { createIngest, WRITE_CHUNK_ROWS, type Live, type Publish } from './session-ingest';
import { createSessionSync } from './session-sync';
import { createStore, type StoredSession } from './store';

const record = (id: string): StoredSession => ({
  id, projectId: 'p', provider: 'claude', status: 'running', reason: null, error: null, providerSessionId: null, model: null,
  costUsd: 0.25, inputTokens: 10, outputTokens: 2, createdAt: 1, updatedAt: 1, cwd: '/p', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
});
const text = (i: number): AgentEvent => ({ type: 'text', id: `a${i}`, role: 'assistant', text: `t${i}`, mode: 'replace' });

function setup(opts: { clients?: boolean } = {}) {
  const clock = createFakeClock();
  const store = createStore(':memory:');
  store.projects.insert({ id: 'p', name: 'p', path: '/p', createdAt: 1 });
  const published: Parameters<Publish>[] = [];
  const ingest = createIngest({
    store, clock, hasClients: () => opts.clients ?? true, log: { info() {}, warn() {}, error() {} },
    publish: ((event, payload) => published.push([event, payload])) as Publish,
  });
  const live = new Map<string, Live>();
  const sync = createSessionSync({ store, unacked: ingest.unacked, live: (id) => live.get(id) });
  /** A session held in memory with `n` admitted (unwritten) text events, seqIds 0..n-1. */
  function session(id: string, n: number): Live {
    const r = record(id);
    store.sessions.insert(r);
    const s = { record: r, nextSeq: 0, outbox: [], flushTimer: null, awaitingInput: new Set<string>(), lastActivityAt: 0 } as unknown as Live;
    live.set(id, s);
    for (let i = 0; i < n; i++) ingest.admit(s, text(i));
    return s;
  }
  const stored = (id: string) => store.messages.load(id).map((m) => m.seqId);
  return { clock, store, ingest, sync, live, session, stored, published };
}

describe('session.persist: the main process writes what the request names', () => {
  it('writes its own held messages through the named seqId and keeps holding the later ones', async () => {
    const h = setup();
    h.session('s', 5);
    expect(h.stored('s')).toEqual([]);
    expect(await h.ingest.persistThrough('s', 2)).toBe(2);
    expect(h.stored('s')).toEqual([0, 1, 2]);
    expect(h.ingest.unacked.pending('s').map((m) => m.seqId)).toEqual([3, 4]);
    // A repeat (a lost answer, a second tab) is harmless, and a later request writes the rest.
    expect(await h.ingest.persistThrough('s', 2)).toBe(2);
    expect(await h.ingest.persistThrough('s', 4)).toBe(4);
    expect(h.stored('s')).toEqual([0, 1, 2, 3, 4]);
    expect(h.ingest.unacked.size).toBe(0);
  });

  it('stores the bodies and times the main process stamped, whatever the UI holds', () => {
    const h = setup();
    const s = h.session('s', 0);
    h.clock.advance(1234);
    const stamped = h.ingest.admit(s, text(7));
    h.ingest.persistThrough('s', 0);
    expect(h.store.messages.load('s')).toEqual([stamped]);
    expect(stamped.ts).toBe(h.clock.now());
  });

  it('writes a large backlog in chunks, the event loop running between them, and stores all of it', async () => {
    const h = setup();
    const n = 2 * WRITE_CHUNK_ROWS + 5;
    h.session('s', n);
    const writing = h.ingest.persistThrough('s', n - 1);
    // The first chunk is written at once; other work (a sidecar's events, other requests) runs before the next.
    expect(h.stored('s')).toHaveLength(WRITE_CHUNK_ROWS);
    const between = await new Promise<number>((resolve) => setImmediate(() => resolve(h.stored('s').length)));
    expect(between).toBeLessThan(n);
    expect(await writing).toBe(n - 1);
    expect(h.stored('s')).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(h.ingest.unacked.pending('s')).toEqual([]);
  });

  it('refuses an unknown session, and its request schema carries no message bodies, statuses or times', async () => {
    const h = setup();
    await expect(h.ingest.persistThrough('nope', 3)).rejects.toThrow('Unknown session nope');
    const params = requestSchemas['session.persist'].params;
    expect(params.safeParse({ sessionId: 's', throughSeqId: 3 }).success).toBe(true);
    expect(params.safeParse({ sessionId: 's', throughSeqId: 3, messages: [{ seqId: 3, ts: 1, event: text(3) }] }).success).toBe(false);
    expect(params.safeParse({ sessionId: 's', throughSeqId: 3, status: 'done', updatedAt: 5 }).success).toBe(false);
    expect(Object.keys(requestSchemas)).not.toContain('session.save');
    expect(Object.keys(requestSchemas)).not.toContain('session.messages.save');
  });

  it('writes on its own after one debounce window when no UI is attached, after three with one', () => {
    const alone = setup({ clients: false });
    alone.session('s', 2);
    alone.clock.advance(alone.store.settings.getAll().persist_debounce_ms);
    expect(alone.stored('s')).toEqual([0, 1]);

    const watched = setup({ clients: true });
    watched.session('s', 2);
    const windowMs = watched.store.settings.getAll().persist_debounce_ms;
    watched.clock.advance(windowMs * 3 - 1);
    expect(watched.stored('s')).toEqual([]);
    watched.clock.advance(1);
    expect(watched.stored('s')).toEqual([0, 1]);
  });

  it('writes at once on a terminal status', () => {
    const h = setup();
    const s = h.session('s', 3);
    h.ingest.setStatus(s, 'done', 'completed');
    expect(h.stored('s')).toEqual([0, 1, 2]);
    expect(h.store.sessions.get('s')).toMatchObject({ status: 'done', reason: 'completed', updatedAt: h.clock.now() });
  });
});

describe('session.sync: answered from the database plus the unwritten buffer', () => {
  it('returns every message after afterSeqId once, in order, across written and held ones', () => {
    const h = setup();
    h.session('s', 6);
    h.ingest.persistThrough('s', 3);
    expect(h.sync.messagesAfter('s', -1).map((m) => m.seqId)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(h.sync.messagesAfter('s', 1).map((m) => m.seqId)).toEqual([2, 3, 4, 5]);
    expect(h.sync.messagesAfter('s', 4).map((m) => m.seqId)).toEqual([5]);
    expect(h.sync.messagesAfter('s', 5)).toEqual([]);
  });

  it('merges by seqId when a held message was also written (a failed acknowledgement)', () => {
    const h = setup();
    const s = h.session('s', 3);
    h.store.messages.save('s', h.ingest.unacked.pending('s').slice(0, 2));
    expect(h.sync.messagesAfter('s', -1).map((m) => m.seqId)).toEqual([0, 1, 2]);
    expect(s.nextSeq).toBe(3);
  });

  it('gives the current record and the open permission requests of a live session', () => {
    const h = setup();
    const s = h.session('s', 1);
    h.ingest.onEvent(s, { type: 'permission_request', id: 'perm-1', title: 'Run ls', options: [{ optionId: 'allow', name: 'Allow', kind: 'allow_once' }] });
    h.ingest.onEvent(s, { type: 'cost', costUsd: 0.5, inputTokens: 40, outputTokens: 9 });
    const snap = h.sync.snapshot('s', 0);
    expect(snap.record).toMatchObject({ id: 's', status: 'running', costUsd: 0.5, inputTokens: 40, outputTokens: 9 });
    expect(snap.record).not.toHaveProperty('cwd');
    expect(snap.messages.map((m) => m.event.type)).toEqual(['permission_request']);
    expect(snap.openPermissionIds).toEqual(['perm-1']);
    h.ingest.onEvent(s, { type: 'status', status: 'done', reason: 'completed' });
    expect(h.sync.snapshot('s', 0)).toMatchObject({ record: { status: 'done' }, openPermissionIds: [] });
  });

  it('answers a session only in the database from the database, and a gone session with record null', () => {
    const h = setup();
    h.session('s', 2);
    h.ingest.setStatus(h.live.get('s')!, 'done', 'completed');
    h.live.delete('s');
    expect(h.sync.snapshot('s', -1)).toMatchObject({ record: { status: 'done' }, openPermissionIds: [] });
    expect(h.sync.snapshot('s', -1).messages.map((m) => m.seqId)).toEqual([0, 1]);
    expect(h.sync.snapshot('gone', 3)).toEqual({ sessionId: 'gone', record: null, messages: [], openPermissionIds: [] });
  });
});

describe('session.messages.load pages: read backwards from the end, stored and held alike', () => {
  const seqs = (page: { messages: { seqId: number }[]; more: boolean }) => [page.messages.map((m) => m.seqId), page.more];

  it('gives the newest `limit` before a seqId, in order, and says whether older ones exist', () => {
    const h = setup();
    h.session('s', 10);
    h.ingest.persistThrough('s', 5); // 0..5 written, 6..9 held
    expect(seqs(h.sync.messagesBefore('s', Number.MAX_SAFE_INTEGER, 3))).toEqual([[7, 8, 9], true]);
    expect(seqs(h.sync.messagesBefore('s', 7, 3))).toEqual([[4, 5, 6], true]);
    expect(seqs(h.sync.messagesBefore('s', 4, 3))).toEqual([[1, 2, 3], true]);
    expect(seqs(h.sync.messagesBefore('s', 1, 3))).toEqual([[0], false]);
    expect(seqs(h.sync.messagesBefore('s', 0, 3))).toEqual([[], false]);
    // Paging back from the end until `more` is false returns every message once.
    const all: number[] = [];
    for (let before = Number.MAX_SAFE_INTEGER, more = true; more; ) {
      const page = h.sync.messagesBefore('s', before, 4);
      all.unshift(...page.messages.map((m) => m.seqId));
      more = page.more;
      before = page.messages[0]?.seqId ?? 0;
    }
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('counts a message written and still held once (a failed acknowledgement)', () => {
    const h = setup();
    h.session('s', 4);
    h.store.messages.save('s', h.ingest.unacked.pending('s').slice(0, 3));
    expect(seqs(h.sync.messagesBefore('s', Number.MAX_SAFE_INTEGER, 10))).toEqual([[0, 1, 2, 3], false]);
    expect(seqs(h.sync.messagesBefore('s', Number.MAX_SAFE_INTEGER, 2))).toEqual([[2, 3], true]);
  });

  it('validates the page parameters at the RPC boundary', () => {
    const params = requestSchemas['session.messages.load'].params;
    expect(params.safeParse({ sessionId: 's', beforeSeqId: 10, limit: 500 }).success).toBe(true);
    expect(params.safeParse({ sessionId: 's' }).success).toBe(true);
    expect(params.safeParse({ sessionId: 's', limit: 0 }).success).toBe(false);
    expect(params.safeParse({ sessionId: 's', limit: 100_001 }).success).toBe(false);
    expect(params.safeParse({ sessionId: 's', beforeSeqId: -1 }).success).toBe(false);
    expect(params.safeParse({ sessionId: 's', beforeSeqId: 1.5 }).success).toBe(false);
    expect(requestSchemas['session.load'].params.safeParse({ projectId: 'p', tail: 1000 }).success).toBe(true);
    expect(requestSchemas['session.load'].params.safeParse({ projectId: 'p', tail: -3 }).success).toBe(false);
  });
});
