/**
 * Conflict warning: two sessions with running turns in the same checkout
 * (neither in its own worktree) that write the same file. Pure bookkeeping
 * over normalized tool calls: which files each session's running turn wrote,
 * by the tool call's paths. A file write is a tool call with edits (Claude
 * Edit/Write/MultiEdit, Codex file changes, ACP diffs, as the adapters
 * normalize them), or a file tool known to write (`Write`, `Edit`,
 * `MultiEdit`, `NotebookEdit`, Codex `apply_patch`) with a path, or an ACP
 * `edit`/`delete`/`move` tool with a location. Each pair of sessions is warned
 * once per file.
 */
import { isAbsolute, resolve } from 'node:path';
import type { AgentEvent } from '../../src/shared/events';

const WRITING_TOOLS = /^(Write|Edit|MultiEdit|NotebookEdit|apply_patch|write_file|replace|edit|delete|move)$/;

/** The absolute paths a tool call writes, resolved against the session's cwd; empty for reads and shell commands. */
export function writtenPaths(event: Extract<AgentEvent, { type: 'tool_call' }>, cwd: string): string[] {
  const paths = new Set<string>();
  for (const edit of event.edits ?? []) if (edit.path) paths.add(edit.path);
  if (event.path && WRITING_TOOLS.test(event.name)) paths.add(event.path);
  return [...paths].map((p) => (isAbsolute(p) ? resolve(p) : resolve(cwd, p)));
}

/** A warning to raise in both sessions: `sessionIds` wrote `path` during their running turns. */
export type WriteConflict = { path: string; sessionIds: [string, string] };

/** Creates the detector. It holds only the files written by turns still running. */
export function createWriteConflictDetector() {
  /** Per session: the absolute paths its running turn wrote. */
  const written = new Map<string, Set<string>>();
  const warned = new Set<string>();

  return {
    /**
     * Notes a session's event. A tool call in a shared checkout records its
     * written paths and returns the conflicts it makes with other sessions'
     * running turns (new ones only). `isolated` sessions (own worktree) are
     * never in conflict: their files are their own.
     */
    note(session: { id: string; cwd: string; isolated: boolean }, event: AgentEvent): WriteConflict[] {
      if (event.type !== 'tool_call' || session.isolated) return [];
      const paths = writtenPaths(event, session.cwd);
      if (paths.length === 0) return [];
      let mine = written.get(session.id);
      if (!mine) written.set(session.id, (mine = new Set()));
      const out: WriteConflict[] = [];
      for (const path of paths) {
        mine.add(path);
        for (const [other, theirs] of written) {
          if (other === session.id || !theirs.has(path)) continue;
          const key = `${[session.id, other].sort().join('|')}|${path}`;
          if (warned.has(key)) continue;
          warned.add(key);
          out.push({ path, sessionIds: [session.id, other] });
        }
      }
      return out;
    },
    /** The session's turn ended (or its sidecar went): its writes no longer count. */
    turnEnded(sessionId: string): void {
      written.delete(sessionId);
      for (const key of warned) if (key.split('|').includes(sessionId)) warned.delete(key);
    },
  };
}
export type WriteConflictDetector = ReturnType<typeof createWriteConflictDetector>;

/**
 * Wires the detector into the main process: every sidecar event of a live
 * session goes through `note`; a conflict puts a warning (a non-fatal
 * `error` event, so it is stored with the transcript) in both sessions and
 * tells the UI (`worktree.conflict`, shown as a toast).
 */
export function createConflictWarnings(deps: {
  /** Stamps an event into a session's transcript (session-ingest's `admit`). */
  admit: (sessionId: string, event: AgentEvent) => void;
  /** The project of a session that the main process holds, if any. */
  projectOf: (sessionId: string) => string | undefined;
  /** True when the session runs in its own worktree. */
  isolated: (sessionId: string) => boolean;
  publish: (payload: { projectIds: string[]; sessionIds: string[]; path: string }) => void;
}) {
  const detector = createWriteConflictDetector();
  const short = (id: string) => id.slice(0, 8);
  return {
    note(session: { id: string; cwd: string }, event: AgentEvent): void {
      if (event.type === 'status' && event.status !== 'running') return detector.turnEnded(session.id);
      // Most tool calls write nothing: only a writing one asks whether the session has a worktree (a lookup in the store).
      if (event.type !== 'tool_call' || writtenPaths(event, session.cwd).length === 0) return;
      for (const c of detector.note({ ...session, isolated: deps.isolated(session.id) }, event)) {
        const [a, b] = c.sessionIds;
        const warn = (self: string, other: string) =>
          deps.admit(self, { type: 'error', message: `Conflict warning: session ${short(other)} also wrote ${c.path} while both were running in the same checkout. One may overwrite the other's change; check the file.` });
        warn(a, b);
        warn(b, a);
        const projectIds = [...new Set([a, b].map(deps.projectOf).filter((p): p is string => !!p))];
        deps.publish({ projectIds, sessionIds: [a, b], path: c.path });
      }
    },
    /** The session's sidecar went away: its running turn is over. */
    ended: (sessionId: string): void => detector.turnEnded(sessionId),
  };
}
