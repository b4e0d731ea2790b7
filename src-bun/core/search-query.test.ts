import { describe, expect, it } from 'bun:test';
import type { WireMessage } from '../../src/shared/events';
import { requestSchemas } from '../../src/shared/rpc';
import { dispatch } from '../rpc/dispatch';
import { searchHandlers } from '../rpc/search';
import type { Core } from './core';
import { SearchQueryError, searchSessions, snippetSegments, toFtsQuery } from './search-query';
import { createStore, type Store, type StoredSession } from './store';

const session = (id: string, projectId: string, createdAt: number): StoredSession => ({
  id, projectId, provider: 'codex', status: 'done', reason: 'completed', error: null, providerSessionId: null, model: null, costUsd: null,
  inputTokens: 0, outputTokens: 0, createdAt, updatedAt: createdAt, cwd: '/p', optionsJson: '{"x":1}', sidecarPid: 42, sidecarStartTicks: 7,
});
const say = (seqId: number, text: string): WireMessage => ({ seqId, ts: 500 + seqId, event: { type: 'text', id: `a${seqId}`, role: 'assistant', text, mode: 'replace' } });

function seeded(): Store {
  const store = createStore(':memory:');
  store.projects.insert({ id: 'p', name: 'Alpha', path: '/p', createdAt: 1 });
  store.sessions.insert(session('s1', 'p', 100));
  return store;
}

describe('toFtsQuery', () => {
  it('quotes every word and phrase, and makes the last bare word a prefix', () => {
    expect(toFtsQuery('fix login')).toBe('"fix" "login"*');
    expect(toFtsQuery('fix login ')).toBe('"fix" "login"');
    expect(toFtsQuery('"login page" fix')).toBe('"login page" "fix"*');
    expect(toFtsQuery('fix "login page')).toBe('"fix" "login page"');
    expect(toFtsQuery('fix m')).toBe('"fix" "m"');
    expect(toFtsQuery('fix m.')).toBe('"fix" "m."');
  });

  it('turns FTS5 operators and syntax into plain terms', () => {
    expect(toFtsQuery('a AND (b OR c) NOT d')).toBe('"a" "AND" "(b" "OR" "c)" "NOT" "d"');
    expect(toFtsQuery('body:x NEAR(y z) ^w *')).toBe('"body:x" "NEAR(y" "z)" "^w"');
  });

  it('throws a clear error when nothing is left to search for', () => {
    expect(() => toFtsQuery('  -- * ()  ')).toThrow(new SearchQueryError('Search for at least one letter or digit'));
    expect(() => toFtsQuery('')).toThrow(SearchQueryError);
  });
});

describe('snippetSegments', () => {
  it('splits the marked snippet into plain and hit segments', () => {
    expect(snippetSegments('…a \u0002b\u0003 c \u0002d\u0003')).toEqual([
      { text: '…a ', hit: false }, { text: 'b', hit: true }, { text: ' c ', hit: false }, { text: 'd', hit: true },
    ]);
    expect(snippetSegments('no hit <b>here</b>')).toEqual([{ text: 'no hit <b>here</b>', hit: false }]);
  });
});

describe('searchSessions', () => {
  it('finds text that contains FTS5 syntax, searched literally, without an error', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'use a AND (b OR c) in the query'), say(1, 'NOT this one: near(a, b) c')]);
    const keys = (q: string) => searchSessions(store, q, 10).hits.map((h) => h.messageKey);
    expect(keys('AND (b OR')).toEqual(['assistant:a0']);
    expect(keys('"AND (b OR c)"')).toEqual(['assistant:a0']);
    expect(keys('NOT c')).toEqual(['assistant:a1']);
    expect(keys('NEAR(a b')).toEqual(['assistant:a1']);
    expect(keys('query:')).toEqual(['assistant:a0']);
  });

  it('matches case- and accent-insensitively and by prefix while typing', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'Ünïcode Résumé handling')]);
    expect(searchSessions(store, 'resume', 10).hits).toHaveLength(1);
    expect(searchSessions(store, 'UNICO', 10).hits).toHaveLength(1);
    expect(searchSessions(store, 'UNICO ', 10).hits).toHaveLength(0);
  });

  it('returns the project, the public session record and the message, newest first, and says when more matched', () => {
    const store = seeded();
    store.projects.insert({ id: 'q', name: 'Beta', path: '/q', createdAt: 1 });
    store.sessions.insert(session('s2', 'q', 200));
    store.messages.save('s1', [say(0, 'kiwi'), say(1, 'kiwi kiwi kiwi, only kiwi')]);
    store.messages.save('s2', [say(0, 'a kiwi among many other words that dilute it')]);
    const all = searchSessions(store, 'kiwi', 10);
    expect(all.more).toBe(false);
    expect(all.hits.map((h) => [h.projectName, h.session.id, h.messageKey])).toEqual([
      ['Beta', 's2', 'assistant:a0'], ['Alpha', 's1', 'assistant:a1'], ['Alpha', 's1', 'assistant:a0'],
    ]);
    expect(all.hits[0]).toMatchObject({ projectId: 'q', role: 'assistant', seqId: 0, ts: 500, session: { provider: 'codex', createdAt: 200 } });
    // The main process's own columns stay home.
    expect(Object.keys(all.hits[0].session)).not.toContain('optionsJson');
    expect(Object.keys(all.hits[0].session)).not.toContain('sidecarPid');
    const two = searchSessions(store, 'kiwi', 2);
    expect(two.hits).toHaveLength(2);
    expect(two.more).toBe(true);
  });
});

describe('search.query over RPC', () => {
  const rpc = (store: Store, params: unknown) =>
    dispatch(searchHandlers({ store } as unknown as Core) as never, { type: 'request', id: 1, method: 'search.query', params }, { clientId: 'c' });

  it('answers with hits whose shape the contract accepts', async () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'the <script>alert(1)</script> text')]);
    const res = await rpc(store, { query: 'script' });
    expect(res?.success).toBe(true);
    const payload = requestSchemas['search.query'].response.parse((res as { payload: unknown }).payload);
    expect(payload.hits[0].snippet).toEqual([
      { text: 'the <', hit: false }, { text: 'script', hit: true }, { text: '>alert(1)</', hit: false }, { text: 'script', hit: true }, { text: '> text', hit: false },
    ]);
  });

  it('rejects empty, punctuation-only and over-long queries with a clear error', async () => {
    const store = seeded();
    expect(await rpc(store, { query: '   ' })).toMatchObject({ success: false, error: 'Invalid params for search.query: query: Type something to search for' });
    expect(await rpc(store, { query: '*** ()' })).toMatchObject({ success: false, error: 'Invalid params for search.query: query: Search for at least one letter or digit' });
    expect(await rpc(store, { query: 'x'.repeat(201) })).toMatchObject({ success: false, error: 'Invalid params for search.query: query: A search is at most 200 characters' });
    expect(await rpc(store, { query: 'ok', limit: 0 })).toMatchObject({ success: false });
  });
});
