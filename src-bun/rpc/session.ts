/** RPC handlers of the `session` domain. The main process is the only writer: nothing here stores what the UI sends. */
import type { Core } from '../core/core';
import { publicRecord } from '../core/session-sync';
import type { Handlers } from '../../src/shared/rpc';

export const sessionHandlers = (core: Core): Pick<Handlers, 'session.load' | 'session.loadLast' | 'session.list' | 'session.persist' | 'session.sync' | 'session.messages.load'> => ({
  'session.load': ({ projectId, tail }) => {
    const last = core.store.sessions.last(projectId);
    if (!last) return { session: null };
    return tail === undefined ? { session: publicRecord(last) } : { session: publicRecord(last), ...core.sessions.messages(last.id, undefined, tail) };
  },
  'session.loadLast': ({ tail }) => ({
    sessions: core.store.projects.list().flatMap((p) => {
      const last = core.store.sessions.last(p.id);
      return last ? [{ projectId: p.id, session: publicRecord(last), ...core.sessions.messages(last.id, undefined, tail) }] : [];
    }),
  }),
  'session.list': ({ projectId }) => ({ sessions: core.store.sessions.ofProject(projectId).map(publicRecord) }),
  'session.persist': async ({ sessionId, throughSeqId }) => ({ ok: true, savedThroughSeqId: await core.sessions.persist(sessionId, throughSeqId) }),
  'session.sync': ({ sessions }) => core.sessions.sync(sessions),
  'session.messages.load': ({ sessionId, beforeSeqId, limit }) => core.sessions.messages(sessionId, beforeSeqId, limit),
});
