/** RPC handlers of the `worktree` domain: a session's isolated git worktree (src-bun/core/worktrees.ts). */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';

export const worktreeHandlers = (core: Core): Pick<Handlers, 'worktree.available' | 'worktree.info' | 'worktree.changes' | 'worktree.merge' | 'worktree.discard' | 'worktree.unsaved'> => ({
  'worktree.available': ({ projectId }) => core.worktrees.available(projectId),
  'worktree.info': ({ sessionId }) => ({ worktree: core.worktrees.info(sessionId) }),
  'worktree.changes': ({ sessionId }) => core.worktrees.changes(sessionId),
  'worktree.merge': ({ sessionId }) => core.worktrees.merge(sessionId),
  'worktree.discard': ({ sessionId }) => core.worktrees.discard(sessionId),
  'worktree.unsaved': async ({ projectId }) => ({ worktrees: await core.worktrees.unsaved(projectId) }),
});
