/**
 * The write side of the session search: an SQLite FTS5 index over every
 * stored message of every project (what is indexed: src/shared/search.ts).
 *
 * `search_docs` holds one row per display message (session, transcript key,
 * creating seqId and time, full text); `search_fts` is an external-content
 * FTS5 table over its text. `search_docs` rows go with their session (ON
 * DELETE CASCADE), so retention, session deletion and project removal purge
 * the index with the messages.
 *
 * Indexing is deferred, in two steps that src-bun/core/search-catch-up.ts
 * runs off the message write: stored messages are folded into `search_docs`
 * rows (marked `indexed = 0`, {@link DEFERRED_INDEXING}), and those rows are
 * put into `search_fts`. Tokenizing was 80 % of the cost of writing a
 * streamed transcript, and deriving the documents most of the rest.
 * Triggers keep `search_fts` in step for rows already in it: a delete takes
 * the row out, an update of its text takes the old text out and marks it to
 * be indexed again. A search first indexes whatever is pending, so it always
 * sees every stored message.
 *
 * The indexer is fed each stored message once (the catch-up's per-session
 * watermark, or the store for a row written below it), so a repeated flush
 * indexes nothing twice; streamed deltas of one message are folded per
 * batch, so the document is rewritten once per batch, not once per delta.
 */
import type { Database } from 'bun:sqlite';
import { AgentEventSchema, type WireMessage } from '../../src/shared/events';
import { searchDocUpdate, type SearchRole } from '../../src/shared/search';

/** Schema of the index (migration 2). The tokenizer folds case and diacritics; `snippet()` needs the content kept. */
export const SEARCH_SCHEMA = `
  CREATE TABLE search_docs (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    message_key TEXT NOT NULL,
    role TEXT NOT NULL,
    seq_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (session_id, message_key)
  );
  CREATE VIRTUAL TABLE search_fts USING fts5(body, content = 'search_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
  CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
  END;
  CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
  END;
  CREATE TRIGGER search_docs_au AFTER UPDATE OF body ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
  END;
`;

/**
 * Characters `snippet()` uses to mark a hit (src-bun/core/search-query.ts);
 * indexed text never contains them, nor other C0 controls but tab and newlines.
 */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** One display message's change within a batch: its text so far and whether it adds to what is stored. */
type Pending = { role: SearchRole; seqId: number; ts: number; text: string; append: boolean };

/** Creates the indexer over a database that has {@link SEARCH_SCHEMA}. */
export function createSearchIndexer(db: Database) {
  // The row keeps the seqId and time of the event that created the message; later events change only its text.
  // Before the migration that defers indexing (when migration 2 back-fills), the old triggers index at once.
  const deferred = db.query(`SELECT 1 FROM pragma_table_info('search_docs') WHERE name = 'indexed'`).get() !== null;
  const upsert = db.query<unknown, [string, string, string, number, number, string, number]>(
    `INSERT INTO search_docs (session_id, message_key, role, seq_id, ts, body${deferred ? ', indexed' : ''}) VALUES (?1, ?2, ?3, ?4, ?5, ?6${deferred ? ', 0' : ''})
     ON CONFLICT (session_id, message_key) DO UPDATE SET body = CASE WHEN ?7 THEN body || excluded.body ELSE excluded.body END`,
  );
  return {
    /**
     * Indexes messages of one session that were just written, in seqId
     * order. Call it only with rows the insert wrote: an `append` given twice
     * would add its text twice. Run it inside the insert's transaction.
     */
    add(sessionId: string, written: readonly WireMessage[]): void {
      const batch = new Map<string, Pending>();
      for (const { seqId, ts, event } of written) {
        const doc = searchDocUpdate(event);
        if (!doc) continue;
        const text = doc.text.replace(CONTROLS, ' ');
        const seen = batch.get(doc.key);
        if (!seen) batch.set(doc.key, { role: doc.role, seqId, ts, text, append: doc.append });
        else if (doc.append) seen.text += text;
        else Object.assign(seen, { text, append: false });
      }
      for (const [key, p] of batch) upsert.run(sessionId, key, p.role, p.seqId, p.ts, p.text, p.append ? 1 : 0);
    },
  };
}

/**
 * The migration that defers indexing: every row already in `search_fts` is
 * marked `indexed = 1`; new rows come in with 0. The insert trigger goes; the
 * delete and update triggers act only on indexed rows (a pending row is not
 * in `search_fts`, and FTS5's 'delete' must be given the text it indexed).
 */
export const DEFERRED_INDEXING = `
  ALTER TABLE search_docs ADD COLUMN indexed INTEGER NOT NULL DEFAULT 1;
  DROP TRIGGER search_docs_ai;
  DROP TRIGGER search_docs_ad;
  DROP TRIGGER search_docs_au;
  CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs WHEN old.indexed = 1 BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
  END;
  CREATE TRIGGER search_docs_au AFTER UPDATE OF body ON search_docs WHEN old.indexed = 1 BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
    UPDATE search_docs SET indexed = 0 WHERE id = new.id;
  END;
  CREATE INDEX search_docs_pending ON search_docs (id) WHERE indexed = 0;
`;

/**
 * Builds the index from every message already stored (run once, by the
 * migration that creates it). A row whose event no longer parses or fits
 * the event model is skipped.
 */
export function backfillSearchIndex(db: Database): void {
  const indexer = createSearchIndexer(db);
  const rows = db.query<{ session_id: string; seq_id: number; ts: number; event_json: string }, []>(
    'SELECT m.session_id, m.seq_id, m.ts, m.event_json FROM messages m JOIN sessions s ON s.id = m.session_id ORDER BY s.created_at, s.rowid, m.seq_id',
  );
  let sessionId: string | null = null;
  let batch: WireMessage[] = [];
  for (const row of rows.iterate()) {
    if (row.session_id !== sessionId) {
      if (sessionId !== null) indexer.add(sessionId, batch);
      sessionId = row.session_id;
      batch = [];
    }
    let raw: unknown;
    try {
      raw = JSON.parse(row.event_json);
    } catch {
      continue;
    }
    const parsed = AgentEventSchema.safeParse(raw);
    if (parsed.success) batch.push({ seqId: row.seq_id, ts: row.ts, event: parsed.data });
  }
  if (sessionId !== null) indexer.add(sessionId, batch);
}
