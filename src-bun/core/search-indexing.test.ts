import { describe, expect, it } from 'bun:test';
import { createFakeClock } from '../../src/shared/clock';
import type { AgentEvent, WireMessage } from '../../src/shared/events';
import { createSearchIndexing, SEARCH_INDEX_CHUNK, SEARCH_INDEX_MAX_WAIT_MS, SEARCH_INDEX_QUIET_MS } from './search-indexing';
import { createStore } from './store';

const text = (seqId: number, words: string): WireMessage => ({ seqId, ts: seqId, event: { type: 'text', id: `m${seqId}`, role: 'assistant', text: words, mode: 'replace' } as AgentEvent });
const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Rows of catch-up work `messages` distinct texts make: each is folded into a document, then the document is indexed. */
const work = (messages: number) => messages * 2;
/** Rows of catch-up work done on session s: messages folded (its watermark) plus documents indexed. */
const done = (store: ReturnType<typeof createStore>) =>
  store.searchIndex.foldedThrough('s') + 1 + store.db.query<{ n: number }, []>('SELECT COUNT(*) AS n FROM search_docs WHERE indexed = 1').get()!.n;
/** Lets the chunks that follow each other on the event loop run until `target` rows are done; resolves with the rows done. */
async function drained(store: ReturnType<typeof createStore>, target: number): Promise<number> {
  for (let i = 0; i < 20 && done(store) < target; i++) await nextTask();
  return done(store);
}

function setup(busy?: () => boolean) {
  const store = createStore(':memory:');
  store.projects.insert({ id: 'p', name: 'p', path: '/p', createdAt: 1 });
  store.sessions.insert({
    id: 's', projectId: 'p', provider: 'acp', status: 'done', reason: null, error: null, providerSessionId: null, model: null, costUsd: null,
    inputTokens: 0, outputTokens: 0, createdAt: 1, updatedAt: 1, cwd: '/p', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
  });
  const clock = createFakeClock();
  const errors: string[] = [];
  const indexing = createSearchIndexing({ index: store.searchIndex, clock, log: { error: (m) => errors.push(m) }, busy });
  store.messages.onWrite(indexing.written);
  return { store, clock, indexing, errors };
}

describe('deferred search indexing', () => {
  it('indexes once writes have been quiet, not during them', async () => {
    const { store, clock } = setup();
    store.messages.save('s', [text(0, 'one')]);
    clock.advance(SEARCH_INDEX_QUIET_MS - 1);
    store.messages.save('s', [text(1, 'two')]);
    clock.advance(SEARCH_INDEX_QUIET_MS - 1);
    expect(done(store)).toBe(0);
    clock.advance(1);
    expect(done(store)).toBe(work(2));
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('a stream that never goes quiet is indexed at the latest after the longest wait', () => {
    const { store, clock } = setup();
    let seq = 0;
    for (let t = 0; t < SEARCH_INDEX_MAX_WAIT_MS - 1000; t += 1000) {
      store.messages.save('s', [text(seq++, `word${seq}`)]);
      clock.advance(1000);
    }
    expect(done(store)).toBe(0);
    store.messages.save('s', [text(seq++, 'last')]);
    clock.advance(1000);
    expect(done(store)).toBe(work(seq));
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('a backlog is indexed in chunks with the event loop running between them, and stops for new writes', async () => {
    const { store, clock } = setup();
    const rows = SEARCH_INDEX_CHUNK * 2 + 5;
    store.messages.save('s', Array.from({ length: rows }, (_, i) => text(i, `row ${i}`)));
    clock.advance(SEARCH_INDEX_QUIET_MS);
    // One chunk ran at once; the next waits for the event loop.
    expect(done(store)).toBe(SEARCH_INDEX_CHUNK);
    // A write between two chunks: the rest waits for the writes to go quiet again.
    store.messages.save('s', [text(rows, 'late')]);
    await nextTask();
    await nextTask();
    expect(done(store)).toBe(SEARCH_INDEX_CHUNK);
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(done(store)).toBe(2 * SEARCH_INDEX_CHUNK);
    expect(await drained(store, work(rows + 1))).toBe(work(rows + 1));
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('waits while a turn is running, and indexes anyway once the longest wait is over', async () => {
    let turnRunning = true;
    const { store, clock } = setup(() => turnRunning);
    store.messages.save('s', [text(0, 'one')]);
    clock.advance(SEARCH_INDEX_QUIET_MS * 2);
    expect(done(store)).toBe(0);
    turnRunning = false;
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(done(store)).toBe(work(1));
    // A turn that runs for longer than the longest wait: its rows are indexed when that wait is over.
    turnRunning = true;
    const rows = SEARCH_INDEX_CHUNK + 1;
    store.messages.save('s', Array.from({ length: rows }, (_, i) => text(i + 1, `row ${i}`)));
    clock.advance(SEARCH_INDEX_MAX_WAIT_MS - 1);
    expect(done(store)).toBe(work(1));
    clock.advance(1);
    expect(done(store)).toBe(work(1) + SEARCH_INDEX_CHUNK);
    expect(await drained(store, work(rows + 1))).toBe(work(rows + 1));
  });

  it('stops between chunks when a turn starts, and goes on once it ended', async () => {
    let turnRunning = false;
    const { store, clock } = setup(() => turnRunning);
    const rows = SEARCH_INDEX_CHUNK * 2;
    store.messages.save('s', Array.from({ length: rows }, (_, i) => text(i, `row ${i}`)));
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(done(store)).toBe(SEARCH_INDEX_CHUNK);
    turnRunning = true;
    await nextTask();
    await nextTask();
    expect(done(store)).toBe(SEARCH_INDEX_CHUNK);
    turnRunning = false;
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(done(store)).toBe(2 * SEARCH_INDEX_CHUNK);
    expect(await drained(store, work(rows))).toBe(work(rows));
  });

  it('a failing chunk is logged and its rows stay pending for the next write or a search', () => {
    const { store, clock, errors } = setup();
    store.messages.save('s', [text(0, 'walrus')]);
    store.db.run('DROP TABLE search_fts');
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^could not index messages for search \(a search will index them itself\): no such table: (main\.)?search_fts$/);
    // The failed step changed nothing: the message waits to be folded.
    expect(store.searchIndex.foldedThrough('s')).toBe(-1);
    expect(store.searchIndex.pending()).toBe(1);
  });

  it('stop cancels what was scheduled', () => {
    const { store, clock, indexing } = setup();
    store.messages.save('s', [text(0, 'one')]);
    indexing.stop();
    clock.advance(SEARCH_INDEX_MAX_WAIT_MS);
    expect(done(store)).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
