/**
 * What a client needs to catch a pane up (`session.sync`): for each session,
 * what a fresh load would show after the last seqId the client holds. The
 * answer joins the database with the messages the main process holds and has
 * not written yet, so it is complete whatever was written when.
 */
import type { WireMessage } from '../../src/shared/events';
import type { SessionRecord } from '../../src/shared/records';
import type { SessionSnapshot } from '../../src/shared/rpc/session';
import type { Live } from './session-ingest';
import type { Store, StoredSession } from './store';
import type { UnackedBuffer } from './unacked-buffer';

/** A stored session without the main process's own columns (cwd, options, sidecar pid), as the UI sees it. */
export function publicRecord({ cwd: _c, optionsJson: _o, sidecarPid: _p, sidecarStartTicks: _s, ...record }: StoredSession): SessionRecord {
  return record;
}

/** Stored and held messages (each ordered by seqId) as one list, each seqId once, ordered by seqId. */
function mergeBySeq(stored: WireMessage[], held: readonly WireMessage[]): WireMessage[] {
  if (held.length === 0) return stored;
  // Held messages are normally all newer than the stored ones; merge by seqId when they are not.
  if (stored.length === 0 || held[0].seqId > stored[stored.length - 1].seqId) return stored.concat(held);
  const bySeq = new Map<number, WireMessage>();
  for (const m of stored) bySeq.set(m.seqId, m);
  for (const m of held) if (!bySeq.has(m.seqId)) bySeq.set(m.seqId, m);
  return [...bySeq.values()].sort((a, b) => a.seqId - b.seqId);
}

/** What {@link createSessionSync} reads. */
export type SessionSyncDeps = {
  store: Store;
  unacked: UnackedBuffer;
  /** The session held in memory, if any: its record is the newest and it knows its open permission requests. */
  live: (sessionId: string) => Live | undefined;
};

/** Creates the read side of resync; see the module comment. */
export function createSessionSync(deps: SessionSyncDeps) {
  const { store, unacked } = deps;

  /** Messages with seqId > `afterSeqId`, stored or held, each seqId once, ordered by seqId. */
  function messagesAfter(sessionId: string, afterSeqId: number): WireMessage[] {
    const stored = store.messages.loadAfter(sessionId, afterSeqId);
    const held = unacked.pending(sessionId).filter((m) => m.seqId > afterSeqId);
    return mergeBySeq(stored, held);
  }

  /**
   * A page of the session read backwards from its end: the newest `limit` messages with a seqId below
   * `beforeSeqId`, stored or held, each seqId once, ordered by seqId; `more` says older ones exist.
   */
  function messagesBefore(sessionId: string, beforeSeqId: number, limit: number): { messages: WireMessage[]; more: boolean } {
    const page = store.messages.loadBefore(sessionId, beforeSeqId, limit);
    const held = unacked.pending(sessionId).filter((m) => m.seqId < beforeSeqId);
    if (held.length === 0) return page;
    const merged = mergeBySeq(page.messages, held);
    return merged.length > limit ? { messages: merged.slice(-limit), more: true } : { messages: merged, more: page.more };
  }

  /** One session's snapshot after `afterSeqId`; `record: null` when the session does not exist (any more). */
  function snapshot(sessionId: string, afterSeqId: number): SessionSnapshot {
    const live = deps.live(sessionId);
    const record = live?.record ?? store.sessions.get(sessionId);
    if (!record) return { sessionId, record: null, messages: [], openPermissionIds: [] };
    return {
      sessionId,
      record: publicRecord(record),
      messages: messagesAfter(sessionId, afterSeqId),
      openPermissionIds: live ? [...live.awaitingInput.keys()] : [],
    };
  }

  return { messagesAfter, messagesBefore, snapshot };
}
export type SessionSync = ReturnType<typeof createSessionSync>;
