/** RPC handlers of the `queue` domain: the prompt queue of a session, and Steer (src-bun/core/prompt-queue.ts). */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';

type QueueMethods = 'queue.list' | 'queue.add' | 'queue.edit' | 'queue.move' | 'queue.remove' | 'queue.retry' | 'queue.steer';

export const queueHandlers = (core: Core): Pick<Handlers, QueueMethods> => ({
  'queue.list': ({ sessionId }) => core.queue.snapshot(sessionId),
  'queue.add': ({ sessionId, text }) => core.queue.add(sessionId, text),
  'queue.edit': ({ sessionId, id, text }) => core.queue.edit(sessionId, id, text),
  'queue.move': ({ sessionId, id, offset }) => core.queue.move(sessionId, id, offset),
  'queue.remove': ({ sessionId, id }) => core.queue.remove(sessionId, id),
  'queue.retry': ({ sessionId, id }) => core.queue.retry(sessionId, id),
  'queue.steer': ({ sessionId, text }) => core.queue.steer(sessionId, text),
});
