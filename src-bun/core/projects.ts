/** Projects: folders the user added, each with its own agent pane. */
import { basename } from 'node:path';
import type { Project } from '../../src/shared/records';
import type { Clock } from '../../src/shared/clock';
import { PathError, resolveProjectDir } from './project-paths';
import type { SessionManager } from './session-manager';
import type { Store } from './store';
import type { Worktrees } from './worktrees';

export function createProjects(store: Store, sessions: SessionManager, clock: Clock, worktrees: Worktrees) {
  return {
    list: (): Project[] => store.projects.list(),
    /** Adds a folder; throws {@link PathError} when it is missing, not a directory, or already added. */
    add(path: string, name?: string): Project {
      const real = resolveProjectDir(path);
      const existing = store.projects.byPath(real);
      if (existing) throw new PathError(`${real} is already added as project "${existing.name}"`);
      const project: Project = { id: crypto.randomUUID(), name: name?.trim() || basename(real) || real, path: real, createdAt: clock.now() };
      store.projects.insert(project);
      return project;
    },
    /**
     * Stops the project's sessions, removes their worktrees, then deletes the project with its transcripts.
     * Worktrees with unsaved work are deleted only with `deleteUnsavedWorktrees`; otherwise they stay on disk, listed in `keptWorktrees`.
     */
    async remove(projectId: string, deleteUnsavedWorktrees = false): Promise<{ ok: boolean; keptWorktrees: { path: string; branch: string }[] }> {
      await sessions.stopProject(projectId);
      const keptWorktrees = await worktrees.removeProject(projectId, deleteUnsavedWorktrees);
      return { ok: store.projects.remove(projectId), keptWorktrees };
    },
  };
}
export type Projects = ReturnType<typeof createProjects>;
