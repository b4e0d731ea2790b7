/**
 * The `prompt_queue` table: prompts queued on a session, in order. Every
 * change is written at once, so a queued prompt survives a crash or a quit.
 * Rows go with their session (ON DELETE CASCADE: retention, project removal).
 */
import type { Database } from 'bun:sqlite';
import type { QueueItem, QueueState } from '../../src/shared/rpc/queue';

/** The migration that adds the table (appended to MIGRATIONS in db.ts). */
export const PROMPT_QUEUE_SCHEMA = `CREATE TABLE prompt_queue (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'unsent')),
  error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX prompt_queue_by_session ON prompt_queue(session_id, position);`;

type Row = { id: string; session_id: string; position: number; text: string; state: string; error: string | null; created_at: number };

const toItem = (r: Row): QueueItem => ({
  id: r.id, sessionId: r.session_id, position: r.position, text: r.text, state: r.state as QueueState, error: r.error, createdAt: r.created_at,
});

/** Typed access to `prompt_queue` over an open database (see db.ts). */
export function createPromptQueueStore(db: Database) {
  const q = {
    list: db.query<Row, [string]>('SELECT * FROM prompt_queue WHERE session_id = ? ORDER BY position, created_at'),
    get: db.query<Row, [string]>('SELECT * FROM prompt_queue WHERE id = ?'),
    maxPosition: db.query<{ m: number | null }, [string]>('SELECT MAX(position) AS m FROM prompt_queue WHERE session_id = ?'),
    minPosition: db.query<{ m: number | null }, [string]>('SELECT MIN(position) AS m FROM prompt_queue WHERE session_id = ?'),
    insert: db.query('INSERT INTO prompt_queue (id, session_id, position, text, state, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    setText: db.query('UPDATE prompt_queue SET text = ? WHERE id = ?'),
    setState: db.query('UPDATE prompt_queue SET state = ?, error = ? WHERE id = ?'),
    setPosition: db.query('UPDATE prompt_queue SET position = ? WHERE id = ?'),
    remove: db.query('DELETE FROM prompt_queue WHERE id = ?'),
    withState: db.query<Row, [string, string]>('SELECT * FROM prompt_queue WHERE state IN (?, ?) ORDER BY session_id, position'),
  };

  return {
    /** The session's queue, first to go out first. */
    list: (sessionId: string): QueueItem[] => q.list.all(sessionId).map(toItem),
    get: (id: string): QueueItem | null => { const r = q.get.get(id); return r ? toItem(r) : null; },
    /** Appends a prompt (or puts it first with `first`); returns the stored item. */
    add(item: { id: string; sessionId: string; text: string; state: QueueState; error?: string | null; createdAt: number; first?: boolean }): QueueItem {
      const position = item.first ? (q.minPosition.get(item.sessionId)?.m ?? 1) - 1 : (q.maxPosition.get(item.sessionId)?.m ?? -1) + 1;
      q.insert.run(item.id, item.sessionId, position, item.text, item.state, item.error ?? null, item.createdAt);
      return { id: item.id, sessionId: item.sessionId, position, text: item.text, state: item.state, error: item.error ?? null, createdAt: item.createdAt };
    },
    setText: (id: string, text: string): boolean => q.setText.run(text, id).changes > 0,
    setState: (id: string, state: QueueState, error: string | null = null): boolean => q.setState.run(state, error, id).changes > 0,
    /** Swaps the positions of two items, in one transaction. */
    swap: db.transaction((a: QueueItem, b: QueueItem) => {
      q.setPosition.run(b.position, a.id);
      q.setPosition.run(a.position, b.id);
    }),
    remove: (id: string): boolean => q.remove.run(id).changes > 0,
    /** Items in either state, across sessions (after a relaunch: the ones that never went out). */
    withState: (a: QueueState, b: QueueState): QueueItem[] => q.withState.all(a, b).map(toItem),
  };
}
export type PromptQueueStore = ReturnType<typeof createPromptQueueStore>;
