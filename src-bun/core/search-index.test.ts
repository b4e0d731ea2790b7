import { describe, expect, it } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, WireMessage } from '../../src/shared/events';
import { MAX_INDEXED_TOOL_OUTPUT_CHARS } from '../../src/shared/search';
import { MIGRATIONS } from './db';
import { createStore, type Store, type StoredSession } from './store';

const session = (id: string, projectId: string, updatedAt = 1, status: StoredSession['status'] = 'done'): StoredSession => ({
  id, projectId, provider: 'claude', status, reason: null, error: null, providerSessionId: null, model: null, costUsd: null,
  inputTokens: 0, outputTokens: 0, createdAt: updatedAt, updatedAt, cwd: '/p', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
});
const wire = (seqId: number, event: AgentEvent): WireMessage => ({ seqId, ts: 1000 + seqId, event });
const say = (seqId: number, text: string, id = `a${seqId}`, mode: 'append' | 'replace' = 'replace') => wire(seqId, { type: 'text', id, role: 'assistant', text, mode });

/** A store with project p (sessions s1, s2) and project q (session s3). */
function seeded(): Store {
  const store = createStore(':memory:');
  store.projects.insert({ id: 'p', name: 'Alpha', path: '/p', createdAt: 1 });
  store.projects.insert({ id: 'q', name: 'Beta', path: '/q', createdAt: 1 });
  store.sessions.insert(session('s1', 'p', 1));
  store.sessions.insert(session('s2', 'p', 2));
  store.sessions.insert(session('s3', 'q', 3));
  return store;
}

/** Rows of the index once the catch-up ran: key → full text, per session. */
const docs = (store: Store) => (store.searchIndex.indexAll(), store.db).query<{ session_id: string; message_key: string; body: string; seq_id: number }, []>(
  'SELECT session_id, message_key, body, seq_id FROM search_docs ORDER BY session_id, seq_id').all();
const ftsRows = (store: Store) => (store.db.query('SELECT COUNT(*) AS n FROM search_fts').get() as { n: number }).n;
const found = (store: Store, q: string) => store.search(q, 50).map((h) => `${h.sessionId}/${h.messageKey}`);
/**
 * FTS5's own check that the index matches search_docs, once the pending rows are indexed (before, they are
 * missing from it by design); throws on a mismatch.
 */
const checkIntegrity = (store: Store) => {
  store.searchIndex.indexAll();
  store.db.run(`INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)`);
};
/** Rowids FTS5 itself matches for `word`, with no catch-up first. */
const ftsMatches = (store: Store, word: string) =>
  store.db.query<{ rowid: number }, [string]>('SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid').all(word).map((r) => r.rowid);

describe('search index', () => {
  it('indexes prompts, answers, thinking, tool commands, paths and output, and nothing else', () => {
    const store = seeded();
    store.messages.save('s1', [
      wire(0, { type: 'text', id: 'u0', role: 'user', text: 'Please rename the widget', mode: 'replace' }),
      wire(1, { type: 'thinking', id: 't1', text: 'The widget lives in gadgets', mode: 'replace' }),
      wire(2, { type: 'tool_call', id: 'c2', name: 'Bash', input: { command: 'grep -r widget' }, command: 'grep -r widget' }),
      wire(3, { type: 'tool_call', id: 'c3', name: 'Read', input: { file_path: 'src/sprocket.ts' }, path: 'src/sprocket.ts' }),
      wire(4, { type: 'tool_result', id: 'c2', output: 'src/sprocket.ts: export const widget', isError: false }),
      wire(5, { type: 'error', message: 'zanzibar failure' }),
      wire(6, { type: 'status', status: 'done' }),
      wire(7, { type: 'permission_request', id: 'r7', title: 'Run zanzibar?', options: [] }),
    ]);
    expect(found(store, 'widget').sort()).toEqual(['s1/thinking:t1', 's1/tool-call:c2', 's1/tool-result:c2', 's1/user:u0']);
    expect(found(store, 'sprocket').sort()).toEqual(['s1/tool-call:c3', 's1/tool-result:c2']);
    expect(found(store, 'zanzibar')).toEqual([]);
    checkIntegrity(store);
  });

  it('a repeated write of the same seqIds adds no index rows and no text', () => {
    const store = seeded();
    const batch = [say(0, 'alpha ', 'a', 'replace'), say(1, 'beta', 'a', 'append')];
    store.messages.save('s1', batch);
    store.messages.save('s1', batch);
    store.messages.save('s1', [batch[1]]);
    expect(docs(store)).toEqual([{ session_id: 's1', message_key: 'assistant:a', body: 'alpha beta', seq_id: 0 }]);
    expect(ftsRows(store)).toBe(1);
    checkIntegrity(store);
  });

  it('streamed deltas make one document with the full text, across flushes, pointing at the creating seqId', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'The quick ', 'a', 'append'), say(1, 'brown ', 'a', 'append')]);
    store.messages.save('s1', [say(2, 'fox jumps', 'a', 'append')]);
    expect(docs(store)).toEqual([{ session_id: 's1', message_key: 'assistant:a', body: 'The quick brown fox jumps', seq_id: 0 }]);
    const [hit] = store.search('"brown fox"', 50);
    expect(hit).toMatchObject({ sessionId: 's1', messageKey: 'assistant:a', seqId: 0, ts: 1000, role: 'assistant' });
    expect(hit.snippet).toEqual([{ text: 'The quick ', hit: false }, { text: 'brown fox', hit: true }, { text: ' jumps', hit: false }]);
    // A replace swaps the whole text, and the old words are no longer found.
    store.messages.save('s1', [say(3, 'Replaced answer', 'a', 'replace'), say(4, ' tail', 'a', 'append')]);
    expect(docs(store)[0].body).toBe('Replaced answer tail');
    expect(found(store, 'fox')).toEqual([]);
    expect(found(store, 'tail')).toEqual(['s1/assistant:a']);
    checkIntegrity(store);
  });

  it('a tool call updated without command or path keeps what it had; a tool result is capped', () => {
    const store = seeded();
    store.messages.save('s1', [
      wire(0, { type: 'tool_call', id: 'c', name: 'shell', input: {}, command: 'make widgets' }),
      wire(1, { type: 'tool_call', id: 'c', name: 'shell', input: { done: true } }),
      wire(2, { type: 'tool_result', id: 'c', output: `${'x '.repeat(MAX_INDEXED_TOOL_OUTPUT_CHARS)}needle`, isError: false }),
    ]);
    expect(found(store, 'widgets')).toEqual(['s1/tool-call:c']);
    expect(found(store, 'needle')).toEqual([]);
    expect(docs(store).find((d) => d.message_key === 'tool-result:c')?.body).toHaveLength(MAX_INDEXED_TOOL_OUTPUT_CHARS);
  });

  it('strips the snippet markers and other control characters from indexed text', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'ab\u0002cd\u0003ef\tgh')]);
    expect(docs(store)[0].body).toBe('ab cd ef\tgh');
  });

  it('session deletion, retention and project removal purge the index with the messages', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'common one')]);
    store.messages.save('s2', [say(0, 'common two')]);
    store.messages.save('s3', [say(0, 'common three')]);
    expect(found(store, 'common')).toHaveLength(3);
    // Retention deletes through sessions.remove (src-bun/core/session-manager.ts applyRetention).
    store.sessions.remove(['s1']);
    expect(found(store, 'common').sort()).toEqual(['s2/assistant:a0', 's3/assistant:a0']);
    store.projects.remove('q');
    expect(found(store, 'common')).toEqual(['s2/assistant:a0']);
    expect(docs(store).map((d) => d.session_id)).toEqual(['s2']);
    expect(ftsRows(store)).toBe(1);
    checkIntegrity(store);
  });

  it('a write stores the rows only; the catch-up folds them into documents, then indexes those, and a search catches up first', () => {
    const store = seeded();
    const stored = () => store.db.query<{ n: number }, []>('SELECT COUNT(*) AS n FROM search_docs').get()!.n;
    store.messages.save('s1', [say(0, 'pending walrus'), say(1, 'another walrus')]);
    // Two messages to fold, then two documents to index.
    expect(store.searchIndex.pending()).toBe(2);
    expect(stored()).toBe(0);
    expect(store.searchIndex.foldedThrough('s1')).toBe(-1);
    expect(store.searchIndex.indexSome(1)).toBe(1);
    expect(stored()).toBe(1);
    expect(store.searchIndex.foldedThrough('s1')).toBe(0);
    expect(store.searchIndex.pending()).toBe(2);
    expect(ftsMatches(store, 'walrus')).toEqual([]);
    // The rest of the messages, then documents with what is left of the step.
    expect(store.searchIndex.indexSome(2)).toBe(2);
    expect(store.searchIndex.foldedThrough('s1')).toBe(1);
    expect(store.searchIndex.pending()).toBe(1);
    expect(ftsMatches(store, 'walrus')).toHaveLength(1);
    // The search indexes the rest before it queries: nothing stored is missing from its hits.
    expect(found(store, 'walrus').sort()).toEqual(['s1/assistant:a0', 's1/assistant:a1']);
    expect(store.searchIndex.pending()).toBe(0);
    expect(ftsMatches(store, 'walrus')).toHaveLength(2);
    checkIntegrity(store);
  });

  it('a row written at or below the fold watermark is folded by its write, once', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'early'), say(2, 'later')]);
    store.searchIndex.indexAll();
    expect(store.searchIndex.foldedThrough('s1')).toBe(2);
    // seqId 1 arrives after 2 was folded: the catch-up reads only above the watermark, so the write folds it.
    store.messages.save('s1', [say(1, 'straggler'), say(3, 'newest')]);
    expect(docs(store).map((d) => d.body)).toEqual(['early', 'straggler', 'later', 'newest']);
    store.messages.save('s1', [say(1, 'straggler')]);
    expect(docs(store)).toHaveLength(4);
    expect(found(store, 'straggler')).toEqual(['s1/assistant:a1']);
    checkIntegrity(store);
  });

  it('messages left unfolded at close are folded after the next open; a stored row that is not an event is skipped', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corral-search-')), 'corral.db');
    const first = createStore(file);
    first.projects.insert({ id: 'p', name: 'Alpha', path: '/p', createdAt: 1 });
    first.sessions.insert(session('s1', 'p'));
    first.sessions.insert(session('s2', 'p', 2));
    first.messages.save('s1', [say(0, 'folded walrus')]);
    first.searchIndex.indexAll();
    first.messages.save('s1', [say(1, 'unfolded walrus')]);
    first.messages.save('s2', [say(0, 'other walrus')]);
    first.db.run(`INSERT INTO messages (session_id, seq_id, ts, event_json) VALUES ('s2', 1, 1, '{not json'), ('s2', 2, 2, '{"type":"tool_result"}')`);
    first.close();
    const store = createStore(file);
    expect(store.searchIndex.pending()).toBe(4);
    expect(found(store, 'walrus').sort()).toEqual(['s1/assistant:a0', 's1/assistant:a1', 's2/assistant:a0']);
    expect(store.searchIndex.foldedThrough('s2')).toBe(2);
    expect(store.searchIndex.pending()).toBe(0);
    checkIntegrity(store);
    store.close();
  });

  it('text added to an indexed document takes its old text out of the index and waits to be indexed again; deletes of pending and indexed rows keep FTS5 consistent', () => {
    const store = seeded();
    store.messages.save('s1', [say(0, 'first part', 'a', 'replace')]);
    store.searchIndex.indexAll();
    store.messages.save('s1', [say(1, ' walrus second', 'a', 'append')]);
    expect(store.searchIndex.pending()).toBe(1);
    // Folding the message takes the old text out; the whole new text comes with the indexing.
    expect(ftsMatches(store, 'first')).toHaveLength(1);
    expect(store.searchIndex.indexSome(1)).toBe(1);
    expect(store.searchIndex.pending()).toBe(1);
    expect(ftsMatches(store, 'first')).toEqual([]);
    expect(found(store, 'first')).toEqual(['s1/assistant:a']);
    expect(found(store, 'walrus')).toEqual(['s1/assistant:a']);
    checkIntegrity(store);
    // s2 indexed, s3 pending: deleting both leaves the index consistent.
    store.messages.save('s2', [say(0, 'common indexed')]);
    store.searchIndex.indexAll();
    store.messages.save('s3', [say(0, 'common pending')]);
    expect(store.searchIndex.indexSome(1)).toBe(1);
    expect(store.searchIndex.pending()).toBe(1);
    store.sessions.remove(['s2', 's3']);
    expect(store.searchIndex.pending()).toBe(0);
    expect(ftsMatches(store, 'common')).toEqual([]);
    checkIntegrity(store);
  });

  it('tells its listeners after a save that wrote rows, not after a repeat that wrote none', () => {
    const store = seeded();
    let writes = 0;
    const off = store.messages.onWrite(() => writes++);
    store.messages.save('s1', [say(0, 'once')]);
    store.messages.save('s1', [say(0, 'once')]);
    expect(writes).toBe(1);
    off();
    store.messages.save('s1', [say(1, 'twice')]);
    expect(writes).toBe(1);
  });

  it('the migration builds the index from messages stored before it, skipping rows that do not parse', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corral-search-')), 'corral.db');
    const old = new Database(file, { strict: true });
    old.run(MIGRATIONS[0] as string);
    old.run('PRAGMA user_version = 1');
    old.run(`INSERT INTO projects VALUES ('p', 'Alpha', '/p', 1)`);
    old.run(`INSERT INTO sessions (id, project_id, provider, status, created_at, updated_at) VALUES ('s1', 'p', 'claude', 'done', 5, 5)`);
    const put = old.query('INSERT INTO messages (session_id, seq_id, ts, event_json) VALUES (?, ?, ?, ?)');
    put.run('s1', 0, 10, JSON.stringify({ type: 'text', id: 'u', role: 'user', text: 'find the walrus', mode: 'replace' }));
    put.run('s1', 1, 11, JSON.stringify({ type: 'text', id: 'a', role: 'assistant', text: 'The wal', mode: 'append' }));
    put.run('s1', 2, 12, JSON.stringify({ type: 'text', id: 'a', role: 'assistant', text: 'rus is here', mode: 'append' }));
    put.run('s1', 3, 13, '{not json');
    put.run('s1', 4, 14, JSON.stringify({ type: 'text', id: 'x', role: 'narrator', text: 'walrus' }));
    // A session started later but sorting first by id: hits list newest first, so it is indexed after s1.
    old.run(`INSERT INTO sessions (id, project_id, provider, status, created_at, updated_at) VALUES ('s0', 'p', 'claude', 'done', 9, 9)`);
    put.run('s0', 0, 20, JSON.stringify({ type: 'text', id: 'u', role: 'user', text: 'walrus again', mode: 'replace' }));
    old.close();
    const store = createStore(file);
    expect(docs(store).map((d) => [d.session_id, d.message_key, d.body])).toEqual([
      ['s0', 'user:u', 'walrus again'], ['s1', 'user:u', 'find the walrus'], ['s1', 'assistant:a', 'The walrus is here'],
    ]);
    // Migration 2 indexed them at once, and the later migration kept them marked indexed.
    expect(store.searchIndex.pending()).toBe(0);
    expect(ftsMatches(store, 'walrus')).toHaveLength(3);
    expect(found(store, 'walrus')).toEqual(['s0/user:u', 's1/assistant:a', 's1/user:u']);
    // New writes index on top of the back-filled rows.
    store.messages.save('s1', [say(5, ' for sure', 'a', 'append')]);
    expect(docs(store)[2].body).toBe('The walrus is here for sure');
    expect(found(store, 'sure')).toEqual(['s1/assistant:a']);
    checkIntegrity(store);
    store.close();
  });
});
