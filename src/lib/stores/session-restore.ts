/**
 * Bringing stored sessions back into the store: the project's last session at
 * boot (`loadLastSession`), and a session another window started, when its
 * first `agent.status` (which names the project) reaches this one (`adopt`).
 * Both rebuild the session from its record and stored messages, and never
 * replace a pane that is busy (a turn or a send under way): every await is
 * followed by that check again, since a start or live events may win the race.
 */
import type { WireMessage } from '../../shared/events';
import type { SessionRecord } from '../../shared/records';
import type { RpcClient } from '../rpc/types';
import type { Clock } from '../../shared/clock';
import { recordCostSnapshot } from './health';
import { SessionState } from './session-state.svelte';
import type { Notify } from './toasts.svelte';
import { Transcript } from './transcript';
import { PAGE_MESSAGES } from './transcript-paging';

/** What the restorer needs from the store. */
export interface RestoreDeps {
  rpc: RpcClient;
  clock: Clock;
  notify: Notify;
  projectName: (projectId: string) => string;
  /** True while the project's pane must not be replaced. */
  busy: (projectId: string) => boolean;
  /** True when the store already holds the session. */
  known: (sessionId: string) => boolean;
  /** Hands a rebuilt session to the store (register, show, arm timers, apply held events). */
  install: (s: SessionState) => void;
}

/** The restorer's public face. */
export interface SessionRestorer {
  /**
   * Restores the project's most recent session with its newest messages (older ones page in on scroll), unless
   * the pane is busy or already holds it. The session is installed only once `ready` settled (the settings its
   * stall timer reads).
   */
  loadLastSession(projectId: string, ready?: Promise<unknown>): Promise<void>;
  /** Takes in a live session this window did not start; resolves false when it did not (busy, unknown, gone). */
  adopt(projectId: string, sessionId: string): Promise<boolean>;
}

/** Creates the restorer. */
export function createSessionRestorer(deps: RestoreDeps): SessionRestorer {
  const { rpc, clock } = deps;
  const adopting = new Set<string>();

  /** Rebuilds a session from its record and its newest stored messages; null when the pane became busy or the store got it meanwhile. */
  function rebuild(record: SessionRecord, tail: { messages: WireMessage[]; more: boolean }): SessionState | null {
    if (deps.busy(record.projectId) || deps.known(record.id)) return null;
    const s = SessionState.fromRecord(record);
    s.transcript = Transcript.fromStored(tail.messages, tail.more);
    // The burn rate counts from here: the stored total is its baseline.
    if (s.costUsd !== null) recordCostSnapshot(s.costSnapshots, clock.now(), s.costUsd);
    if (s.active) s.lastActivityAt = clock.now();
    return s;
  }

  return {
    async loadLastSession(projectId, ready) {
      if (deps.busy(projectId)) return;
      try {
        const { session: record, messages = [], more = false } = await rpc.request('session.load', { projectId, tail: PAGE_MESSAGES });
        await Promise.resolve(ready).catch(() => undefined);
        if (!record) return;
        const s = rebuild(record, { messages, more });
        if (s) deps.install(s);
      } catch (err) {
        const text = err instanceof Error ? err.message : String(err);
        deps.notify({ kind: 'warning', message: `Could not restore the last session of ${deps.projectName(projectId)}: ${text}` });
      }
    },
    async adopt(projectId, sessionId) {
      if (adopting.has(sessionId) || deps.busy(projectId) || deps.known(sessionId)) return false;
      adopting.add(sessionId);
      try {
        const { sessions } = await rpc.request('session.list', { projectId });
        const record = sessions.find((r) => r.id === sessionId);
        if (!record || deps.busy(projectId) || deps.known(sessionId)) return false;
        const tail = await rpc.request('session.messages.load', { sessionId, limit: PAGE_MESSAGES });
        const s = rebuild(record, tail);
        if (!s) return false;
        deps.install(s);
        return true;
      } catch (err) {
        console.warn(`could not take in session ${sessionId}: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      } finally {
        adopting.delete(sessionId);
      }
    },
  };
}
