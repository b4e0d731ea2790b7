/**
 * Resync by seqId: how a pane catches up to exactly what a fresh load would
 * show, without a reload, after any disconnect or a missed message.
 *
 * - On every (re)connect the store calls {@link SessionResync.all}: one
 *   `session.sync` names each registered session with the highest seqId its
 *   transcript holds contiguously (`afterSeqId`). The main process answers
 *   from its database plus its unwritten buffer, with the session's current
 *   record (status, cost) and open permission requests.
 * - A gap (an `agent.message` past `maxSeqId + 1`) calls
 *   {@link SessionResync.gap}: the same request for that one session, at most
 *   one in flight per session; a gap noticed meanwhile asks once more after.
 * - Answers are applied through the same path as live events; the transcript
 *   drops seqIds it holds and orders the rest. A status or cost that arrived
 *   live while the request was on its way is newer and is kept.
 * - `bootId` names the main process's run. When it changes, seqIds past what
 *   it had stored may have been reused, so those sessions are reloaded whole.
 */
import type { SessionSnapshot } from '../../shared/rpc/session';
import type { RpcClient } from '../rpc/types';
import type { SessionEvents } from './session-events';
import { normalizeStatus, type SessionState } from './session-state.svelte';
import { Transcript } from './transcript';

/** Most sessions one `session.sync` names (its schema's limit). */
export const MAX_SYNC_SESSIONS = 256;

/** What the resync side needs from the store. */
export interface ResyncDeps {
  rpc: RpcClient;
  /** Every registered session: what a reconnect catches up. */
  sessions: () => Iterable<SessionState>;
  /** The registered session with this id, if it still is. */
  lookup: (sessionId: string) => SessionState | undefined;
  events: Pick<SessionEvents, 'ingest' | 'applyStatus' | 'applyCost'>;
  /** The main process no longer has the session (purged): drop it. */
  onGone: (s: SessionState) => void;
  /** One line per failed request; default `console.warn`. */
  warn?: (line: string) => void;
}

/** The resync side's face, for the store. */
export interface SessionResync {
  /** Catches every registered session up (call on each connect); resolves when applied. */
  all(): Promise<void>;
  /** Fills a seqId gap of one session. */
  gap(s: SessionState): void;
  /** The main process run the last answer came from, or null before the first. */
  readonly bootId: string | null;
}

type Mark = { statusEpoch: number; costEpoch: number };

/** Creates the resync side; see the module comment. */
export function createSessionResync(deps: ResyncDeps): SessionResync {
  const warn = deps.warn ?? ((line: string) => console.warn(line));
  let bootId: string | null = null;
  const inFlight = new Set<string>();
  const again = new Set<string>();
  /** True while an answer is applied: a gap it leaves is not chased in a loop. */
  let applying = false;

  /** Syncs `list`; `learnBoot` sends a request even with no session to name, to learn the bootId (on connect). */
  async function sync(list: SessionState[], replace: boolean, learnBoot = false): Promise<void> {
    const targets: SessionState[] = [];
    for (const s of list) {
      if (inFlight.has(s.id)) again.add(s.id);
      else targets.push(s);
    }
    for (let i = 0; i < targets.length || (i === 0 && learnBoot); i += MAX_SYNC_SESSIONS) {
      await syncBatch(targets.slice(i, i + MAX_SYNC_SESSIONS), replace);
    }
    const rerun = [...again].map((id) => deps.lookup(id)).filter((s): s is SessionState => !!s && !inFlight.has(s.id));
    for (const s of rerun) again.delete(s.id);
    if (rerun.length > 0) await sync(rerun, false);
  }

  async function syncBatch(batch: SessionState[], replace: boolean): Promise<void> {
    const marks = new Map<string, Mark>(batch.map((s) => [s.id, { statusEpoch: s.statusEpoch, costEpoch: s.costEpoch }]));
    for (const s of batch) inFlight.add(s.id);
    let answer: { bootId: string; sessions: SessionSnapshot[] };
    try {
      answer = await deps.rpc.request('session.sync', {
        sessions: batch.map((s) => ({ sessionId: s.id, afterSeqId: replace ? -1 : s.transcript.maxSeqId })),
      });
    } catch (err) {
      // The next connect (or the next gap) asks again.
      warn(`session.sync failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    } finally {
      for (const s of batch) inFlight.delete(s.id);
    }
    const restarted = bootId !== null && answer.bootId !== bootId;
    bootId = answer.bootId;
    if (restarted && !replace) return syncBatch(batch.filter((s) => deps.lookup(s.id) === s), true);
    applying = true;
    try {
      for (const snap of answer.sessions) {
        const s = deps.lookup(snap.sessionId);
        const mark = marks.get(snap.sessionId);
        if (s && mark) apply(s, snap, mark, replace);
      }
    } finally {
      applying = false;
    }
  }

  function apply(s: SessionState, snap: SessionSnapshot, mark: Mark, replace: boolean) {
    const record = snap.record;
    if (!record) return deps.onGone(s);
    if (replace) {
      s.transcript = new Transcript();
      s.openTools.clear();
      s.version++;
    }
    if (snap.messages.length > 0) deps.events.ingest(s, snap.messages, true);
    if (s.statusEpoch === mark.statusEpoch) {
      deps.events.applyStatus(s, normalizeStatus(record.status), record.reason ?? undefined, record.error ?? undefined);
    }
    if (s.costEpoch === mark.costEpoch) {
      deps.events.applyCost(s, { sessionId: s.id, costUsd: record.costUsd, inputTokens: record.inputTokens, outputTokens: record.outputTokens });
    }
    s.updatedAt = record.updatedAt;
    const open = new Set(snap.openPermissionIds);
    for (const id of [...s.pendingInput.keys()]) if (!open.has(id)) s.pendingInput.delete(id);
    for (const id of open) {
      if (!s.pendingInput.has(id) && !s.permissionAnswers.has(id)) s.pendingInput.set(id, s.transcript.permissionTitle(id) ?? 'Permission requested');
    }
  }

  return {
    all: () => sync([...deps.sessions()], false, true),
    gap(s) {
      if (!applying) void sync([s], false);
    },
    get bootId() {
      return bootId;
    },
  };
}
