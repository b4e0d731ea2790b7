/**
 * The prompt queue of each session, in the main process. Prompts queued while
 * a turn runs go out one by one, in order, each when the previous turn ends
 * `done`. A turn that ends otherwise (an error, a crash, the user's Stop, a
 * quit) holds the rest back as `unsent`, with the reason, until Retry: a
 * prompt is never sent into a situation the user did not see coming.
 *
 * Steer interrupts the running turn through the provider (the sidecar's
 * `abort`: Claude SDK interrupt, Codex `turn/interrupt`, ACP
 * `session/cancel`) and sends its prompt the moment the turn has ended; if
 * the turn has not ended after `steerGraceMs`, the sidecar is stopped as by
 * Stop, and the prompt then resumes the session in a new one.
 *
 * The queue learns of turn ends from the session statuses the core publishes
 * ({@link PromptQueue.onStatus}); it drives the session only through the
 * narrow {@link QueueSessions} port, so tests run it on a fake.
 */
import type { Clock, TimerHandle } from '../../src/shared/clock';
import type { SessionStatus, StatusReason } from '../../src/shared/events';
import type { EventName, EventPayload } from '../../src/shared/rpc';
import type { QueueItem, QueueResult } from '../../src/shared/rpc/queue';
import type { PromptQueueStore } from './prompt-queue-store';

type Result = { ok: true } | { ok: false; error: string };

/** What the queue needs of the session manager. */
export type QueueSessions = {
  /** True when the session is stored (live or not). */
  exists(sessionId: string): boolean;
  /** True while the session's turn runs or a prompt is being started: a prompt now would be refused. */
  busy(sessionId: string): boolean;
  /** Sends a prompt (resuming the session if its sidecar is gone); refusals come back as `{ok:false}`. */
  prompt(sessionId: string, text: string): Promise<Result>;
  /** Asks the provider to end the running turn; false when no turn was running in a sidecar. */
  interrupt(sessionId: string): boolean;
  /** Takes the sidecar down as Stop does; the session then reports `done`/`stopped`. */
  stop(sessionId: string): Promise<unknown>;
};

export type PromptQueueDeps = {
  store: PromptQueueStore;
  sessions: QueueSessions;
  clock: Clock;
  publish: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  log: { warn(msg: string): void };
  /** How long a steered turn may take to end after the interrupt before its sidecar is stopped, ms (default 3000). */
  steerGraceMs?: number;
};

/** Why queued prompts were held back, by how the turn ended. */
export function holdReason(status: SessionStatus, reason: StatusReason | undefined, error: string | undefined): string {
  if (status === 'done' && reason === 'stopped') return 'Not sent: the turn was stopped';
  if (status === 'interrupted') return `Not sent: the session was interrupted${error ? ` (${error})` : ''}`;
  return `Not sent: the session failed${error ? `: ${error}` : ''}`;
}

/** What a held prompt says after a relaunch. */
export const QUIT_REASON = 'Not sent: Corral quit before the turn ended';

/** Creates the queue over its table and the session manager's port. */
export function createPromptQueue(deps: PromptQueueDeps) {
  const { store, sessions, clock, log } = deps;
  const steerGraceMs = deps.steerGraceMs ?? 3000;
  /** Sessions with a prompt being handed over right now: one at a time per session. */
  const dispatching = new Set<string>();
  /** A steer waiting for its turn to end, per session. */
  const steering = new Map<string, { text: string; timer: TimerHandle }>();
  /** Revision of the latest change; starting from the boot time keeps it above the last run's. */
  let revision = clock.now();

  function changed(sessionId: string): { items: QueueItem[]; revision: number } {
    const snapshot = { items: store.list(sessionId), revision: ++revision };
    deps.publish('queue.changed', { sessionId, ...snapshot });
    return snapshot;
  }

  /** Sends the first queued prompt if the session is free; it leaves the queue once the session took it. */
  async function pump(sessionId: string): Promise<void> {
    if (dispatching.has(sessionId) || steering.has(sessionId) || sessions.busy(sessionId)) return;
    const next = store.list(sessionId).find((i) => i.state === 'queued');
    if (!next) return;
    dispatching.add(sessionId);
    store.setState(next.id, 'sending');
    changed(sessionId);
    let res: Result;
    try {
      res = await sessions.prompt(sessionId, next.text);
    } catch (e) {
      res = { ok: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      dispatching.delete(sessionId);
    }
    if (res.ok) store.remove(next.id);
    // Refused because a turn started meanwhile (another tab): it waits for that turn's end.
    else if (sessions.busy(sessionId)) store.setState(next.id, 'queued');
    else store.setState(next.id, 'unsent', `Not sent: ${res.error}`);
    changed(sessionId);
  }

  /** Holds every waiting prompt of the session back as unsent. */
  function hold(sessionId: string, reason: string): void {
    const waiting = store.list(sessionId).filter((i) => i.state === 'queued');
    for (const i of waiting) store.setState(i.id, 'unsent', reason);
    if (waiting.length) changed(sessionId);
  }

  async function sendSteer(sessionId: string, text: string): Promise<void> {
    let res: Result;
    try {
      res = await sessions.prompt(sessionId, text);
    } catch (e) {
      res = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    if (res.ok) return;
    // Nothing is lost: the steer prompt goes to the head of the queue, to be retried.
    store.add({ id: crypto.randomUUID(), sessionId, text, state: 'unsent', error: `Not sent: ${res.error}`, createdAt: clock.now(), first: true });
    changed(sessionId);
  }

  function get(sessionId: string, id: string): QueueItem | string {
    const item = store.get(id);
    if (!item || item.sessionId !== sessionId) return `No queued prompt ${id} in this session`;
    return item;
  }
  const settled = (sessionId: string): QueueResult => ({ ok: true, ...changed(sessionId) });

  return {
    /** The session's queue, in order. */
    list: (sessionId: string): QueueItem[] => store.list(sessionId),
    /** The session's queue with the revision it is current at. */
    snapshot: (sessionId: string): { items: QueueItem[]; revision: number } => ({ items: store.list(sessionId), revision }),

    /** Queues a prompt at the end; it goes out at once when the session is free. */
    add(sessionId: string, text: string): QueueResult {
      if (!sessions.exists(sessionId)) return { ok: false, error: `Unknown session ${sessionId}` };
      store.add({ id: crypto.randomUUID(), sessionId, text, state: 'queued', createdAt: clock.now() });
      const result = settled(sessionId);
      void pump(sessionId);
      return result;
    },

    /** Replaces the text of a prompt that is not being sent. */
    edit(sessionId: string, id: string, text: string): QueueResult {
      const item = get(sessionId, id);
      if (typeof item === 'string') return { ok: false, error: item };
      if (item.state === 'sending') return { ok: false, error: 'This prompt is being sent and can no longer be edited' };
      store.setText(id, text);
      return settled(sessionId);
    },

    /** Moves a prompt one place earlier (-1) or later (1); at either end it stays. */
    move(sessionId: string, id: string, offset: -1 | 1): QueueResult {
      const items = store.list(sessionId);
      const at = items.findIndex((i) => i.id === id);
      if (at < 0) return { ok: false, error: `No queued prompt ${id} in this session` };
      const other = items[at + offset];
      if (other) store.swap(items[at], other);
      return settled(sessionId);
    },

    /** Removes a prompt that is not being sent. */
    remove(sessionId: string, id: string): QueueResult {
      const item = get(sessionId, id);
      if (typeof item === 'string') return { ok: false, error: item };
      if (item.state === 'sending') return { ok: false, error: 'This prompt is being sent and can no longer be removed' };
      store.remove(id);
      return settled(sessionId);
    },

    /** Puts unsent prompts (one, or all) back in the queue, and sends the first if the session is free. */
    retry(sessionId: string, id?: string): QueueResult {
      const unsent = store.list(sessionId).filter((i) => i.state === 'unsent' && (id === undefined || i.id === id));
      if (id !== undefined && unsent.length === 0) return { ok: false, error: `No unsent prompt ${id} in this session` };
      for (const i of unsent) store.setState(i.id, 'queued');
      const result = settled(sessionId);
      void pump(sessionId);
      return result;
    },

    /** Steer: interrupts the running turn and sends `text` as soon as it ended (at once when no turn runs). */
    async steer(sessionId: string, text: string): Promise<Result> {
      if (!sessions.exists(sessionId)) return { ok: false, error: `Unknown session ${sessionId}` };
      if (steering.has(sessionId)) return { ok: false, error: 'A steer is already under way on this session' };
      if (!sessions.busy(sessionId)) return sessions.prompt(sessionId, text);
      const timer = clock.setTimeout(() => {
        log.warn(`session ${sessionId}: the steered turn did not end ${steerGraceMs} ms after the interrupt; stopping its sidecar`);
        void sessions.stop(sessionId);
      }, steerGraceMs);
      steering.set(sessionId, { text, timer });
      if (!sessions.interrupt(sessionId)) {
        // No turn in a sidecar yet (it is still starting): the stop ends it, and the steer goes out after.
        clock.clearTimeout(timer);
        steering.set(sessionId, { text, timer: null });
        void sessions.stop(sessionId);
      }
      return { ok: true };
    },

    /**
     * Reacts to a session status the core published. Runs synchronously
     * inside the publish; the prompt that follows is sent in a microtask,
     * after the status has gone out and the turn's events were written.
     */
    onStatus(p: { sessionId: string; status: SessionStatus; reason?: StatusReason; error?: string }): void {
      if (p.status === 'starting' || p.status === 'running') return;
      const steer = steering.get(p.sessionId);
      if (steer) {
        steering.delete(p.sessionId);
        clock.clearTimeout(steer.timer);
        queueMicrotask(() => void sendSteer(p.sessionId, steer.text));
        return;
      }
      if ((p.status === 'done' && p.reason !== 'stopped') || p.status === 'idle') queueMicrotask(() => void pump(p.sessionId));
      else hold(p.sessionId, holdReason(p.status, p.reason, p.error));
    },

    /** After a relaunch: prompts that never went out are held as unsent (Retry sends them). Returns how many. */
    recoverAfterRestart(): number {
      const stale = store.withState('queued', 'sending');
      for (const i of stale) store.setState(i.id, 'unsent', QUIT_REASON);
      return stale.length;
    },
  };
}
export type PromptQueue = ReturnType<typeof createPromptQueue>;
