/** The `worktrees` table: one row per session that runs in an isolated worktree (see worktrees.ts). */
import type { Database } from 'bun:sqlite';
import type { WorktreeInfo, WorktreeState } from '../../src/shared/rpc/worktree';

type Row = { session_id: string; project_id: string; path: string; branch: string; base_branch: string | null; base_commit: string; state: string; created_at: number };

const toInfo = (r: Row): WorktreeInfo => ({
  sessionId: r.session_id, projectId: r.project_id, path: r.path, branch: r.branch, baseBranch: r.base_branch,
  baseCommit: r.base_commit, state: r.state as WorktreeState, createdAt: r.created_at,
});

/** Typed access to the table over an open database (migrated by db.ts). */
export function createWorktreeTable(db: Database) {
  const q = {
    insert: db.query('INSERT INTO worktrees (session_id, project_id, path, branch, base_branch, base_commit, state, created_at) VALUES (?,?,?,?,?,?,?,?)'),
    get: db.query<Row, [string]>('SELECT * FROM worktrees WHERE session_id = ?'),
    ofProject: db.query<Row, [string]>('SELECT * FROM worktrees WHERE project_id = ? ORDER BY created_at'),
    setState: db.query('UPDATE worktrees SET state = ? WHERE session_id = ?'),
    remove: db.query('DELETE FROM worktrees WHERE session_id = ?'),
  };
  return {
    insert(w: WorktreeInfo): void {
      q.insert.run(w.sessionId, w.projectId, w.path, w.branch, w.baseBranch, w.baseCommit, w.state, w.createdAt);
    },
    get: (sessionId: string): WorktreeInfo | null => { const r = q.get.get(sessionId); return r ? toInfo(r) : null; },
    /** A project's worktree rows, oldest first, whatever their state. */
    ofProject: (projectId: string): WorktreeInfo[] => q.ofProject.all(projectId).map(toInfo),
    setState: (sessionId: string, state: WorktreeState): boolean => q.setState.run(state, sessionId).changes > 0,
    remove: (sessionId: string): boolean => q.remove.run(sessionId).changes > 0,
  };
}
export type WorktreeTable = ReturnType<typeof createWorktreeTable>;
