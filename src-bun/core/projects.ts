/** Projects: folders the user added, each with its own agent pane. */
import { basename } from 'node:path';
import type { Project } from '../../src/shared/records';
import type { Clock } from '../../src/shared/clock';
import { PathError, resolveProjectDir } from './project-paths';
import type { SessionManager } from './session-manager';
import type { Store } from './store';

export function createProjects(store: Store, sessions: SessionManager, clock: Clock) {
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
    /** Stops the project's sessions, then deletes it with its transcripts. */
    async remove(projectId: string): Promise<{ ok: boolean }> {
      await sessions.stopProject(projectId);
      return { ok: store.projects.remove(projectId) };
    },
  };
}
export type Projects = ReturnType<typeof createProjects>;
