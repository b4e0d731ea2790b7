import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../shared/rpc/search';
import { createFakeClock } from '../../shared/clock';
import { createFakeRpc, deferred } from '../testing/fake-rpc';
import { settle } from '../testing/settle';
import { createSearchStore, SEARCH_LIMIT, type SearchTarget } from './search.svelte';

const hit = (n: number): SearchHit => ({
  projectId: `p${n}`, projectName: `Project ${n}`, messageKey: `assistant:a${n}`, role: 'assistant', seqId: n, ts: 1000 + n,
  session: { id: `s${n}`, projectId: `p${n}`, provider: 'claude', status: 'done', reason: null, error: null, providerSessionId: null, model: null, costUsd: null, inputTokens: 0, outputTokens: 0, createdAt: 5, updatedAt: 5 },
  snippet: [{ text: 'a ', hit: false }, { text: 'word', hit: true }],
});

function setup() {
  const clock = createFakeClock();
  const rpc = createFakeRpc();
  const chosen: SearchTarget[] = [];
  const store = createSearchStore({ rpc: rpc.client, clock, debounceMs: 150, onChoose: (t) => chosen.push(t) });
  return { clock, rpc, store, chosen };
}

describe('search store', () => {
  it('searches once typing pauses, with the trimmed query', async () => {
    const { clock, rpc, store } = setup();
    rpc.handle('search.query', () => ({ hits: [hit(1), hit(2)], more: true }));
    store.setQuery('wo');
    clock.advance(100);
    store.setQuery(' word ');
    clock.advance(100);
    expect(rpc.callsOf('search.query')).toEqual([]);
    expect(store.loading).toBe(true);
    clock.advance(50);
    await settle();
    expect(rpc.callsOf('search.query')).toEqual([{ query: 'word', limit: SEARCH_LIMIT }]);
    expect(store.hits.map((h) => h.messageKey)).toEqual(['assistant:a1', 'assistant:a2']);
    expect([store.more, store.loading, store.active, store.answered]).toEqual([true, false, 0, 'word']);
  });

  it('lets only the answer to the newest query land', async () => {
    const { clock, rpc, store } = setup();
    const slow = deferred<{ hits: SearchHit[]; more: boolean }>();
    rpc.handle('search.query', ({ query }) => (query === 'old' ? slow.promise : { hits: [hit(2)], more: false }));
    store.setQuery('old');
    clock.advance(150);
    store.setQuery('new');
    clock.advance(150);
    await settle();
    slow.resolve({ hits: [hit(1)], more: false });
    await settle();
    expect(store.hits.map((h) => h.projectId)).toEqual(['p2']);
    expect(store.answered).toBe('new');
  });

  it('clears the hits for an empty query and explains one it cannot search, without asking', async () => {
    const { clock, rpc, store } = setup();
    rpc.handle('search.query', () => ({ hits: [hit(1)], more: false }));
    store.setQuery('word');
    clock.advance(150);
    await settle();
    store.setQuery('  ');
    expect([store.hits.length, store.error, store.answered]).toEqual([0, null, null]);
    store.setQuery('*** ()');
    expect(store.error).toBe('Search for at least one letter or digit');
    store.setQuery('x'.repeat(201));
    expect(store.error).toBe('A search is at most 200 characters');
    clock.advance(1000);
    expect(rpc.callsOf('search.query')).toHaveLength(1);
  });

  it('shows the main process error when a search fails', async () => {
    const { clock, rpc, store } = setup();
    rpc.handle('search.query', () => {
      throw new Error('database is locked');
    });
    store.setQuery('word');
    clock.advance(150);
    await settle();
    expect([store.error, store.loading, store.hits.length]).toEqual(['database is locked', false, 0]);
  });

  it('moves through the hits within bounds and opens the chosen one, closing the box', async () => {
    const { clock, rpc, store, chosen } = setup();
    rpc.handle('search.query', () => ({ hits: [hit(1), hit(2), hit(3)], more: false }));
    store.show();
    store.setQuery('word');
    clock.advance(150);
    await settle();
    store.move(1);
    store.move(5);
    expect(store.active).toBe(2);
    store.move(-9);
    expect(store.active).toBe(0);
    store.move(1);
    store.choose();
    expect(chosen).toEqual([{ projectId: 'p2', session: hit(2).session, messageKey: 'assistant:a2' }]);
    expect(store.target).toEqual(chosen[0]);
    expect(store.open).toBe(false);
    // Choosing the same hit again makes a new target, so the pane scrolls to it again.
    store.choose(1);
    expect(store.target).not.toBe(chosen[0]);
    expect(store.target).toEqual(chosen[0]);
    // Opening the box again searches the last query again: sessions may have been written or purged since.
    rpc.handle('search.query', () => ({ hits: [hit(3)], more: false }));
    store.show();
    expect([store.open, store.query]).toEqual([true, 'word']);
    clock.advance(150);
    await settle();
    expect(rpc.callsOf('search.query')).toHaveLength(2);
    expect(store.hits.map((h) => h.projectId)).toEqual(['p3']);
  });
});
