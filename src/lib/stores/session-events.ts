/**
 * The session store's inbound side: `agent.message`, `agent.status` and
 * `agent.cost` applied to the session they name, and the answers of
 * `session.sync` applied the same way. Messages are deduplicated and ordered
 * by seqId in the transcript, which holds back what follows a gap until the
 * gap is filled (`onGap`); persistence through the newest contiguous seqId
 * is noted for the debounced `session.persist`. A status change moves the
 * stall and cleanup timers and toasts. Nothing here stores anything: the
 * main process is the only writer.
 * Events for a session the store does not hold yet (its `agent.start`, or a
 * restore, has not answered) are held per session until it is registered;
 * events for a purged session are dropped.
 */
import type { SessionStatus, StatusReason, WireMessage } from '../../shared/events';
import type { EventPayload } from '../../shared/rpc/index';
import type { Clock } from '../../shared/clock';
import { recordCostSnapshot } from './health';
import { FINISHED_STATUSES, normalizeStatus, type SessionState } from './session-state.svelte';
import type { SessionTimerControl } from './session-timers';
import type { Notify } from './toasts.svelte';
import { trimWindow } from './transcript-paging';

/** One inbound session event, as received. */
export type SessionEvent =
  | { kind: 'message'; payload: EventPayload<'agent.message'> }
  | { kind: 'status'; payload: EventPayload<'agent.status'> }
  | { kind: 'cost'; payload: EventPayload<'agent.cost'> };

/** Events for sessions this window has not registered yet (agent.start has not answered) are held this long, per session. */
const MAX_BUFFERED_EVENTS = 5_000;
const MAX_BUFFERED_SESSIONS = 32;

/** What the event side needs from the store. */
export interface SessionEventDeps {
  clock: Clock;
  notify: Notify;
  projectName: (projectId: string) => string;
  timers: SessionTimerControl;
  /** The registered session with this id, if any. */
  lookup: (sessionId: string) => SessionState | undefined;
  /** A status arrived for a session of the project that nobody here registered (another window started it). */
  onForeignSession: (projectId: string, sessionId: string) => void;
  /** A turn began (or goes on) on the session. */
  onTurnActive: (s: SessionState) => void;
  /** A turn ended (done or error). */
  onTurnFinished: (s: SessionState) => void;
  /** Messages past a missing seqId are held back: fill the gap (`session.sync`). */
  onGap: (s: SessionState) => void;
}

/** The event side's face, for the store. */
export interface SessionEvents {
  /** Applies an event to its session, or holds it until the session is registered. */
  receive(event: SessionEvent): void;
  /** Applies the events that arrived before the session was registered. */
  drain(s: SessionState): void;
  /** Sets a status as if the main process had reported it (the optimistic start of a follow-up turn, a resync answer). */
  applyStatus(s: SessionState, status: SessionStatus, reason?: StatusReason, error?: string): void;
  /** Applies messages; `complete` marks a `session.sync` answer (everything after some seqId), see `Transcript.ingest`. */
  ingest(s: SessionState, wires: readonly WireMessage[], complete?: boolean): void;
  /** Applies cost totals as `agent.cost` carries them. */
  applyCost(s: SessionState, p: EventPayload<'agent.cost'>): void;
  /** The session was purged: its held events go, and later ones are dropped. */
  forget(sessionId: string): void;
}

/** Creates the event side; see the module comment. */
export function createSessionEvents(deps: SessionEventDeps): SessionEvents {
  const { clock, notify, projectName, timers } = deps;
  /** Events that arrived before their session was known, oldest session first. */
  const buffered = new Map<string, SessionEvent[]>();
  /** Sessions purged from memory: late events for them are dropped, not held. */
  const purgedIds = new Set<string>();

  function applyStatus(s: SessionState, status: SessionStatus, reason?: StatusReason, error?: string) {
    const prev = s.status;
    const nextError = status === 'error' ? (error ?? s.lastErrorText ?? 'unknown error') : (error ?? null);
    if (prev === status && s.error === nextError && (reason ?? null) === s.reason) return;
    s.status = status;
    s.reason = reason ?? null;
    s.error = nextError;
    s.lastActivityAt = clock.now();
    s.stalled = false;
    s.statusEpoch++;
    if (s.active) {
      s.lastErrorText = null;
      s.fatal = null;
      timers.cancelCleanup(s);
      deps.onTurnActive(s);
      timers.armStall(s);
    } else {
      timers.clearStall(s);
      s.pendingInput.clear();
      s.openTools.clear();
      s.activeTool = null;
    }
    if (prev === status) return;
    const name = projectName(s.projectId);
    if (status === 'done' && reason === 'stopped') notify({ kind: 'info', message: `Agent stopped on ${name}` });
    else if (status === 'done') notify({ kind: 'success', message: `Agent completed on ${name}` });
    else if (status === 'error') notify({ kind: 'error', message: reason === 'budget_exceeded' ? `${name}: ${nextError}` : `Agent error on ${name}: ${nextError}` });
    if (FINISHED_STATUSES.has(status)) {
      // No flush from here: the main process writes a finished turn itself.
      timers.scheduleCleanup(s);
      deps.onTurnFinished(s);
    }
  }

  function ingest(s: SessionState, wires: readonly WireMessage[], complete = false) {
    const { fresh, displayChanged, gap } = s.transcript.ingest(wires, { complete });
    if (gap) deps.onGap(s);
    if (fresh.length === 0) return;
    s.lastActivityAt = clock.now();
    s.stalled = false;
    let toolsChanged = false;
    for (const { event } of fresh) {
      if (event.type === 'init') {
        s.providerSessionId = event.providerSessionId;
        if (event.model) s.model = event.model;
      } else if (event.type === 'error') {
        s.lastErrorText = event.message;
        if (event.fatal) s.fatal = event.fatal;
      }
      else if (event.type === 'tool_call') {
        s.openTools.delete(event.id);
        s.openTools.set(event.id, event.name);
        toolsChanged = true;
      } else if (event.type === 'tool_result') toolsChanged = s.openTools.delete(event.id) || toolsChanged;
      else if (event.type === 'permission_request' && event.answered) s.pendingInput.delete(event.id); // answered, maybe in another tab
      else if (event.type === 'permission_request' && s.active && !s.permissionAnswers.has(event.id) && !s.pendingInput.has(event.id)) {
        s.pendingInput.set(event.id, event.title);
        notify({ kind: 'warning', key: `input:${s.id}`, message: `Agent needs input on ${projectName(s.projectId)}: ${event.title}` });
      }
    }
    if (toolsChanged) s.activeTool = s.active ? ([...s.openTools.values()].at(-1) ?? null) : null;
    if (displayChanged) {
      trimWindow(s);
      s.version++;
    }
    s.saver?.note(s.transcript.maxSeqId);
    timers.armStall(s);
  }

  function applyCost(s: SessionState, p: EventPayload<'agent.cost'>) {
    const sameContext = (p.contextTokens ?? s.contextTokens) === s.contextTokens && (p.contextWindow ?? s.contextWindow) === s.contextWindow;
    if (s.costUsd === p.costUsd && s.inputTokens === p.inputTokens && s.outputTokens === p.outputTokens && sameContext) return;
    s.costUsd = p.costUsd ?? null;
    s.inputTokens = p.inputTokens;
    s.outputTokens = p.outputTokens;
    if (p.contextTokens !== undefined) s.contextTokens = p.contextTokens;
    if (p.contextWindow !== undefined) s.contextWindow = p.contextWindow;
    s.costEpoch++;
    if (p.costUsd !== null) recordCostSnapshot(s.costSnapshots, clock.now(), p.costUsd);
  }

  function dispatch(s: SessionState, item: SessionEvent) {
    if (item.kind === 'message') ingest(s, Array.isArray(item.payload.messages) ? item.payload.messages : []);
    else if (item.kind === 'status') applyStatus(s, normalizeStatus(item.payload.status), item.payload.reason, item.payload.error);
    else applyCost(s, item.payload);
  }

  return {
    receive(item) {
      const sessionId = item.payload?.sessionId;
      if (typeof sessionId !== 'string') return;
      const s = deps.lookup(sessionId);
      if (s) return dispatch(s, item);
      if (purgedIds.has(sessionId)) return;
      // A session another window started: its status names the project. Our own starts answer for themselves.
      const projectId = item.kind === 'status' ? item.payload.projectId : undefined;
      if (projectId) deps.onForeignSession(projectId, sessionId);
      // agent.start (or a restore) may still be on its way back: hold the events until it names the session.
      let list = buffered.get(sessionId);
      if (!list) {
        if (buffered.size >= MAX_BUFFERED_SESSIONS) buffered.delete(buffered.keys().next().value as string);
        buffered.set(sessionId, (list = []));
      }
      if (list.length < MAX_BUFFERED_EVENTS) list.push(item);
    },
    drain(s) {
      const early = buffered.get(s.id);
      buffered.delete(s.id);
      for (const item of early ?? []) dispatch(s, item);
    },
    applyStatus,
    ingest,
    applyCost,
    forget(sessionId) {
      buffered.delete(sessionId);
      purgedIds.add(sessionId);
    },
  };
}
