import { describe, expect, it } from 'bun:test';
import { createFakeClock } from '../../src/shared/clock';
import type { AgentEvent, WireMessage } from '../../src/shared/events';
import { createSearchIndexing, SEARCH_INDEX_CHUNK, SEARCH_INDEX_MAX_WAIT_MS, SEARCH_INDEX_QUIET_MS } from './search-indexing';
import { createStore } from './store';

const text = (seqId: number, words: string): WireMessage => ({ seqId, ts: seqId, event: { type: 'text', id: `m${seqId}`, role: 'assistant', text: words, mode: 'replace' } as AgentEvent });
const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

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
    expect(store.searchIndex.pending()).toBe(2);
    clock.advance(1);
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('a stream that never goes quiet is indexed at the latest after the longest wait', () => {
    const { store, clock } = setup();
    let seq = 0;
    for (let t = 0; t < SEARCH_INDEX_MAX_WAIT_MS - 1000; t += 1000) {
      store.messages.save('s', [text(seq++, `word${seq}`)]);
      clock.advance(1000);
    }
    expect(store.searchIndex.pending()).toBe(seq);
    store.messages.save('s', [text(seq++, 'last')]);
    clock.advance(1000);
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('a backlog is indexed in chunks with the event loop running between them, and stops for new writes', async () => {
    const { store, clock } = setup();
    store.messages.save('s', Array.from({ length: SEARCH_INDEX_CHUNK * 2 + 5 }, (_, i) => text(i, `row ${i}`)));
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(store.searchIndex.pending()).toBe(SEARCH_INDEX_CHUNK + 5);
    // A write between two chunks: the rest waits for the writes to go quiet again.
    store.messages.save('s', [text(SEARCH_INDEX_CHUNK * 2 + 5, 'late')]);
    await nextTask();
    expect(store.searchIndex.pending()).toBe(SEARCH_INDEX_CHUNK + 6);
    clock.advance(SEARCH_INDEX_QUIET_MS);
    await nextTask();
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('waits while a turn is running, and indexes anyway once the longest wait is over', async () => {
    let turnRunning = true;
    const { store, clock } = setup(() => turnRunning);
    store.messages.save('s', [text(0, 'one')]);
    clock.advance(SEARCH_INDEX_QUIET_MS * 2);
    expect(store.searchIndex.pending()).toBe(1);
    turnRunning = false;
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(store.searchIndex.pending()).toBe(0);
    // A turn that runs for longer than the longest wait: its rows are indexed when that wait is over.
    turnRunning = true;
    store.messages.save('s', Array.from({ length: SEARCH_INDEX_CHUNK + 1 }, (_, i) => text(i + 1, `row ${i}`)));
    clock.advance(SEARCH_INDEX_MAX_WAIT_MS - 1);
    expect(store.searchIndex.pending()).toBe(SEARCH_INDEX_CHUNK + 1);
    clock.advance(1);
    expect(store.searchIndex.pending()).toBe(1);
    await nextTask();
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('stops between chunks when a turn starts, and goes on once it ended', async () => {
    let turnRunning = false;
    const { store, clock } = setup(() => turnRunning);
    store.messages.save('s', Array.from({ length: SEARCH_INDEX_CHUNK * 2 }, (_, i) => text(i, `row ${i}`)));
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(store.searchIndex.pending()).toBe(SEARCH_INDEX_CHUNK);
    turnRunning = true;
    await nextTask();
    expect(store.searchIndex.pending()).toBe(SEARCH_INDEX_CHUNK);
    turnRunning = false;
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(store.searchIndex.pending()).toBe(0);
  });

  it('a failing chunk is logged and its rows stay pending for the next write or a search', () => {
    const { store, clock, errors } = setup();
    store.messages.save('s', [text(0, 'walrus')]);
    store.db.run('DROP TABLE search_fts');
    clock.advance(SEARCH_INDEX_QUIET_MS);
    expect(errors).toEqual([expect.stringContaining('could not index messages for search (a search will index them itself): no such table: search_fts')]);
    expect(store.searchIndex.pending()).toBe(1);
  });

  it('stop cancels what was scheduled', () => {
    const { store, clock, indexing } = setup();
    store.messages.save('s', [text(0, 'one')]);
    indexing.stop();
    clock.advance(SEARCH_INDEX_MAX_WAIT_MS);
    expect(store.searchIndex.pending()).toBe(1);
    expect(clock.pending()).toBe(0);
  });
});
