/** RPC domain `projects`: add, list and remove project folders. */
import { z } from 'zod';
import { ProjectSchema } from '../records';

export const projectsRequests = {
  'projects.list': { params: z.object({}).strict(), response: z.array(ProjectSchema) },
  /** `path` must be an existing directory; symlinks are resolved. Errors: not found, not a directory. */
  'projects.add': {
    params: z.object({ path: z.string().min(1, 'Project path is empty').max(4096), name: z.string().min(1).max(256).optional() }).strict(),
    response: ProjectSchema,
  },
  /**
   * Removes the project and its sessions; stops any running session first and removes their worktrees.
   * A worktree with unsaved work (see `worktree.unsaved`) is deleted only with `deleteUnsavedWorktrees`;
   * otherwise it stays on disk and is listed in `keptWorktrees`.
   */
  'projects.remove': {
    params: z.object({ projectId: z.string().min(1).max(64), deleteUnsavedWorktrees: z.boolean().optional() }).strict(),
    response: z.object({ ok: z.boolean(), keptWorktrees: z.array(z.object({ path: z.string(), branch: z.string() })).default([]) }),
  },
};
