/** RPC handlers of the `agent` domain. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';

export const agentHandlers = (core: Core): Pick<Handlers, 'agent.start' | 'agent.prompt' | 'agent.permission' | 'agent.stop'> => ({
  'agent.start': (p) => core.worktrees.start(p),
  'agent.prompt': ({ sessionId, prompt }) => {
    const refusal = core.worktrees.promptRefusal(sessionId);
    return refusal ? { ok: false, error: refusal } : core.sessions.prompt(sessionId, prompt);
  },
  'agent.permission': ({ sessionId, requestId, optionId, message }) => core.sessions.answerPermission(sessionId, requestId, optionId, message),
  'agent.stop': ({ sessionId }) => core.sessions.stop(sessionId),
});
