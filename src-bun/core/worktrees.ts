/**
 * Git worktrees per session. A session started with `options.worktree`
 * runs in its own worktree `<dataDir>/worktrees/<projectId>/<short id>` on a
 * new branch `corral/<short id>` from the project's HEAD; the pane shows its
 * changes against that commit, merges them into the base branch of the
 * project folder, or discards worktree and branch.
 *
 * Clean-up: Discard removes both at once. Retention removes a purged
 * session's worktree only when it holds nothing that is not in its base
 * branch; otherwise the session stays and the UI is told
 * (`worktree.retained`). Project removal deletes worktrees with unsaved work
 * only when the user said so; otherwise they are left on disk and named.
 */
import { join, relative } from 'node:path';
import type { Clock } from '../../src/shared/clock';
import type { ProviderId, SessionOptions } from '../../src/shared/providers';
import type { WorktreeFileChange, WorktreeInfo } from '../../src/shared/rpc/worktree';
import { git, isGitWorkTree } from './git';
import type { Logger, Publish, SessionManager } from './session-manager';
import type { Store } from './store';
import { worktreeChanges } from './worktree-changes';
import { addWorktree, branchFor, mergeWorktree, removeWorktree, unsavedWork, WorktreeError } from './worktree-git';
import type { WorktreeTable } from './worktree-table';

type Refusal = { ok: false; error: string; conflicts?: string[] };
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export type WorktreesDeps = {
  store: Store;
  table: WorktreeTable;
  sessions: SessionManager;
  clock: Clock;
  publish: Publish;
  log: Logger;
  /** Folder the worktrees go under (`<dataDir>/worktrees`); null when there is no data dir (an in-memory database): isolation is refused. */
  root: string | null;
};

/** Creates the worktree service over the session manager. */
export function createWorktrees(deps: WorktreesDeps) {
  const { store, table, sessions, clock, log } = deps;

  /** The session's worktree row with its project's folder, or a refusal. */
  function locate(sessionId: string): { wt: WorktreeInfo; projectDir: string } | Refusal {
    const wt = table.get(sessionId);
    if (!wt) return { ok: false, error: 'This session does not run in a worktree' };
    const project = store.projects.get(wt.projectId);
    if (!project) return { ok: false, error: 'The project of this session was removed' };
    if (wt.state === 'discarded') return { ok: false, error: `The worktree of this session was discarded (branch ${wt.branch} is gone)` };
    return { wt, projectDir: project.path };
  }

  /** Removes the worktree and its branch if it holds nothing unsaved (or `force`); returns whether it went. */
  async function release(wt: WorktreeInfo, projectDir: string, force: boolean): Promise<boolean> {
    if (wt.state !== 'discarded') {
      const unsaved = await unsavedWork(wt);
      if (!force && (unsaved.uncommitted.length > 0 || unsaved.commits > 0)) return false;
      await removeWorktree(projectDir, wt);
    }
    table.remove(wt.sessionId);
    return true;
  }

  return {
    /** Whether the project's folder is in a git work tree, so its sessions may run isolated. */
    async available(projectId: string): Promise<{ available: boolean; reason?: string }> {
      const project = store.projects.get(projectId);
      if (!project) return { available: false, reason: `Unknown project ${projectId}` };
      if (!deps.root) return { available: false, reason: 'Corral runs without a data dir' };
      return (await isGitWorkTree(project.path)) ? { available: true } : { available: false, reason: `${project.path} is not in a git repository` };
    },

    /**
     * `agent.start`: a session without `options.worktree` starts as before; with
     * it, the worktree is made first and the session starts in it (in the same
     * subfolder as the project's within its repository). A refused start
     * removes the worktree again.
     */
    async start(p: { projectId: string; provider: ProviderId; prompt: string; options?: SessionOptions }): Promise<{ ok: true; sessionId: string } | Refusal> {
      if (!p.options?.worktree) return sessions.start(p);
      const project = store.projects.get(p.projectId);
      if (!project) return { ok: false, error: `Unknown project ${p.projectId}` };
      if (!deps.root) return { ok: false, error: 'Isolated worktrees need a data dir; this Corral runs without one' };
      if (p.options.cwd) return { ok: false, error: 'An isolated worktree session runs in the worktree: leave the working directory unset' };
      if (!(await isGitWorkTree(project.path))) return { ok: false, error: `${project.path} is not in a git repository: an isolated worktree needs one` };
      const sessionId = crypto.randomUUID();
      const branch = branchFor(sessionId);
      const path = join(deps.root, project.id, branch.slice('corral/'.length));
      let created;
      try {
        const top = (await git(project.path, ['rev-parse', '--show-toplevel'])).trim();
        created = { ...(await addWorktree(project.path, path, branch)), sub: relative(top, project.path) };
      } catch (e) {
        return { ok: false, error: `Could not create the worktree: ${message(e)}` };
      }
      const info: WorktreeInfo = { sessionId, projectId: project.id, path, branch, baseBranch: created.baseBranch, baseCommit: created.baseCommit, state: 'active', createdAt: clock.now() };
      table.insert(info);
      const res = sessions.start({ ...p, isolated: { sessionId, cwd: join(path, created.sub) } });
      if (!res.ok) {
        await removeWorktree(project.path, info).catch((e) => log.warn(`could not remove the worktree of a refused start: ${message(e)}`));
        table.remove(sessionId);
      }
      return res;
    },

    /** Why a prompt to this session cannot run (its worktree was discarded), or null. */
    promptRefusal(sessionId: string): string | null {
      const wt = table.get(sessionId);
      return wt?.state === 'discarded'
        ? `This session's worktree was discarded (branch ${wt.branch} and its folder are gone), so the agent has nowhere to run. Start a new session.`
        : null;
    },

    isolated: (sessionId: string): boolean => table.get(sessionId) !== null,
    info: (sessionId: string): WorktreeInfo | null => table.get(sessionId),

    /** The session's changes against its base commit. */
    async changes(sessionId: string): Promise<{ ok: true; files: WorktreeFileChange[]; more: boolean } | Refusal> {
      const at = locate(sessionId);
      if ('ok' in at) return at;
      try {
        return { ok: true, ...(await worktreeChanges(at.wt.path, at.wt.baseCommit)) };
      } catch (e) {
        return { ok: false, error: `Could not read the changes: ${message(e)}` };
      }
    },

    /** Merges the session's work into the base branch of the project folder (see mergeWorktree). */
    async merge(sessionId: string): Promise<{ ok: true; mergeCommit: string; files: string[]; worktree: WorktreeInfo } | Refusal> {
      const at = locate(sessionId);
      if ('ok' in at) return at;
      try {
        const result = await mergeWorktree(at.projectDir, at.wt);
        table.setState(sessionId, 'merged');
        log.info(`session ${sessionId}: merged ${at.wt.branch} into ${at.wt.baseBranch} (${result.mergeCommit})`);
        return { ok: true, ...result, worktree: table.get(sessionId)! };
      } catch (e) {
        return { ok: false, error: message(e), ...(e instanceof WorktreeError && e.conflicts.length ? { conflicts: e.conflicts } : {}) };
      }
    },

    /** Stops the session, then removes its worktree and branch whatever they hold (the UI asked the user). */
    async discard(sessionId: string): Promise<{ ok: true; worktree: WorktreeInfo } | Refusal> {
      const at = locate(sessionId);
      if ('ok' in at) return at;
      await sessions.stop(sessionId);
      try {
        await removeWorktree(at.projectDir, at.wt);
      } catch (e) {
        return { ok: false, error: `Could not discard the worktree: ${message(e)}` };
      }
      table.setState(sessionId, 'discarded');
      return { ok: true, worktree: table.get(sessionId)! };
    },

    /** The project's worktrees holding work that is not in their base branch. */
    async unsaved(projectId: string): Promise<{ sessionId: string; path: string; branch: string; uncommitted: number; commits: number }[]> {
      const out = [];
      for (const wt of table.ofProject(projectId)) {
        if (wt.state === 'discarded') continue;
        const u = await unsavedWork(wt).catch(() => ({ uncommitted: [], commits: 0 }));
        if (u.uncommitted.length || u.commits) out.push({ sessionId: wt.sessionId, path: wt.path, branch: wt.branch, uncommitted: u.uncommitted.length, commits: u.commits });
      }
      return out;
    },

    /**
     * Retention's hook: of the sessions it would remove, those whose worktree
     * holds unsaved work stay (and the UI is told); the others' worktrees are removed.
     */
    async purgeable(projectId: string, ids: string[]): Promise<string[]> {
      const projectDir = store.projects.get(projectId)?.path;
      const kept: WorktreeInfo[] = [];
      const go: string[] = [];
      for (const id of ids) {
        const wt = table.get(id);
        let released = true;
        if (wt && projectDir) released = await release(wt, projectDir, false).catch((e) => (log.warn(`retention kept session ${id}: ${message(e)}`), false));
        if (released) go.push(id);
        else if (wt) kept.push(wt);
      }
      if (kept.length) deps.publish('worktree.retained', { projectId, worktrees: kept.map((w) => ({ sessionId: w.sessionId, path: w.path, branch: w.branch })) });
      return go;
    },

    /**
     * Project removal's hook, after its sessions stopped: removes the project's
     * worktrees; those with unsaved work only when `deleteUnsaved`, else they are
     * left on disk and returned. Either way no row outlives the project.
     */
    async removeProject(projectId: string, deleteUnsaved: boolean): Promise<{ path: string; branch: string }[]> {
      const projectDir = store.projects.get(projectId)?.path;
      const kept: { path: string; branch: string }[] = [];
      for (const wt of table.ofProject(projectId)) {
        const released = projectDir ? await release(wt, projectDir, deleteUnsaved).catch((e) => (log.warn(`could not remove worktree ${wt.path}: ${message(e)}`), false)) : false;
        if (!released) kept.push({ path: wt.path, branch: wt.branch });
        table.remove(wt.sessionId);
      }
      return kept;
    },
  };
}
export type Worktrees = ReturnType<typeof createWorktrees>;
