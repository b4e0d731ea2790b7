/**
 * The `history_imports` table (migration in db.ts): one row per imported CLI
 * session file, naming the Corral session it made. Rows go with their
 * session (ON DELETE CASCADE), so a session removed by retention or by the
 * user can be imported again.
 */
import type { Database } from 'bun:sqlite';

/** One finished import. `lines`/`badLines` count the file's non-blank lines and those skipped as not JSON. */
export type ImportRecord = { sourcePath: string; providerSessionId: string; sessionId: string; lines: number; badLines: number; messages: number; importedAt: number };

/** Prepared access to `history_imports`. */
export function createImportRecords(db: Database) {
  const find = db.query<{ session_id: string }, [string, string]>('SELECT session_id FROM history_imports WHERE source_path = ? AND provider_session_id = ?');
  const insert = db.query(`INSERT INTO history_imports (source_path, provider_session_id, session_id, lines, bad_lines, messages, imported_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  return {
    /** The session an earlier import of this file made, or null. */
    sessionOf: (sourcePath: string, providerSessionId: string): string | null => find.get(sourcePath, providerSessionId)?.session_id ?? null,
    /** Records a finished import; a second record for the same file is ignored (returns false). */
    add: (r: ImportRecord): boolean =>
      insert.run(r.sourcePath, r.providerSessionId, r.sessionId, r.lines, r.badLines, r.messages, r.importedAt).changes > 0,
  };
}
