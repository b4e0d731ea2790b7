/**
 * The session store: per-project current sessions fed by `agent.message`,
 * `agent.status` and `agent.cost`, deduplicated by seqId, persisted with a
 * debounce by seqId, and restored at boot. Everything with a side effect
 * (RPC, time, toasts, settings) is injected.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { SessionStatus, StatusReason, WireMessage } from '../../shared/events';
import type { ProviderId, SessionOptions } from '../../shared/providers';
import type { EventPayload } from '../../shared/rpc/index';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import type { RpcClient } from '../rpc/types';
import type { Clock } from './clock';
import { createMessageSaver } from './message-saver';
import { ACTIVE_STATUSES, SessionState, normalizeStatus } from './session-state.svelte';
import type { Notify } from './toasts.svelte';
import { Transcript } from './transcript';

export { SessionState, normalizeStatus } from './session-state.svelte';

/** What the store needs from the outside world. */
export interface SessionStoreDeps {
  rpc: RpcClient;
  clock: Clock;
  notify: Notify;
  /** Current settings, read when needed so changes apply without a restart. */
  settings?: () => Partial<Settings>;
  /** A project's display name for toasts; defaults to the id. */
  projectName?: (projectId: string) => string | undefined;
}

/** Per-pane UI state that is not part of a session. */
export interface PaneState {
  /** A start or prompt request is in flight. */
  readonly sending: boolean;
  /** The last send failure, shown inline under the prompt. */
  readonly error: string | null;
}

/** The session store's public face. */
export interface SessionStore {
  /** The session a project's pane shows, if any. */
  current(projectId: string): SessionState | undefined;
  /** A session by id. */
  get(sessionId: string): SessionState | undefined;
  /** Pane state of a project (sending flag, inline error). */
  pane(projectId: string): PaneState;
  /** Follow-up on the pane's current session, or a new session; resolves false (with a toast and an inline error) on failure. */
  send(projectId: string, prompt: string, provider: ProviderId, options?: SessionOptions): Promise<boolean>;
  /** Stops the pane's current session. */
  stop(projectId: string): Promise<void>;
  /** Answers a permission request of the pane's current session; resolves false (with a toast) when refused. */
  answerPermission(projectId: string, requestId: string, optionId: string): Promise<boolean>;
  /** Restores the project's last stored session, unless one is starting or running. */
  loadLastSession(projectId: string): Promise<void>;
  /** Clears the inline error of a pane. */
  clearError(projectId: string): void;
  /** Saves every pending message now (e.g. before the page goes away). */
  flushAll(): Promise<void>;
  /** Drops a removed project's sessions and their timers. */
  forgetProject(projectId: string): void;
  /** Unregisters the RPC listeners and stops every timer. */
  dispose(): void;
}

type Buffered =
  | { kind: 'message'; payload: EventPayload<'agent.message'> }
  | { kind: 'status'; payload: EventPayload<'agent.status'> }
  | { kind: 'cost'; payload: EventPayload<'agent.cost'> };

/** Events for sessions this window has not registered yet (agent.start has not answered) are held this long, per session. */
const MAX_BUFFERED_EVENTS = 5_000;
const MAX_BUFFERED_SESSIONS = 32;
/** Wait before saving a session record again after a failed save, ms. */
const RECORD_RETRY_MS = 5_000;
const IDLE_PANE: PaneState = Object.freeze({ sending: false, error: null });

/** Creates the store and registers its RPC listeners (once). */
export function createSessionStore(deps: SessionStoreDeps): SessionStore {
  const { rpc, clock, notify } = deps;
  const sessions = new Map<string, SessionState>();
  const currentByProject = new SvelteMap<string, SessionState>();
  const panes = new SvelteMap<string, { sending: boolean; error: string | null }>();
  /** Events that arrived before their session was known, oldest session first. */
  const buffered = new Map<string, Buffered[]>();
  /** Record saves in flight, and whether another is due after it (saves are serialized so an old record never lands last). */
  const recordSaves = new Map<string, { dirty: boolean }>();

  const setting = <K extends keyof Settings>(key: K): Settings[K] => deps.settings?.()[key] ?? DEFAULT_SETTINGS[key];
  const projectName = (projectId: string) => deps.projectName?.(projectId) ?? projectId;

  function ensurePane(projectId: string) {
    const existing = panes.get(projectId);
    if (existing) return existing;
    const pane = $state<{ sending: boolean; error: string | null }>({ sending: false, error: null });
    panes.set(projectId, pane);
    return pane;
  }

  function register(s: SessionState) {
    s.saver = createMessageSaver({
      clock,
      debounceMs: () => setting('persist_debounce_ms'),
      savedThroughSeqId: s.transcript.maxSeqId,
      save: async (messages) => {
        const res = await rpc.request('session.messages.save', { sessionId: s.id, messages });
        if (!res.ok) throw new Error('the main process refused the save');
      },
      onError: (err, failures) => {
        if (failures === 1) notify({ kind: 'warning', key: `save:${s.id}`, message: `Could not save messages on ${projectName(s.projectId)}: ${errorText(err)}. Retrying.` });
      },
    });
    sessions.set(s.id, s);
  }

  function saveRecord(s: SessionState) {
    const inFlight = recordSaves.get(s.id);
    if (inFlight) {
      inFlight.dirty = true;
      return;
    }
    const entry = { dirty: false };
    recordSaves.set(s.id, entry);
    let failed = false;
    rpc
      .request('session.save', { session: s.toRecord() })
      .then((res) => {
        if (!res.ok) throw new Error('the main process refused the record');
      })
      .catch((err: unknown) => {
        failed = true;
        console.warn(`session.save failed for ${s.id}: ${errorText(err)}`);
      })
      .finally(() => {
        recordSaves.delete(s.id);
        if (!sessions.has(s.id)) return;
        // The record is saved whole, so the retry (or the next change) carries everything.
        if (failed) clock.setTimeout(() => sessions.has(s.id) && saveRecord(s), RECORD_RETRY_MS);
        else if (entry.dirty) saveRecord(s);
      });
  }

  function applyStatus(s: SessionState, status: SessionStatus, reason?: StatusReason, error?: string) {
    const prev = s.status;
    const nextError = status === 'error' ? (error ?? s.lastErrorText ?? 'unknown error') : (error ?? null);
    if (prev === status && s.error === nextError && (reason ?? null) === s.reason) return;
    s.status = status;
    s.reason = reason ?? null;
    s.error = nextError;
    s.updatedAt = clock.now();
    s.statusEpoch++;
    if (ACTIVE_STATUSES.has(status)) s.lastErrorText = null;
    saveRecord(s);
    if (status === 'done' || status === 'error') void s.saver?.flush();
    if (prev === status) return;
    const name = projectName(s.projectId);
    if (status === 'done' && reason === 'stopped') notify({ kind: 'info', message: `Agent stopped on ${name}` });
    else if (status === 'done') notify({ kind: 'success', message: `Agent completed on ${name}` });
    else if (status === 'error') notify({ kind: 'error', message: `Agent error on ${name}: ${nextError}` });
  }

  function ingest(s: SessionState, wires: readonly WireMessage[]) {
    const { fresh, displayChanged } = s.transcript.ingest(wires);
    if (fresh.length === 0) return;
    for (const { event } of fresh) {
      if (event.type === 'init') {
        s.providerSessionId = event.providerSessionId;
        if (event.model) s.model = event.model;
      } else if (event.type === 'error') s.lastErrorText = event.message;
    }
    if (displayChanged) s.version++;
    s.saver?.add(fresh);
    // Messages for a session restored as interrupted mean its turn is alive after all (a reloaded tab).
    if (displayChanged && s.status === 'interrupted') applyStatus(s, 'running');
  }

  function applyCost(s: SessionState, p: EventPayload<'agent.cost'>) {
    if (s.costUsd === p.costUsd && s.inputTokens === p.inputTokens && s.outputTokens === p.outputTokens) return;
    s.costUsd = p.costUsd ?? null;
    s.inputTokens = p.inputTokens;
    s.outputTokens = p.outputTokens;
    if (p.contextTokens !== undefined) s.contextTokens = p.contextTokens;
    if (p.contextWindow !== undefined) s.contextWindow = p.contextWindow;
    s.updatedAt = clock.now();
    saveRecord(s);
  }

  function dispatch(s: SessionState, item: Buffered) {
    if (item.kind === 'message') ingest(s, Array.isArray(item.payload.messages) ? item.payload.messages : []);
    else if (item.kind === 'status') applyStatus(s, normalizeStatus(item.payload.status), item.payload.reason, item.payload.error);
    else applyCost(s, item.payload);
  }

  function receive(item: Buffered) {
    const sessionId = item.payload?.sessionId;
    if (typeof sessionId !== 'string') return;
    const s = sessions.get(sessionId);
    if (s) return dispatch(s, item);
    // agent.start may still be on its way back: hold the events until it names the session.
    let list = buffered.get(sessionId);
    if (!list) {
      if (buffered.size >= MAX_BUFFERED_SESSIONS) buffered.delete(buffered.keys().next().value as string);
      buffered.set(sessionId, (list = []));
    }
    if (list.length < MAX_BUFFERED_EVENTS) list.push(item);
  }

  const unsubscribe = [
    rpc.on('agent.message', (payload) => receive({ kind: 'message', payload })),
    rpc.on('agent.status', (payload) => receive({ kind: 'status', payload })),
    rpc.on('agent.cost', (payload) => receive({ kind: 'cost', payload })),
  ];

  function fail(projectId: string, message: string): false {
    ensurePane(projectId).error = message;
    notify({ kind: 'error', message: `Could not send the prompt on ${projectName(projectId)}: ${message}` });
    return false;
  }

  async function send(projectId: string, prompt: string, provider: ProviderId, options?: SessionOptions): Promise<boolean> {
    const pane = ensurePane(projectId);
    if (pane.sending) return false;
    if (!prompt.trim()) return fail(projectId, 'Prompt is empty');
    pane.sending = true;
    pane.error = null;
    try {
      const current = currentByProject.get(projectId);
      if (current) {
        const epoch = current.statusEpoch;
        const res = await rpc.request('agent.prompt', { sessionId: current.id, prompt });
        if (!res.ok) return fail(projectId, res.error);
        // Show the new turn at once, unless the main process already reported one.
        if (current.statusEpoch === epoch && !current.active) applyStatus(current, 'starting');
        return true;
      }
      const res = await rpc.request('agent.start', { projectId, provider, prompt, ...(options ? { options } : {}) });
      if (!res.ok) return fail(projectId, res.error);
      const s = new SessionState({ id: res.sessionId, projectId, provider, createdAt: clock.now() });
      register(s);
      currentByProject.set(projectId, s);
      saveRecord(s);
      const early = buffered.get(s.id);
      buffered.delete(s.id);
      for (const item of early ?? []) dispatch(s, item);
      return true;
    } catch (err) {
      return fail(projectId, errorText(err));
    } finally {
      pane.sending = false;
    }
  }

  async function stop(projectId: string) {
    const s = currentByProject.get(projectId);
    if (!s) return;
    try {
      const res = await rpc.request('agent.stop', { sessionId: s.id });
      if (!res.ok) notify({ kind: 'warning', message: `Could not stop the agent on ${projectName(projectId)}` });
    } catch (err) {
      notify({ kind: 'error', message: `Could not stop the agent on ${projectName(projectId)}: ${errorText(err)}` });
    }
  }

  async function answerPermission(projectId: string, requestId: string, optionId: string): Promise<boolean> {
    const s = currentByProject.get(projectId);
    if (!s || s.permissionAnswers.has(requestId)) return false;
    // Recorded first so a double click cannot answer twice; undone if the answer does not land.
    s.permissionAnswers.set(requestId, optionId);
    try {
      const res = await rpc.request('agent.permission', { sessionId: s.id, requestId, optionId });
      if (res.ok) return true;
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
    return Boolean(currentByProject.get(projectId)?.active || panes.get(projectId)?.sending);
  }

  async function loadLastSession(projectId: string) {
    if (busy(projectId)) return;
    try {
      const { session: record } = await rpc.request('session.load', { projectId });
      if (!record || busy(projectId) || sessions.has(record.id)) return;
      const { messages } = await rpc.request('session.messages.load', { sessionId: record.id });
      // Re-checked after each await: a start or live events may have won the race.
      if (busy(projectId) || sessions.has(record.id)) return;
      const s = SessionState.fromRecord(record);
      s.transcript = Transcript.fromStored(messages);
      register(s);
      const previous = currentByProject.get(projectId);
      if (previous) forgetSession(previous);
      currentByProject.set(projectId, s);
      if (s.status !== record.status) saveRecord(s);
      const early = buffered.get(s.id);
      buffered.delete(s.id);
      for (const item of early ?? []) dispatch(s, item);
    } catch (err) {
      notify({ kind: 'warning', message: `Could not restore the last session of ${projectName(projectId)}: ${errorText(err)}` });
    }
  }

  function forgetSession(s: SessionState) {
    s.saver?.dispose();
    sessions.delete(s.id);
  }

  return {
    current: (projectId) => currentByProject.get(projectId),
    get: (sessionId) => sessions.get(sessionId),
    pane: (projectId) => panes.get(projectId) ?? IDLE_PANE,
    send,
    stop,
    answerPermission,
    loadLastSession,
    clearError(projectId) {
      const pane = panes.get(projectId);
      if (pane) pane.error = null;
    },
    async flushAll() {
      await Promise.all([...sessions.values()].map((s) => s.saver?.flush()));
    },
    forgetProject(projectId) {
      for (const s of [...sessions.values()]) if (s.projectId === projectId) forgetSession(s);
      currentByProject.delete(projectId);
      panes.delete(projectId);
    },
    dispose() {
      for (const off of unsubscribe) off();
      for (const s of sessions.values()) s.saver?.dispose();
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
