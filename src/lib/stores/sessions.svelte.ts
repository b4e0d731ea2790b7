/**
 * The session store: per-project sessions fed by `agent.message`,
 * `agent.status`, `agent.cost` and `session.purged`, deduplicated and ordered
 * by seqId, caught up after a disconnect or a gap (`session-resync`),
 * persisted by the main process on a debounced "persist through seqId"
 * request, watched by stall timers, released after a grace period, and
 * restored at boot. The main process is the only writer and decides
 * retention; the store only reflects `session.purged`. Everything with a
 * side effect (RPC, time, toasts, settings) is injected. How the events
 * change a session is in `session-events`; this module holds the sessions,
 * the project pointers and the actions (start, send, stop, answer).
 *
 * A project has two pointers to a session:
 * - `mapped`: the session whose lifecycle the project follows (health, stall,
 *   cleanup). Grace cleanup removes it 60 s after done/error.
 * - `shown`: what the pane displays, and what a prompt continues. It outlives
 *   the mapping, so a finished transcript stays on screen and a follow-up
 *   resumes it; only "New session" (or a purge) clears it.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { ProviderId, SessionOptions } from '../../shared/providers';
import type { Settings } from '../../shared/settings';
import { DEFAULT_SETTINGS } from '../../shared/settings-defaults';
import { recordCostSnapshot, sessionHealth } from './health';
import { createSessionRestorer } from './session-restore';
import { createPersistScheduler } from './persist-scheduler';
import { createSessionEvents } from './session-events';
import { createSessionResync } from './session-resync';
import { FINISHED_STATUSES, SessionState } from './session-state.svelte';
import { START_IN_PROGRESS, type PaneState, type SessionStore, type SessionStoreDeps, type StartResult } from './session-store-types';
import { createSessionTimers } from './session-timers';
import { createEarlierLoader } from './transcript-paging';

export { SessionState, normalizeStatus } from './session-state.svelte';
export { START_IN_PROGRESS, type PaneState, type SessionStore, type SessionStoreDeps, type StartResult } from './session-store-types';

const IDLE_PANE: PaneState = Object.freeze({ sending: false, error: null });

/** Creates the store and registers its RPC listeners (once). */
export function createSessionStore(deps: SessionStoreDeps): SessionStore {
  const { rpc, clock, notify } = deps;
  const sessions = new Map<string, SessionState>();
  const mappedByProject = new SvelteMap<string, SessionState>();
  const shownByProject = new SvelteMap<string, SessionState>();
  const panes = new SvelteMap<string, { sending: boolean; error: string | null }>();
  const historyRevisions = new SvelteMap<string, number>();
  /** Projects with an `agent.start` in flight (the double-start guard). */
  const starting = new Set<string>();

  const setting = <K extends keyof Settings>(key: K): Settings[K] => deps.settings?.()[key] ?? DEFAULT_SETTINGS[key];
  const projectName = (projectId: string) => deps.projectName?.(projectId) ?? projectId;
  const current = (projectId: string) => mappedByProject.get(projectId) ?? shownByProject.get(projectId);
  const timers = createSessionTimers({
    clock,
    stallMinutes: () => setting('stall_timeout_min'),
    onStall: (s, minutes) =>
      notify({ kind: 'warning', key: `stall:${s.id}`, message: `Agent stalled on ${projectName(s.projectId)} (no activity for ${minutes} min)` }),
    onCleanup: (s) => {
      if (mappedByProject.get(s.projectId) === s) mappedByProject.delete(s.projectId);
    },
  });

  const events = createSessionEvents({
    clock,
    notify,
    projectName,
    timers,
    lookup: (id) => sessions.get(id),
    onForeignSession(projectId, sessionId) {
      if (!starting.has(projectId)) void restorer.adopt(projectId, sessionId);
    },
    // A new turn on the pane's session (here or in another window) makes it the project's live session again.
    onTurnActive(s) {
      if (shownByProject.get(s.projectId) === s) mapProject(s);
    },
    onTurnFinished(s) {
      bumpHistory(s.projectId);
    },
    onGap: (s) => resync.gap(s),
  });

  const resync = createSessionResync({
    rpc,
    sessions: () => sessions.values(),
    lookup: (id) => sessions.get(id),
    events,
    onGone: (s) => purgeSession(s.id),
  });

  function ensurePane(projectId: string) {
    const existing = panes.get(projectId);
    if (existing) return existing;
    const pane = $state<{ sending: boolean; error: string | null }>({ sending: false, error: null });
    panes.set(projectId, pane);
    return pane;
  }

  function bumpHistory(projectId: string) {
    historyRevisions.set(projectId, (historyRevisions.get(projectId) ?? 0) + 1);
  }

  function register(s: SessionState) {
    s.saver = createPersistScheduler({
      clock,
      debounceMs: () => setting('persist_debounce_ms'),
      savedThroughSeqId: s.transcript.maxSeqId,
      persist: async (throughSeqId) => {
        const res = await rpc.request('session.persist', { sessionId: s.id, throughSeqId });
        if (!res.ok) throw new Error('the main process refused to persist');
      },
      onError: (err, failures) => {
        if (failures === 1) notify({ kind: 'warning', key: `save:${s.id}`, message: `Could not save messages on ${projectName(s.projectId)}: ${errorText(err)}. Retrying.` });
      },
    });
    sessions.set(s.id, s);
  }

  /** Maps the project to the session and shows it. */
  function mapProject(s: SessionState) {
    mappedByProject.set(s.projectId, s);
    shownByProject.set(s.projectId, s);
  }

  function purgeSession(sessionId: string) {
    events.forget(sessionId);
    const s = sessions.get(sessionId);
    if (!s) return;
    timers.clearAll(s);
    s.saver?.dispose();
    sessions.delete(sessionId);
    if (mappedByProject.get(s.projectId) === s) mappedByProject.delete(s.projectId);
    if (shownByProject.get(s.projectId) === s) shownByProject.delete(s.projectId);
    bumpHistory(s.projectId);
  }

  function purgeProjectSessions(projectId: string, sessionIds?: readonly string[]) {
    const ids = sessionIds ?? [...sessions.values()].filter((s) => s.projectId === projectId).map((s) => s.id);
    for (const id of ids) {
      const s = sessions.get(id);
      if (!s || s.projectId === projectId) purgeSession(id);
    }
  }

  const unsubscribe = [
    rpc.on('agent.message', (payload) => events.receive({ kind: 'message', payload })),
    rpc.on('agent.status', (payload) => events.receive({ kind: 'status', payload })),
    rpc.on('agent.cost', (payload) => events.receive({ kind: 'cost', payload })),
    rpc.on('session.purged', (payload) => {
      if (!payload || !Array.isArray(payload.sessionIds)) return;
      purgeProjectSessions(payload.projectId, payload.sessionIds);
      bumpHistory(payload.projectId);
    }),
  ];

  function fail(projectId: string, message: string): false {
    ensurePane(projectId).error = message;
    notify({ kind: 'error', message: `Could not send the prompt on ${projectName(projectId)}: ${message}` });
    return false;
  }

  async function start(projectId: string, prompt: string, provider: ProviderId, options?: SessionOptions): Promise<StartResult> {
    if (starting.has(projectId)) return { ok: false, error: START_IN_PROGRESS };
    starting.add(projectId);
    try {
      const res = await rpc.request('agent.start', { projectId, provider, prompt, ...(options ? { options } : {}) });
      if (!res.ok) return res;
      const previous = current(projectId);
      if (previous) timers.cancelCleanup(previous);
      const s = new SessionState({ id: res.sessionId, projectId, provider, createdAt: clock.now() });
      recordCostSnapshot(s.costSnapshots, s.createdAt, 0);
      mapProject(s);
      register(s);
      timers.armStall(s);
      bumpHistory(projectId);
      events.drain(s);
      return { ok: true, sessionId: s.id };
    } catch (err) {
      return { ok: false, error: errorText(err) };
    } finally {
      starting.delete(projectId);
    }
  }

  async function send(projectId: string, prompt: string, provider: ProviderId, options?: SessionOptions): Promise<boolean> {
    const pane = ensurePane(projectId);
    if (pane.sending) return false;
    if (!prompt.trim()) return fail(projectId, 'Prompt is empty');
    pane.sending = true;
    pane.error = null;
    try {
      const target = current(projectId);
      if (!target) {
        const res = await start(projectId, prompt, provider, options);
        return res.ok || fail(projectId, res.error);
      }
      const epoch = target.statusEpoch;
      const res = await rpc.request('agent.prompt', { sessionId: target.id, prompt });
      if (!res.ok) return fail(projectId, res.error);
      if (!sessions.has(target.id)) return true;
      timers.cancelCleanup(target);
      if (current(projectId) === target) mapProject(target);
      // Show the new turn at once, unless the main process already reported one.
      if (target.statusEpoch === epoch && !target.active) events.applyStatus(target, 'starting');
      return true;
    } catch (err) {
      return fail(projectId, errorText(err));
    } finally {
      pane.sending = false;
    }
  }

  async function stop(projectId: string) {
    const s = current(projectId);
    if (!s) return;
    timers.clearStall(s);
    s.stalled = false;
    try {
      const res = await rpc.request('agent.stop', { sessionId: s.id });
      if (!res.ok) notify({ kind: 'warning', message: `Could not stop the agent on ${projectName(projectId)}` });
    } catch (err) {
      notify({ kind: 'error', message: `Could not stop the agent on ${projectName(projectId)}: ${errorText(err)}` });
    }
  }

  async function answerPermission(projectId: string, requestId: string, optionId: string, message?: string): Promise<boolean> {
    const s = current(projectId);
    if (!s || s.permissionAnswers.has(requestId)) return false;
    // Recorded first so a double click cannot answer twice; undone if the answer does not land.
    s.permissionAnswers.set(requestId, optionId);
    try {
      const res = await rpc.request('agent.permission', { sessionId: s.id, requestId, optionId, ...(message ? { message } : {}) });
      if (res.ok) {
        s.pendingInput.delete(requestId);
        s.lastActivityAt = clock.now();
        timers.armStall(s);
        return true;
      }
      s.permissionAnswers.delete(requestId);
      notify({ kind: 'error', message: `Could not answer the permission request on ${projectName(projectId)}: ${res.error}` });
    } catch (err) {
      s.permissionAnswers.delete(requestId);
      notify({ kind: 'error', message: `Could not answer the permission request on ${projectName(projectId)}: ${errorText(err)}` });
    }
    return false;
  }

  /** A pane is busy when its session is mid-turn or a send is in flight; restore must not replace it then. */
  function busy(projectId: string) {
    return Boolean(current(projectId)?.active || panes.get(projectId)?.sending || starting.has(projectId));
  }

  /** Detaches the pane from its session (see SessionStore.newSession). */
  function detach(projectId: string): boolean {
    if (busy(projectId)) return false;
    const s = current(projectId);
    if (s) timers.cancelCleanup(s);
    mappedByProject.delete(projectId);
    shownByProject.delete(projectId);
    const pane = panes.get(projectId);
    if (pane) pane.error = null;
    return true;
  }

  const earlier = createEarlierLoader({ rpc });
  const restorer = createSessionRestorer({
    rpc,
    clock,
    notify,
    projectName,
    busy,
    known: (id) => sessions.has(id),
    install(s) {
      // A finished session comes back as its messages only; a live or interrupted one is the project's session again.
      if (FINISHED_STATUSES.has(s.status)) shownByProject.set(s.projectId, s);
      else mapProject(s);
      register(s);
      timers.armStall(s);
      events.drain(s);
    },
  });

  return {
    current,
    mapped: (projectId) => mappedByProject.get(projectId),
    get: (sessionId) => sessions.get(sessionId),
    pane: (projectId) => panes.get(projectId) ?? IDLE_PANE,
    health(projectId, now) {
      const live = mappedByProject.get(projectId);
      return live ? sessionHealth(live, now, true) : sessionHealth(shownByProject.get(projectId), now, false);
    },
    historyRevision: (projectId) => historyRevisions.get(projectId) ?? 0,
    start,
    send,
    newSession: detach,
    async openStored(projectId, sessionId) {
      if (!detach(projectId)) return false;
      const known = sessions.get(sessionId);
      if (known) shownByProject.set(projectId, known);
      return known ? true : restorer.adopt(projectId, sessionId);
    },
    stop,
    answerPermission,
    loadLastSession: restorer.loadLastSession,
    async loadEarlier(sessionId) {
      const s = sessions.get(sessionId);
      if (s) await earlier.load(s);
    },
    purgeSession,
    purgeProjectSessions,
    settingsChanged() {
      for (const s of sessions.values()) if (s.active) timers.armStall(s);
    },
    clearError(projectId) {
      const pane = panes.get(projectId);
      if (pane) pane.error = null;
    },
    resync: () => resync.all(),
    async flushAll() {
      await Promise.all([...sessions.values()].map((s) => s.saver?.flush()));
    },
    forgetProject(projectId) {
      purgeProjectSessions(projectId);
      mappedByProject.delete(projectId);
      shownByProject.delete(projectId);
      panes.delete(projectId);
      historyRevisions.delete(projectId);
    },
    dispose() {
      for (const off of unsubscribe) off();
      for (const s of sessions.values()) {
        timers.clearAll(s);
        s.saver?.dispose();
      }
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
