/** RPC handlers of the `session` domain. */
import type { Core } from '../core/core';
import type { StoredSession } from '../core/store';
import type { SessionRecord } from '../../src/shared/records';
import type { Handlers } from '../../src/shared/rpc';

const toRecord = ({ cwd: _c, optionsJson: _o, sidecarPid: _p, sidecarStartTicks: _s, ...record }: StoredSession): SessionRecord => record;

export const sessionHandlers = (core: Core): Pick<Handlers, 'session.save' | 'session.load' | 'session.list' | 'session.messages.save' | 'session.messages.load'> => ({
  'session.save': ({ session }) => {
    if (!core.store.sessions.get(session.id)) throw new Error(`Unknown session ${session.id}`);
    // The UI owns what it shows; the provider session id and the sidecar columns stay the main process's.
    const { status, reason, error, costUsd, inputTokens, outputTokens, updatedAt } = session;
    return { ok: core.store.sessions.update(session.id, { status, reason, error, costUsd, inputTokens, outputTokens, updatedAt }) };
  },
  'session.load': ({ projectId }) => {
    const last = core.store.sessions.last(projectId);
    return { session: last ? toRecord(last) : null };
  },
  'session.list': ({ projectId }) => ({ sessions: core.store.sessions.ofProject(projectId).map(toRecord) }),
  'session.messages.save': ({ sessionId, messages }) => ({ ok: true, savedThroughSeqId: core.sessions.acknowledge(sessionId, messages) }),
  'session.messages.load': ({ sessionId }) => ({ messages: core.store.messages.load(sessionId) }),
});
