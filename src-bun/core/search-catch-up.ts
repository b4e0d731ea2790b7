/**
 * The deferred half of the session search (the index itself:
 * src-bun/core/search-index.ts). A message write stores rows in `messages`
 * only; this catch-up, run later by src-bun/core/search-indexing.ts or first
 * thing by a search, does the rest in two steps:
 *
 * 1. **Fold:** each session's messages above its watermark
 *    (`search_folded.through_seq`, {@link SEARCH_FOLDED}) become
 *    `search_docs` rows, in seqId order, and the watermark moves to the last
 *    one. Each message is folded exactly once: a retried write of the same
 *    seqIds adds nothing to `messages`, and the watermark never goes back.
 * 2. **Index:** `search_docs` rows waiting with `indexed = 0` go into
 *    `search_fts`, oldest first.
 *
 * A message written at or below its session's watermark (out of seqId order)
 * would never be folded here; the store folds such rows at once instead
 * ({@link SearchCatchUp.foldedThrough}).
 */
import type { Database } from 'bun:sqlite';
import type { AgentEvent, WireMessage } from '../../src/shared/events';
import { searchDocUpdate } from '../../src/shared/search';
import { createSearchIndexer } from './search-index';

/**
 * The migration that takes folding off the write: one watermark per session,
 * the highest seqId folded into `search_docs`. Messages stored before it
 * were folded by their writes, so each session starts at its last seqId.
 */
export const SEARCH_FOLDED = `
  CREATE TABLE search_folded (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    through_seq INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO search_folded (session_id, through_seq) SELECT session_id, MAX(seq_id) FROM messages GROUP BY session_id;
`;

/** A stored message as `messages` holds it, read as an array: seq_id, ts, event_json. */
type MessageRow = [number, number, string];

/** The stored event of a row, or null when it is not JSON or not an event the index can read (it is skipped). */
function storedEvent(json: string): AgentEvent | null {
  try {
    const event = JSON.parse(json) as AgentEvent;
    searchDocUpdate(event);
    return event;
  } catch {
    return null;
  }
}

/**
 * Creates the catch-up over a database with the search schema, {@link
 * DEFERRED_INDEXING} and {@link SEARCH_FOLDED} (every database
 * `openDatabase` returns). Every method throws what SQLite throws; a step
 * that fails changes nothing (each is one transaction).
 */
export function createSearchCatchUp(db: Database) {
  const indexer = createSearchIndexer(db);
  const throughOf = db.query<{ through_seq: number }, [string]>('SELECT through_seq FROM search_folded WHERE session_id = ?');
  const setThrough = db.query<unknown, [string, number]>(
    'INSERT INTO search_folded (session_id, through_seq) VALUES (?1, ?2) ON CONFLICT (session_id) DO UPDATE SET through_seq = excluded.through_seq',
  );
  const unfolded = db.query<MessageRow, [string, number, number]>(
    'SELECT seq_id, ts, event_json FROM messages WHERE session_id = ? AND seq_id > ? ORDER BY seq_id LIMIT ?',
  );
  const unfoldedCount = db.query<{ n: number }, [string, number]>('SELECT COUNT(*) AS n FROM messages WHERE session_id = ? AND seq_id > ?');
  const maxSeq = db.query<{ m: number | null }, [string]>('SELECT MAX(seq_id) AS m FROM messages WHERE session_id = ?');
  const sessionIds = db.query<{ id: string }, []>('SELECT id FROM sessions ORDER BY created_at, rowid');
  const nextDocs = db.query<{ id: number; body: string }, [number]>('SELECT id, body FROM search_docs WHERE indexed = 0 ORDER BY id LIMIT ?');
  const addFts = db.query<unknown, [number, string]>('INSERT INTO search_fts (rowid, body) VALUES (?, ?)');
  const markIndexed = db.query<unknown, [number]>('UPDATE search_docs SET indexed = 1 WHERE id = ?');
  const docsPending = db.query<{ n: number }, []>('SELECT COUNT(*) AS n FROM search_docs WHERE indexed = 0');

  const foldedThrough = (sessionId: string): number => throughOf.get(sessionId)?.through_seq ?? -1;
  /** Sessions that may hold unfolded messages, in the order they were written. */
  const dirty = new Set<string>();
  /** Whether the sessions were looked at since open, for messages a crash or a quit left unfolded (done by the first step, not by a write). */
  let scanned = false;
  const dirtySessions = (): Set<string> => {
    if (scanned) return dirty;
    scanned = true;
    for (const { id } of sessionIds.all()) if ((maxSeq.get(id)?.m ?? -1) > foldedThrough(id)) dirty.add(id);
    return dirty;
  };

  /** Folds up to `limit` messages of one session; returns how many rows it read (skipped ones too). */
  const foldSession = db.transaction((sessionId: string, limit: number): number => {
    const rows = unfolded.values(sessionId, foldedThrough(sessionId), limit) as MessageRow[];
    if (rows.length === 0) return 0;
    const messages: WireMessage[] = [];
    for (const [seqId, ts, json] of rows) {
      const event = storedEvent(json);
      if (event) messages.push({ seqId, ts, event });
    }
    indexer.add(sessionId, messages);
    setThrough.run(sessionId, rows[rows.length - 1]![0]);
    return rows.length;
  });

  /** Folds up to `limit` messages, session by session; returns how many. */
  function foldSome(limit: number): number {
    const sessions = dirtySessions();
    let done = 0;
    for (const sessionId of sessions) {
      const want = limit - done;
      if (want <= 0) break;
      const n = foldSession(sessionId, want);
      done += n;
      // Fewer than asked: nothing is left above its watermark.
      if (n < want) sessions.delete(sessionId);
    }
    return done;
  }

  const indexDocs = db.transaction((limit: number): number => {
    const rows = nextDocs.all(limit);
    for (const r of rows) {
      addFts.run(r.id, r.body);
      markIndexed.run(r.id);
    }
    return rows.length;
  });

  /** One step of at most `limit` rows: messages folded first, then documents indexed with what is left of it. */
  function step(limit: number): number {
    const folded = foldSome(limit);
    return folded < limit ? folded + indexDocs(limit - folded) : folded;
  }

  return {
    /** The session's watermark: the highest seqId folded into `search_docs`, or -1. */
    foldedThrough,
    /**
     * Folds at once messages just written at or below their session's watermark (ordered by seqId), which the
     * catch-up would skip. Call it in the write's transaction, only with rows the write added.
     */
    foldLate(sessionId: string, messages: readonly WireMessage[]): void {
      indexer.add(sessionId, messages);
    },
    /** The session has new messages above its watermark. */
    written(sessionId: string): void {
      dirty.add(sessionId);
    },
    /** Messages waiting to be folded plus documents waiting to be indexed. */
    pending(): number {
      let messages = 0;
      for (const id of dirtySessions()) messages += unfoldedCount.get(id, foldedThrough(id))?.n ?? 0;
      return messages + (docsPending.get()?.n ?? 0);
    },
    /**
     * Catches up by at most `limit` rows (messages folded, then documents indexed); returns how many. Fewer
     * than `limit` means nothing is left.
     */
    indexSome: (limit: number): number => step(limit),
    /** Catches up on everything, in steps of `chunk` rows; returns how many rows it took. */
    indexAll(chunk = 5000): number {
      let total = 0;
      for (let n = step(chunk); n > 0; n = step(chunk)) total += n;
      return total;
    },
  };
}
/** The deferred search indexing of a store. */
export type SearchCatchUp = ReturnType<typeof createSearchCatchUp>;
