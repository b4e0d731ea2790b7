import { describe, expect, it } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireMessage } from '../../src/shared/events';
import { MIGRATIONS } from './db';
import { createStore, type StoredSession } from './store';

const session = (id: string, projectId: string, createdAt: number): StoredSession => ({
  id, projectId, provider: 'claude', status: 'done', reason: 'completed', error: null, providerSessionId: null, model: null,
  costUsd: null, inputTokens: 0, outputTokens: 0, createdAt, updatedAt: createdAt, cwd: '/p', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
});
const msg = (seqId: number, text: string): WireMessage => ({ seqId, ts: 1, event: { type: 'text', id: `m${seqId}`, role: 'assistant', text, mode: 'replace' } });

describe('store', () => {
  it('opens in WAL mode with the schema at the latest migration', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corral-db-')), 'corral.db');
    const store = createStore(file);
    expect((store.db.query('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    expect((store.db.query('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(MIGRATIONS.length);
    store.close();
    // Re-opening applies nothing twice.
    const again = createStore(file);
    expect(again.projects.list()).toEqual([]);
    again.close();
  });

  it('refuses a database from a newer Corral', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corral-db-')), 'corral.db');
    const db = new Database(file);
    db.run(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => createStore(file)).toThrow('newer than this Corral understands');
  });

  it('writes messages idempotently on (session_id, seq_id) and loads them in seqId order', () => {
    const store = createStore(':memory:');
    store.projects.insert({ id: 'p', name: 'p', path: '/p', createdAt: 1 });
    store.sessions.insert(session('s', 'p', 1));
    store.messages.save('s', [msg(2, 'c'), msg(0, 'a')]);
    store.messages.save('s', [msg(0, 'a'), msg(1, 'b'), msg(2, 'c')]);
    expect(store.messages.load('s').map((m) => m.seqId)).toEqual([0, 1, 2]);
    expect(store.messages.maxSeqId('s')).toBe(2);
    expect(store.messages.maxSeqId('other')).toBe(-1);
  });

  it('returns the most recent session of a project and deletes sessions with their project', () => {
    const store = createStore(':memory:');
    store.projects.insert({ id: 'p', name: 'p', path: '/p', createdAt: 1 });
    store.sessions.insert(session('old', 'p', 1));
    store.sessions.insert(session('new', 'p', 5));
    store.messages.save('new', [msg(0, 'x')]);
    expect(store.sessions.last('p')?.id).toBe('new');
    store.projects.remove('p');
    expect(store.sessions.get('new')).toBeNull();
    expect(store.messages.load('new')).toEqual([]);
  });

  it('returns settings over defaults and ignores unknown or corrupt stored values', () => {
    const store = createStore(':memory:');
    store.settings.set('retention_count', 9);
    store.db.run(`INSERT INTO settings (key, value_json) VALUES ('stall_timeout_min', '{oops'), ('mystery', '1')`);
    const s = store.settings.getAll();
    expect(s.retention_count).toBe(9);
    expect(s.stall_timeout_min).toBe(15);
    expect('mystery' in s).toBe(false);
  });
});
