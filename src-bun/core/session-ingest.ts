/**
 * Where sidecar events enter the main process: seqIds are stamped here,
 * events are held until written (on the store's persist request, on its own
 * debounce, on a terminal status), batched to the UI, and the
 * session row is kept current. This is the hot path: no per-event I/O
 * beyond the outbox push.
 */
import type { AgentEvent, SessionStatus, StatusReason, WireMessage } from '../../src/shared/events';
import type { EventName, EventPayload } from '../../src/shared/rpc';
import type { Clock, TimerHandle } from '../../src/shared/clock';
import type { ResolvedOptions } from './session-options';
import type { SidecarHandle } from './sidecar-process';
import type { TurnToolCalls } from './crash-recovery';
import type { Store, StoredSession } from './store';
import { UnackedBuffer } from './unacked-buffer';

export type Publish = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type Logger = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };

/** A session the main process is holding in memory (it may or may not have a sidecar). */
export type Live = {
  record: StoredSession;
  options: ResolvedOptions;
  sidecar: SidecarHandle | null;
  nextSeq: number;
  turnRunning: boolean;
  /** Set while a stop, close or shutdown is taking the sidecar down, so its exit is not a crash. */
  stopping: Promise<void> | null;
  outbox: WireMessage[];
  flushTimer: TimerHandle | null;
  /** ms since epoch of the last event or prompt: drives zombie detection and the idle reaper. */
  lastActivityAt: number;
  /** The prompt of the running (or last) turn, re-sent when recovering from a crash. */
  lastPrompt: string | null;
  /** Crashes since the last completed turn. */
  crashes: number;
  /** Tool calls the running (or last) turn started (the first few, and how many): after a crash, a turn with any is not sent again. */
  turnToolCalls: TurnToolCalls;
  /** The provider reported an error that must never be retried. */
  fatal: boolean;
  /** Session totals when the current sidecar started, for providers whose cost events count per sidecar. */
  costBaseline: { costUsd: number | null; inputTokens: number; outputTokens: number };
  /** Permission requests the agent is waiting on the user for (ids); while any is open the session is not a zombie. */
  awaitingInput: Set<string>;
  /** Pending cancellations: zombie watch, crash recovery. */
  watch: { cancel(): void } | null;
  recovery: TimerHandle | null;
};

export const LIVE_STATUSES: readonly SessionStatus[] = ['starting', 'running'];

/** Most messages one `agent.message` carries; a larger batch is split, in order. */
export const MAX_FRAME_MESSAGES = 500;

/** Rows per SQLite transaction when held messages are written: about 30 ms each, with the search index. */
export const WRITE_CHUNK_ROWS = 2000;

export function createIngest(deps: {
  store: Store; clock: Clock; publish: Publish; hasClients: () => boolean; log: Logger;
  /** Called after a turn ended (done or error) and its events were written. */
  onTurnEnd?: (s: Live) => void;
}) {
  const { store, clock, publish, log } = deps;
  const unacked = new UnackedBuffer();

  function sendOutbox(s: Live): void {
    if (s.outbox.length === 0) return;
    const messages = s.outbox;
    s.outbox = [];
    // A burst goes out in frames of bounded size, so a client handles each in a short task of its own.
    if (messages.length <= MAX_FRAME_MESSAGES) return publish('agent.message', { sessionId: s.record.id, messages });
    for (let i = 0; i < messages.length; i += MAX_FRAME_MESSAGES) {
      publish('agent.message', { sessionId: s.record.id, messages: messages.slice(i, i + MAX_FRAME_MESSAGES) });
    }
  }

  /**
   * Writes `messages` of a session (held ones, in seqId order) and stops holding them, in transactions of at
   * most {@link WRITE_CHUNK_ROWS} rows with the event loop running in between, so a backlog of 100,000
   * messages (about 1.5 s of SQLite with the search index) never blocks the sessions still streaming. The
   * first chunk is written before this returns. Resolves with the rows written, fewer when the session went
   * away meanwhile; rejects when a write fails, the rest staying held for the next attempt.
   */
  async function writeChunked(sessionId: string, messages: readonly WireMessage[]): Promise<number> {
    let written = 0;
    for (let i = 0; i < messages.length; i += WRITE_CHUNK_ROWS) {
      if (i > 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!store.sessions.get(sessionId)) return written;
      }
      const chunk = messages.slice(i, i + WRITE_CHUNK_ROWS);
      store.messages.save(sessionId, chunk);
      unacked.ackThrough(sessionId, chunk[chunk.length - 1].seqId);
      written += chunk.length;
    }
    return written;
  }

  /** {@link writeChunked} of everything held for the session, started now; a failure is logged (the messages stay held). */
  function flushInChunks(sessionId: string): void {
    const pending = [...unacked.pending(sessionId)];
    if (pending.length === 0) return;
    writeChunked(sessionId, pending).catch((e: unknown) => log.error(`could not save the messages of session ${sessionId}: ${String(e)}`));
  }

  /** Writes every unacknowledged event of a session at once (shutdown, the last UI gone); idempotent. Returns how many were written. */
  function flushSession(sessionId: string): number {
    const pending = unacked.pending(sessionId);
    if (pending.length === 0) return 0;
    const last = pending[pending.length - 1].seqId;
    try {
      store.messages.save(sessionId, pending);
    } catch (e) {
      log.error(`could not save ${pending.length} messages of session ${sessionId}: ${String(e)}`);
      return 0;
    }
    return unacked.ackThrough(sessionId, last).length;
  }

  /**
   * Without a UI the main process saves on the debounce window itself. With
   * one, it still saves after three windows, so a UI that stops acknowledging
   * (a hung tab) costs at most that much on a crash. Writes are idempotent.
   */
  function scheduleSelfFlush(s: Live): void {
    if (s.flushTimer) return;
    const windowMs = store.settings.getAll().persist_debounce_ms;
    s.flushTimer = clock.setTimeout(() => {
      s.flushTimer = null;
      flushInChunks(s.record.id);
    }, deps.hasClients() ? windowMs * 3 : windowMs);
  }

  /** Records and publishes a status; queued messages go out first so the UI sees them in order. */
  function setStatus(s: Live, status: SessionStatus, reason: StatusReason | null = null, error: string | null = null): void {
    sendOutbox(s);
    s.record = { ...s.record, status, reason, error, updatedAt: clock.now() };
    store.sessions.update(s.record.id, { status, reason, error, updatedAt: s.record.updatedAt });
    publish('agent.status', { sessionId: s.record.id, projectId: s.record.projectId, status, ...(reason ? { reason } : {}), ...(error ? { error } : {}) });
    // A turn that ended (or crashed) is written at once, whoever is attached: nothing received is lost.
    if (!LIVE_STATUSES.includes(status)) flushInChunks(s.record.id);
  }

  /** Stamps an event with the next seqId, keeps it until acknowledged, and queues it for the UI. */
  function admit(s: Live, event: AgentEvent): WireMessage {
    const message: WireMessage = { seqId: s.nextSeq++, ts: clock.now(), event };
    s.lastActivityAt = message.ts;
    unacked.push(s.record.id, message);
    // One frame per tick: everything read from the sidecar in this turn of the event loop (every chunk
    // already in the pipe) goes in one agent.message; a status or cost sends the outbox first, so order is kept.
    if (s.outbox.push(message) === 1) setImmediate(() => sendOutbox(s));
    scheduleSelfFlush(s);
    return message;
  }

  function addCost(s: Live, event: Extract<AgentEvent, { type: 'cost' }>): void {
    const r = s.record;
    let costUsd: number | null;
    let inputTokens: number;
    let outputTokens: number;
    if (event.scope === 'sidecar') {
      // Totals since this sidecar started: add what the session had before it.
      const b = s.costBaseline;
      costUsd = event.costUsd === null ? r.costUsd : (b.costUsd ?? 0) + event.costUsd;
      inputTokens = b.inputTokens + event.inputTokens;
      outputTokens = b.outputTokens + event.outputTokens;
    } else {
      // Running totals of the provider session; a failed turn may report zeros, so totals only grow.
      costUsd = event.costUsd === null ? r.costUsd : Math.max(r.costUsd ?? 0, event.costUsd);
      inputTokens = Math.max(r.inputTokens, event.inputTokens);
      outputTokens = Math.max(r.outputTokens, event.outputTokens);
    }
    s.record = { ...r, costUsd, inputTokens, outputTokens };
    store.sessions.update(r.id, { costUsd, inputTokens: s.record.inputTokens, outputTokens: s.record.outputTokens });
    sendOutbox(s);
    publish('agent.cost', {
      sessionId: r.id, costUsd, inputTokens: s.record.inputTokens, outputTokens: s.record.outputTokens,
      ...(event.contextTokens !== undefined ? { contextTokens: event.contextTokens } : {}),
      ...(event.contextWindow !== undefined ? { contextWindow: event.contextWindow } : {}),
    });
  }

  /** Handles one validated event from a session's sidecar. */
  function onEvent(s: Live, event: AgentEvent): void {
    s.lastActivityAt = clock.now();
    switch (event.type) {
      case 'status':
        if (event.status === 'running') {
          s.turnRunning = true;
          setStatus(s, 'running');
        } else if (event.status === 'done' || event.status === 'error') {
          s.turnRunning = false;
          s.awaitingInput.clear(); // a request left open when the turn ended can no longer be answered
          if (event.status === 'done' && event.reason !== 'stopped') s.crashes = 0;
          if (!s.stopping) {
            setStatus(s, event.status, event.reason ?? (event.status === 'done' ? 'completed' : 'provider_error'), event.message ?? null);
            deps.onTurnEnd?.(s);
          }
        }
        return;
      case 'init':
        s.record = { ...s.record, providerSessionId: event.providerSessionId, model: event.model ?? s.record.model };
        store.sessions.update(s.record.id, { providerSessionId: event.providerSessionId, model: s.record.model });
        // The pane header says when tools run without asking (bypass, unattended): only such an init is shown and stored.
        if (event.approvals && event.approvals.policy !== 'ask') admit(s, event);
        return;
      case 'cost':
        return addCost(s, event);
      case 'error':
        if (event.fatal) s.fatal = true;
        admit(s, event);
        return;
      case 'permission_request':
        // A copy with `answered` only updates the card: nothing waits on it any more.
        if (event.answered) s.awaitingInput.delete(event.id);
        else s.awaitingInput.add(event.id);
        admit(s, event);
        return;
      default:
        admit(s, event);
    }
  }

  return {
    unacked, sendOutbox, flushSession, setStatus, admit, onEvent,
    /**
     * The store's debounced request "persist session S through seqId N": writes
     * the messages held for S with seqId <= N (idempotent) and stops holding
     * them. Only the main process's own copies are written; nothing comes from
     * the UI. Resolves with the highest seqId now stored, or -1. A large
     * backlog is written in chunks, the event loop running in between
     * ({@link writeChunked}). Throws for an unknown session.
     */
    async persistThrough(sessionId: string, throughSeqId: number): Promise<number> {
      if (!store.sessions.get(sessionId)) throw new Error(`Unknown session ${sessionId}`);
      await writeChunked(sessionId, unacked.pending(sessionId).filter((m) => m.seqId <= throughSeqId));
      return store.messages.maxSeqId(sessionId);
    },
  };
}
export type Ingest = ReturnType<typeof createIngest>;
