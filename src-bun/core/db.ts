/**
 * The SQLite database (bun:sqlite, WAL) and its versioned migrations.
 * `PRAGMA user_version` holds the number of migrations applied; each
 * migration runs in its own transaction, so a crash mid-upgrade leaves the
 * previous version intact.
 */
import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROMPT_QUEUE_SCHEMA } from './prompt-queue-store';
import { SEARCH_FOLDED } from './search-catch-up';
import { backfillSearchIndex, DEFERRED_INDEXING, SEARCH_SCHEMA } from './search-index';
import { backfillUsage, USAGE_SCHEMA } from './usage-log';

/** One schema step: SQL, or a function for a step that must also move data (it runs in the step's transaction). */
export type Migration = string | ((db: Database) => void);

/** Migration N (1-based) brings the schema from version N-1 to N. Append only; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE projects (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     path TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
     provider TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     error TEXT,
     provider_session_id TEXT,
     model TEXT,
     cost_usd REAL,
     input_tokens INTEGER NOT NULL DEFAULT 0,
     output_tokens INTEGER NOT NULL DEFAULT 0,
     cwd TEXT NOT NULL DEFAULT '',
     options_json TEXT NOT NULL DEFAULT '{}',
     sidecar_pid INTEGER,
     sidecar_start_ticks INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_by_project ON sessions(project_id, created_at);
   CREATE TABLE messages (
     session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     seq_id INTEGER NOT NULL,
     ts INTEGER NOT NULL,
     event_json TEXT NOT NULL,
     PRIMARY KEY (session_id, seq_id)
   ) WITHOUT ROWID;
   CREATE TABLE settings (
     key TEXT PRIMARY KEY,
     value_json TEXT NOT NULL
   );`,
  // 2: full-text search over every stored message (src-bun/core/search-index.ts), built from what is stored.
  (db) => {
    db.run(SEARCH_SCHEMA);
    backfillSearchIndex(db);
  },
  // Prompt queue (issue 11): prompts queued while a turn runs (src-bun/core/prompt-queue-store.ts).
  PROMPT_QUEUE_SCHEMA,
  // Budget and usage: the usage log (src-bun/core/usage-log.ts), backfilled from the sessions' stored totals.
  (db) => {
    db.run(USAGE_SCHEMA);
    backfillUsage(db);
  },
  // Git worktrees per session (src-bun/core/worktrees.ts). No foreign keys: a row outlives its session
  // and project until the worktree on disk is removed, so nothing on disk is ever forgotten.
  `CREATE TABLE worktrees (
     session_id TEXT PRIMARY KEY,
     project_id TEXT NOT NULL,
     path TEXT NOT NULL,
     branch TEXT NOT NULL,
     base_branch TEXT,
     base_commit TEXT NOT NULL,
     state TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX worktrees_by_project ON worktrees(project_id);`,
  // history import (src-bun/core/history-import/): which CLI session file made which Corral session, so a second import adds nothing.
  `CREATE TABLE history_imports (
     source_path TEXT NOT NULL,
     provider_session_id TEXT NOT NULL,
     session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
     lines INTEGER NOT NULL,
     bad_lines INTEGER NOT NULL,
     messages INTEGER NOT NULL,
     imported_at INTEGER NOT NULL,
     PRIMARY KEY (source_path, provider_session_id)
   );
   CREATE INDEX history_imports_by_session ON history_imports(session_id);`,
  // Search indexing off the message write (issue 12): rows wait with indexed = 0 for the catch-up (src-bun/core/search-index.ts).
  DEFERRED_INDEXING,
  // Search documents derived off the message write too (issue 12): a watermark per session (src-bun/core/search-catch-up.ts).
  SEARCH_FOLDED,
];

/**
 * Opens (creating if needed) the database at `file` — `':memory:'` for tests —
 * in WAL mode with foreign keys on, and applies pending migrations.
 * Throws if the file is from a newer Corral (user_version above ours).
 */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { create: true, strict: true });
  db.run('PRAGMA journal_mode = WAL');
  db.run('PRAGMA synchronous = NORMAL');
  db.run('PRAGMA foreign_keys = ON');
  db.run('PRAGMA busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Database): void {
  const { user_version: current } = db.query('PRAGMA user_version').get() as { user_version: number };
  if (current > MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this Corral understands (${MIGRATIONS.length}); upgrade Corral`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const step = MIGRATIONS[v];
    db.transaction(() => {
      if (typeof step === 'string') db.run(step);
      else step(db);
      db.run(`PRAGMA user_version = ${v + 1}`);
    })();
  }
}
