/** RPC handlers of the `history` domain: the CLIs' stored sessions of a project, and importing one. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';

export const historyHandlers = (core: Core): Pick<Handlers, 'history.sources' | 'history.import'> => ({
  'history.sources': async ({ projectId }) => ({ sources: await core.history.sources(projectId) }),
  // Answers at once: a large history would outlast the request timeout; progress goes out as events.
  'history.import': async ({ projectId, path }) => ({ importId: (await core.history.start(projectId, path)).importId }),
});
