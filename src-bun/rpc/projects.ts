/** RPC handlers of the `projects` domain. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';

export const projectsHandlers = (core: Core): Pick<Handlers, 'projects.list' | 'projects.add' | 'projects.remove'> => ({
  'projects.list': () => core.projects.list(),
  'projects.add': ({ path, name }) => core.projects.add(path, name),
  'projects.remove': ({ projectId, deleteUnsavedWorktrees }) => core.projects.remove(projectId, deleteUnsavedWorktrees),
});
