/**
 * The projects store: the sidebar's list and which pane is selected.
 */
import type { Project } from '../../shared/records';
import type { RpcClient } from '../rpc/types';

/** The projects store's public face. */
export interface ProjectsStore {
  /** Projects in the order the main process lists them, newly added last. */
  readonly list: readonly Project[];
  /** True once the first `projects.list` answered. */
  readonly loaded: boolean;
  /** The project whose pane is shown. */
  readonly selectedId: string | null;
  /** Fetches the list; the first project is selected if none is. `onList` gets the list before it is shown (before the panes are drawn). */
  load(onList?: (list: readonly Project[]) => void): Promise<readonly Project[]>;
  /** Adds a folder; rejects with the main process's message (e.g. not a directory). Selects the new project. */
  add(path: string, name?: string): Promise<Project>;
  /**
   * Removes a project and its sessions (the folder itself stays), and its sessions' worktrees; those with
   * unsaved work only with `deleteUnsavedWorktrees`. Resolves with the worktrees left on disk.
   */
  remove(projectId: string, opts?: { deleteUnsavedWorktrees?: boolean }): Promise<{ path: string; branch: string }[]>;
  select(projectId: string): void;
  get(projectId: string): Project | undefined;
}

/** Creates the store; nothing is fetched until {@link ProjectsStore.load}. */
export function createProjectsStore(deps: { rpc: RpcClient }): ProjectsStore {
  const { rpc } = deps;
  let list = $state.raw<Project[]>([]);
  let loaded = $state(false);
  let selectedId = $state<string | null>(null);

  function ensureSelection() {
    if (!list.some((p) => p.id === selectedId)) selectedId = list[0]?.id ?? null;
  }

  return {
    get list() {
      return list;
    },
    get loaded() {
      return loaded;
    },
    get selectedId() {
      return selectedId;
    },
    async load(onList) {
      const fetched = await rpc.request('projects.list', {});
      // Before the list is shown: drawing the panes must not delay what the caller starts from it.
      onList?.(fetched);
      list = fetched;
      loaded = true;
      ensureSelection();
      return list;
    },
    async add(path, name) {
      const trimmed = path.trim();
      if (!trimmed) throw new Error('Enter the path of a folder');
      const project = await rpc.request('projects.add', name ? { path: trimmed, name } : { path: trimmed });
      list = list.some((p) => p.id === project.id) ? list.map((p) => (p.id === project.id ? project : p)) : [...list, project];
      selectedId = project.id;
      return project;
    },
    async remove(projectId, opts) {
      const res = await rpc.request('projects.remove', opts?.deleteUnsavedWorktrees ? { projectId, deleteUnsavedWorktrees: true } : { projectId });
      if (!res.ok) throw new Error('The project could not be removed');
      list = list.filter((p) => p.id !== projectId);
      ensureSelection();
      return res.keptWorktrees;
    },
    select(projectId) {
      if (list.some((p) => p.id === projectId)) selectedId = projectId;
    },
    get: (projectId) => list.find((p) => p.id === projectId),
  };
}
