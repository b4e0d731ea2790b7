/**
 * Typed access to the tables: projects, sessions, messages, settings, and
 * the search index. All statements are prepared once. Message writes are
 * idempotent on `(session_id, seq_id)`: a flush that runs twice is harmless.
 * A write stores the rows only; the search catches up on them later
 * (src-bun/core/search-catch-up.ts).
 */
import type { Database } from 'bun:sqlite';
import type { AgentEvent, SessionStatus, StatusReason, WireMessage } from '../../src/shared/events';
import type { ProviderId } from '../../src/shared/providers';
import type { Project, SessionRecord } from '../../src/shared/records';
import { DEFAULT_SETTINGS, SETTING_KEYS, type Settings } from '../../src/shared/settings';
import { openDatabase } from './db';
import { createSearchCatchUp } from './search-catch-up';
import { createSearchQuery } from './search-query';
import { createUsageLog } from './usage-log';

type SessionRow = {
  id: string; project_id: string; provider: string; status: string; reason: string | null; error: string | null;
  provider_session_id: string | null; model: string | null; cost_usd: number | null; input_tokens: number;
  output_tokens: number; cwd: string; options_json: string; sidecar_pid: number | null; sidecar_start_ticks: number | null;
  created_at: number; updated_at: number;
};

/** A session row as the main process needs it: the UI record plus where and how it runs. */
export type StoredSession = SessionRecord & {
  cwd: string;
  optionsJson: string;
  sidecarPid: number | null;
  /** /proc start time of the recorded sidecar, in clock ticks after boot: with the pid it tells our orphan from a reused pid */
  sidecarStartTicks: number | null;
};

const toRecord = (r: SessionRow): StoredSession => ({
  id: r.id, projectId: r.project_id, provider: r.provider as ProviderId, status: r.status as SessionStatus,
  reason: (r.reason as StatusReason | null) ?? null, error: r.error, providerSessionId: r.provider_session_id, model: r.model,
  costUsd: r.cost_usd, inputTokens: r.input_tokens, outputTokens: r.output_tokens, createdAt: r.created_at, updatedAt: r.updated_at,
  cwd: r.cwd, optionsJson: r.options_json, sidecarPid: r.sidecar_pid, sidecarStartTicks: r.sidecar_start_ticks,
});

/** A stored message as SELECTed: named as on the wire, with `event` still the JSON text that `save` wrote. */
type MessageRow = { seqId: number; ts: number; event: string | AgentEvent };
const MESSAGE_COLUMNS = 'seq_id AS seqId, ts, event_json AS event';

/**
 * Turns SELECTed message rows into wire messages in place: each row's `event` text is parsed (the JSON of an
 * AgentEvent that `save` stored), and the row objects themselves are returned, so a load of 20,000 messages
 * makes no second object per row. Throws SyntaxError on a row that is not JSON (only a hand-edited database has one).
 */
function decodeRows(rows: MessageRow[]): WireMessage[] {
  for (let i = 0; i < rows.length; i++) rows[i]!.event = JSON.parse(rows[i]!.event as string) as AgentEvent;
  return rows as WireMessage[];
}

/** Creates the store over a database file (`':memory:'` for tests). */
export function createStore(file: string) {
  const db: Database = openDatabase(file);

  const q = {
    listProjects: db.query<{ id: string; name: string; path: string; created_at: number }, []>('SELECT * FROM projects ORDER BY created_at, rowid'),
    getProject: db.query<{ id: string; name: string; path: string; created_at: number }, [string]>('SELECT * FROM projects WHERE id = ?'),
    projectByPath: db.query<{ id: string; name: string; path: string; created_at: number }, [string]>('SELECT * FROM projects WHERE path = ?'),
    insertProject: db.query('INSERT INTO projects (id, name, path, created_at) VALUES (?, ?, ?, ?)'),
    deleteProject: db.query('DELETE FROM projects WHERE id = ?'),
    insertSession: db.query(`INSERT INTO sessions (id, project_id, provider, status, reason, error, provider_session_id, model, cost_usd,
      input_tokens, output_tokens, cwd, options_json, sidecar_pid, sidecar_start_ticks, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`),
    getSession: db.query<SessionRow, [string]>('SELECT * FROM sessions WHERE id = ?'),
    lastSession: db.query<SessionRow, [string]>('SELECT * FROM sessions WHERE project_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1'),
    sessionsByStatus: db.query<SessionRow, [string, string]>('SELECT * FROM sessions WHERE status IN (?, ?)'),
    sessionsWithSidecar: db.query<SessionRow, []>('SELECT * FROM sessions WHERE sidecar_pid IS NOT NULL'),
    sessionsOfProject: db.query<SessionRow, [string]>('SELECT * FROM sessions WHERE project_id = ? ORDER BY created_at DESC, rowid DESC'),
    deleteSession: db.query('DELETE FROM sessions WHERE id = ?'),
    insertMessage: db.query('INSERT OR IGNORE INTO messages (session_id, seq_id, ts, event_json) VALUES (?, ?, ?, ?)'),
    loadMessages: db.query<MessageRow, [string]>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session_id = ? ORDER BY seq_id`),
    loadMessagesAfter: db.query<MessageRow, [string, number]>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND seq_id > ? ORDER BY seq_id`),
    loadMessagesBefore: db.query<MessageRow, [string, number, number]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND seq_id < ? ORDER BY seq_id DESC LIMIT ?`,
    ),
    maxSeq: db.query<{ m: number | null }, [string]>('SELECT MAX(seq_id) AS m FROM messages WHERE session_id = ?'),
    getSetting: db.query<{ key: string; value_json: string }, []>('SELECT key, value_json FROM settings'),
    putSetting: db.query('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json'),
  };

  const project = (r: { id: string; name: string; path: string; created_at: number }): Project => ({ id: r.id, name: r.name, path: r.path, createdAt: r.created_at });

  const searchCatchUp = createSearchCatchUp(db);
  const query = createSearchQuery(db);
  const writeListeners = new Set<() => void>();
  // Rows only: the search documents are derived later (src-bun/core/search-catch-up.ts), but for a row written
  // at or below its session's fold watermark, which the catch-up would never reach.
  const insertMessages = db.transaction((sessionId: string, messages: readonly WireMessage[]): number => {
    const through = searchCatchUp.foldedThrough(sessionId);
    const late: WireMessage[] = [];
    let written = 0;
    let above = false;
    for (const m of messages) {
      if (q.insertMessage.run(sessionId, m.seqId, m.ts, JSON.stringify(m.event)).changes === 0) continue;
      written++;
      if (m.seqId <= through) late.push(m);
      else above = true;
    }
    if (late.length) searchCatchUp.foldLate(sessionId, late.sort((a, b) => a.seqId - b.seqId));
    if (above) searchCatchUp.written(sessionId);
    return written;
  });

  return {
    db,
    projects: {
      list: (): Project[] => q.listProjects.all().map(project),
      get: (id: string): Project | null => { const r = q.getProject.get(id); return r ? project(r) : null; },
      byPath: (path: string): Project | null => { const r = q.projectByPath.get(path); return r ? project(r) : null; },
      insert: (p: Project): void => { q.insertProject.run(p.id, p.name, p.path, p.createdAt); },
      /** Deletes the project with its sessions and messages (ON DELETE CASCADE). */
      remove: (id: string): boolean => q.deleteProject.run(id).changes > 0,
    },
    sessions: {
      insert(s: StoredSession): void {
        q.insertSession.run(s.id, s.projectId, s.provider, s.status, s.reason, s.error, s.providerSessionId, s.model, s.costUsd,
          s.inputTokens, s.outputTokens, s.cwd, s.optionsJson, s.sidecarPid, s.sidecarStartTicks, s.createdAt, s.updatedAt);
      },
      get: (id: string): StoredSession | null => { const r = q.getSession.get(id); return r ? toRecord(r) : null; },
      last: (projectId: string): StoredSession | null => { const r = q.lastSession.get(projectId); return r ? toRecord(r) : null; },
      /** Sessions whose status is one of the two given, e.g. the ones that were live when the app died. */
      withStatus: (a: SessionStatus, b: SessionStatus): StoredSession[] => q.sessionsByStatus.all(a, b).map(toRecord),
      /** A project's sessions, newest first. */
      ofProject: (projectId: string): StoredSession[] => q.sessionsOfProject.all(projectId).map(toRecord),
      /** Deletes sessions with their messages (ON DELETE CASCADE), in one transaction. Returns how many rows went. */
      remove: (ids: readonly string[]): number => db.transaction(() => ids.reduce((n, id) => n + q.deleteSession.run(id).changes, 0))(),
      /** Sessions with a recorded sidecar pid (after a crash: possible orphans). */
      withSidecar: (): StoredSession[] => q.sessionsWithSidecar.all().map(toRecord),
      /** Updates the given columns of a session; unknown sessions are ignored (returns false). */
      update(id: string, patch: Partial<Omit<StoredSession, 'id' | 'projectId' | 'createdAt'>>): boolean {
        const cols: Record<string, string> = {
          provider: 'provider', status: 'status', reason: 'reason', error: 'error', providerSessionId: 'provider_session_id',
          model: 'model', costUsd: 'cost_usd', inputTokens: 'input_tokens', outputTokens: 'output_tokens', cwd: 'cwd',
          optionsJson: 'options_json', sidecarPid: 'sidecar_pid', sidecarStartTicks: 'sidecar_start_ticks', updatedAt: 'updated_at',
        };
        const sets: string[] = [];
        const values: (string | number | null)[] = [];
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined || !(key in cols)) continue;
          sets.push(`${cols[key]} = ?`);
          values.push(value as string | number | null);
        }
        if (sets.length === 0) return false;
        return db.query(`UPDATE sessions SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes > 0;
      },
    },
    messages: {
      /** Idempotent on (session_id, seq_id), in one transaction. */
      save(sessionId: string, messages: readonly WireMessage[]): void {
        if (messages.length && insertMessages(sessionId, messages) > 0) for (const listener of writeListeners) listener();
      },
      /** Calls `listener` after each save that wrote new rows (they then wait for the search catch-up). Returns the unsubscribe. */
      onWrite(listener: () => void): () => void {
        writeListeners.add(listener);
        return () => writeListeners.delete(listener);
      },
      load: (sessionId: string): WireMessage[] => decodeRows(q.loadMessages.all(sessionId)),
      /** Stored messages of the session with a seqId above `afterSeqId`, ordered by seqId. */
      loadAfter: (sessionId: string, afterSeqId: number): WireMessage[] => decodeRows(q.loadMessagesAfter.all(sessionId, afterSeqId)),
      /**
       * The newest `limit` stored messages with a seqId below `beforeSeqId`, ordered by seqId (a page of the
       * transcript, read backwards from its end); `more` says older ones exist.
       */
      loadBefore: (sessionId: string, beforeSeqId: number, limit: number): { messages: WireMessage[]; more: boolean } => {
        const rows = q.loadMessagesBefore.all(sessionId, beforeSeqId, limit + 1);
        const more = rows.length > limit;
        if (more) rows.length = limit;
        return { messages: decodeRows(rows.reverse()), more };
      },
      /** Highest stored seqId of the session, or -1. */
      maxSeqId: (sessionId: string): number => q.maxSeq.get(sessionId)?.m ?? -1,
    },
    /**
     * Full-text search over every stored message (src-bun/core/search-query.ts): indexes what is pending
     * first, so a message stored a moment ago is found too. Throws SearchQueryError for a bad query.
     */
    search(input: string, limit: number) {
      searchCatchUp.indexAll();
      return query(input, limit);
    },
    /** The deferred search indexing (src-bun/core/search-catch-up.ts), which src-bun/core/search-indexing.ts schedules. */
    searchIndex: searchCatchUp,
    /** What sessions spent, per cost report (src-bun/core/usage-log.ts). */
    usage: createUsageLog(db),
    settings: {
      /** Every setting, stored values over defaults; a stored value that no longer parses falls back to its default. */
      getAll(): Settings {
        const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
        for (const { key, value_json } of q.getSetting.all()) {
          if (!(SETTING_KEYS as string[]).includes(key)) continue;
          try { out[key] = JSON.parse(value_json); } catch { /* keep the default */ }
        }
        return out as Settings;
      },
      set: (key: string, value: unknown): void => { q.putSetting.run(key, JSON.stringify(value)); },
    },
    close: (): void => db.close(),
  };
}
/** The persistence layer of the core. */
export type Store = ReturnType<typeof createStore>;
