/**
 * Worktrees per session, as the UI sees them: whether a project can start
 * isolated sessions, each session's worktree (branch, base, state), its
 * changes, and Merge and Discard. Everything is fetched from the main
 * process (`worktree.*`), which alone runs git; this store only remembers
 * the answers and turns refusals into messages. It also shows the main
 * process's warnings as toasts: two sessions writing one file in a shared
 * checkout (`worktree.conflict`), and sessions retention kept because their
 * worktrees hold unsaved work (`worktree.retained`).
 */
import { SvelteMap } from 'svelte/reactivity';
import type { WorktreeFileChange, WorktreeInfo } from '../../shared/rpc/worktree';
import type { RpcClient } from '../rpc/types';
import type { Notify } from './toasts.svelte';

/** A session's changes as last fetched. */
export interface WorktreeChangesView {
  readonly loading: boolean;
  readonly files: readonly WorktreeFileChange[];
  /** More files changed than were listed. */
  readonly more: boolean;
  readonly error: string | null;
}

/** What Merge or Discard answered: ok, or the reason and any conflicting files. */
export type WorktreeActionResult = { ok: true } | { ok: false; error: string; conflicts?: string[] };

/** The worktree store's public face. */
export interface WorktreeStore {
  /** Whether the project's folder is in a git repository (undefined until asked: call {@link WorktreeStore.checkAvailable}). */
  available(projectId: string): boolean | undefined;
  /** Asks the main process whether the project can have isolated sessions. */
  checkAvailable(projectId: string): Promise<void>;
  /** The session's worktree: null when it runs in the project folder, undefined until loaded ({@link WorktreeStore.loadInfo}). */
  info(sessionId: string): WorktreeInfo | null | undefined;
  /** Fetches the session's worktree once (again with `force`). */
  loadInfo(sessionId: string, force?: boolean): Promise<void>;
  /** The session's changes as last fetched, if ever. */
  changes(sessionId: string): WorktreeChangesView | undefined;
  /** Fetches the session's changes against its base commit. */
  loadChanges(sessionId: string): Promise<void>;
  /** A Merge or Discard is under way for the session. */
  busy(sessionId: string): boolean;
  /** Merges the session's branch into its base branch; a toast says what happened. */
  merge(sessionId: string): Promise<WorktreeActionResult>;
  /** Removes the session's worktree and branch (the caller asked the user first). */
  discard(sessionId: string): Promise<WorktreeActionResult>;
  /** The project's worktrees holding work not in their base branch (what removing the project would delete). */
  unsaved(projectId: string): Promise<{ path: string; branch: string; uncommitted: number; commits: number }[]>;
  /** Stops listening to the main process's events. */
  dispose(): void;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Creates the store; `projectName` names projects in toasts. */
export function createWorktreeStore(deps: { rpc: RpcClient; notify: Notify; projectName?: (projectId: string) => string | undefined }): WorktreeStore {
  const { rpc, notify } = deps;
  const availability = new SvelteMap<string, boolean>();
  const infos = new SvelteMap<string, WorktreeInfo | null>();
  const changeViews = new SvelteMap<string, WorktreeChangesView>();
  const busy = new SvelteMap<string, boolean>();
  const loadingInfo = new Set<string>();
  const name = (projectId: string) => deps.projectName?.(projectId) ?? 'a project';

  const off = [
    rpc.on('worktree.conflict', (p) =>
      notify({ kind: 'warning', key: `write-conflict:${p.path}`, message: `Two sessions running in ${p.projectIds.map(name).join(' and ')} both wrote ${p.path}; check the file.` }),
    ),
    rpc.on('worktree.retained', (p) =>
      notify({
        kind: 'info', key: `worktree-retained:${p.projectId}`,
        message: `Retention kept ${p.worktrees.length} session(s) of ${name(p.projectId)}: their worktrees hold unsaved work (${p.worktrees.map((w) => w.branch).join(', ')}). Merge or Discard them.`,
      }),
    ),
  ];

  async function act(sessionId: string, method: 'worktree.merge' | 'worktree.discard', done: (info: WorktreeInfo) => string): Promise<WorktreeActionResult> {
    if (busy.get(sessionId)) return { ok: false, error: 'Already under way' };
    busy.set(sessionId, true);
    try {
      const res = await rpc.request(method, { sessionId });
      if (!res.ok) {
        notify({ kind: 'error', key: `worktree:${sessionId}`, message: res.error });
        return res;
      }
      infos.set(sessionId, res.worktree);
      notify({ kind: 'success', key: `worktree:${sessionId}`, message: done(res.worktree) });
      return { ok: true };
    } catch (err) {
      notify({ kind: 'error', key: `worktree:${sessionId}`, message: message(err) });
      return { ok: false, error: message(err) };
    } finally {
      busy.delete(sessionId);
    }
  }

  return {
    available: (projectId) => availability.get(projectId),
    async checkAvailable(projectId) {
      try {
        availability.set(projectId, (await rpc.request('worktree.available', { projectId })).available);
      } catch {
        availability.set(projectId, false);
      }
    },
    info: (sessionId) => infos.get(sessionId),
    async loadInfo(sessionId, force = false) {
      if ((!force && infos.has(sessionId)) || loadingInfo.has(sessionId)) return;
      loadingInfo.add(sessionId);
      try {
        infos.set(sessionId, (await rpc.request('worktree.info', { sessionId })).worktree);
      } catch (err) {
        console.warn(`worktree.info failed: ${message(err)}`);
      } finally {
        loadingInfo.delete(sessionId);
      }
    },
    changes: (sessionId) => changeViews.get(sessionId),
    async loadChanges(sessionId) {
      const prev = changeViews.get(sessionId);
      changeViews.set(sessionId, { loading: true, files: prev?.files ?? [], more: prev?.more ?? false, error: null });
      try {
        const res = await rpc.request('worktree.changes', { sessionId });
        changeViews.set(sessionId, res.ok ? { loading: false, files: res.files, more: res.more, error: null } : { loading: false, files: [], more: false, error: res.error });
      } catch (err) {
        changeViews.set(sessionId, { loading: false, files: [], more: false, error: message(err) });
      }
    },
    busy: (sessionId) => busy.get(sessionId) ?? false,
    merge: (sessionId) => act(sessionId, 'worktree.merge', (w) => `Merged ${w.branch} into ${w.baseBranch ?? 'the base branch'}`),
    async discard(sessionId) {
      const res = await act(sessionId, 'worktree.discard', (w) => `Discarded ${w.branch} and its worktree`);
      if (res.ok) changeViews.delete(sessionId);
      return res;
    },
    unsaved: async (projectId) => (await rpc.request('worktree.unsaved', { projectId })).worktrees,
    dispose: () => off.forEach((f) => f()),
  };
}
