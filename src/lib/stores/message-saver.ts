/**
 * Debounced persistence of one session's messages, by seqId.
 *
 * Messages wait in `pending` until saved. A save takes a batch from the front
 * of `pending`, with its end captured before the async call, so messages that
 * arrive during the save are not counted as saved. Only a successful save
 * removes the batch and moves the watermark; a failed one leaves it in place,
 * so the retry sends the same messages first. Saves are idempotent on
 * (session_id, seq_id) on the server, so a save that succeeded but whose
 * answer was lost is harmless to repeat.
 */
import type { WireMessage } from '../../shared/events';
import type { Clock, TimerHandle } from '../../shared/clock';

/** Most messages one `session.messages.save` accepts (its schema's limit). */
export const MAX_SAVE_BATCH = 10_000;
/** Longest wait between retries of a failing save, ms. */
export const MAX_RETRY_DELAY_MS = 30_000;

/** Options of {@link createMessageSaver}. */
export interface MessageSaverOptions {
  clock: Clock;
  /** The debounce window, ms; read at every scheduling so a settings change applies at once. */
  debounceMs: () => number;
  /** Saves one batch; rejects (or throws) when it did not succeed. */
  save: (messages: WireMessage[]) => Promise<unknown>;
  /** Called on each failed save with the count of failures in a row. */
  onError?: (error: unknown, failuresInARow: number) => void;
  /** Watermark to start from (e.g. the highest stored seqId of a restored session). */
  savedThroughSeqId?: number;
  maxBatch?: number;
}

/** A per-session saver; see the module comment. */
export interface MessageSaver {
  /** Highest seqId known saved, or -1. */
  readonly savedThroughSeqId: number;
  /** Messages waiting to be saved, oldest first. Read only. */
  readonly pending: readonly WireMessage[];
  /** Queues new messages; the first one opens a debounce window. */
  add(messages: readonly WireMessage[]): void;
  /** Saves everything pending now; resolves true once all of it is saved, false if a save failed (a retry is then scheduled). */
  flush(): Promise<boolean>;
  /** Stops all timers; pending messages are dropped. */
  dispose(): void;
}

/** Creates a saver for one session. */
export function createMessageSaver(options: MessageSaverOptions): MessageSaver {
  const { clock } = options;
  const maxBatch = options.maxBatch ?? MAX_SAVE_BATCH;
  let savedThroughSeqId = options.savedThroughSeqId ?? -1;
  const pending: WireMessage[] = [];
  let timer: TimerHandle | null = null;
  let saving = false;
  let failuresInARow = 0;
  let disposed = false;
  let flushWaiters: Array<(ok: boolean) => void> = [];

  function cancelTimer() {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function schedule(delayMs: number) {
    if (timer !== null || disposed) return;
    timer = clock.setTimeout(() => {
      timer = null;
      saveNow();
    }, delayMs);
  }

  function settleWaiters(ok: boolean) {
    const waiters = flushWaiters;
    flushWaiters = [];
    for (const resolve of waiters) resolve(ok);
  }

  function saveNow() {
    if (saving || disposed) return;
    cancelTimer();
    if (pending.length === 0) {
      settleWaiters(true);
      return;
    }
    saving = true;
    // Captured before the await: what arrives during the save belongs to the next batch.
    const end = Math.min(pending.length, maxBatch);
    const batch = pending.slice(0, end);
    let batchMax = -1;
    for (const m of batch) if (m.seqId > batchMax) batchMax = m.seqId;
    let attempt: Promise<unknown>;
    try {
      attempt = Promise.resolve(options.save(batch));
    } catch (err) {
      attempt = Promise.reject(err);
    }
    attempt.then(
      () => {
        saving = false;
        if (disposed) return;
        pending.splice(0, end);
        failuresInARow = 0;
        if (batchMax > savedThroughSeqId) savedThroughSeqId = batchMax;
        if (pending.length === 0) settleWaiters(true);
        else if (flushWaiters.length > 0 || pending.length >= maxBatch) saveNow();
        else schedule(options.debounceMs());
      },
      (err: unknown) => {
        saving = false;
        if (disposed) return;
        failuresInARow++;
        options.onError?.(err, failuresInARow);
        settleWaiters(false);
        const delay = Math.min(MAX_RETRY_DELAY_MS, options.debounceMs() * 2 ** (failuresInARow - 1));
        schedule(delay);
      },
    );
  }

  return {
    get savedThroughSeqId() {
      return savedThroughSeqId;
    },
    get pending() {
      return pending;
    },
    add(messages) {
      if (disposed) return;
      for (const m of messages) if (m.seqId > savedThroughSeqId) pending.push(m);
      if (pending.length > 0 && !saving) schedule(options.debounceMs());
    },
    flush() {
      if (disposed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        flushWaiters.push(resolve);
        // While a save runs, its completion sees the waiter and saves the rest at once.
        if (!saving) saveNow();
      });
    },
    dispose() {
      disposed = true;
      cancelTimer();
      pending.length = 0;
      settleWaiters(false);
    },
  };
}
