/**
 * Debounced persistence of one session, by seqId. The UI holds no copy to
 * save: it asks the main process to "persist session S through seqId N"
 * (`session.persist`), and the main process writes those messages from what
 * it holds. The UI never sends bodies, statuses, costs or timestamps.
 *
 * `note(N)` says the pane now shows everything through N; the first note after
 * a save opens a debounce window, and one request names the highest N noted.
 * A failed request is retried with a growing wait; requests are idempotent on
 * the main process, so one that succeeded but whose answer was lost is
 * harmless to repeat.
 */
import type { Clock, TimerHandle } from '../../shared/clock';

/** Longest wait between retries of a failing request, ms. */
export const MAX_RETRY_DELAY_MS = 30_000;

/** Options of {@link createPersistScheduler}. */
export interface PersistSchedulerOptions {
  clock: Clock;
  /** The debounce window, ms; read at every scheduling so a settings change applies at once. */
  debounceMs: () => number;
  /** Sends "persist through `throughSeqId`"; rejects (or throws) when it did not succeed. */
  persist: (throughSeqId: number) => Promise<unknown>;
  /** Called on each failed request with the count of failures in a row. */
  onError?: (error: unknown, failuresInARow: number) => void;
  /** seqId known persisted already (e.g. the last of a restored session), or -1. */
  savedThroughSeqId?: number;
}

/** A per-session scheduler; see the module comment. */
export interface PersistScheduler {
  /** Highest seqId the main process confirmed persisted, or -1. */
  readonly savedThroughSeqId: number;
  /** Highest seqId noted, which the next request will name. */
  readonly notedThroughSeqId: number;
  /** The pane holds every message through `throughSeqId`: persist it within one debounce window. */
  note(throughSeqId: number): void;
  /** Requests persistence through the highest noted seqId now; resolves true once confirmed, false if the request failed (a retry is then scheduled). */
  flush(): Promise<boolean>;
  /** Stops all timers; nothing more is requested. */
  dispose(): void;
}

/** Creates a scheduler for one session. */
export function createPersistScheduler(options: PersistSchedulerOptions): PersistScheduler {
  const { clock } = options;
  let saved = options.savedThroughSeqId ?? -1;
  let noted = saved;
  let timer: TimerHandle | null = null;
  let inFlight = false;
  let failuresInARow = 0;
  let disposed = false;
  let waiters: Array<(ok: boolean) => void> = [];

  function cancelTimer() {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function schedule(delayMs: number) {
    if (timer !== null || disposed) return;
    timer = clock.setTimeout(() => {
      timer = null;
      send();
    }, delayMs);
  }

  function settle(ok: boolean) {
    const list = waiters;
    waiters = [];
    for (const resolve of list) resolve(ok);
  }

  function send() {
    if (inFlight || disposed) return;
    cancelTimer();
    if (noted <= saved) return settle(true);
    inFlight = true;
    // Captured before the await: what is noted during the request belongs to the next one.
    const through = noted;
    let attempt: Promise<unknown>;
    try {
      attempt = Promise.resolve(options.persist(through));
    } catch (err) {
      attempt = Promise.reject(err);
    }
    attempt.then(
      () => {
        inFlight = false;
        if (disposed) return;
        failuresInARow = 0;
        if (through > saved) saved = through;
        if (noted <= saved) settle(true);
        else if (waiters.length > 0) send();
        else schedule(options.debounceMs());
      },
      (err: unknown) => {
        inFlight = false;
        if (disposed) return;
        failuresInARow++;
        options.onError?.(err, failuresInARow);
        settle(false);
        schedule(Math.min(MAX_RETRY_DELAY_MS, options.debounceMs() * 2 ** (failuresInARow - 1)));
      },
    );
  }

  return {
    get savedThroughSeqId() {
      return saved;
    },
    get notedThroughSeqId() {
      return noted;
    },
    note(throughSeqId) {
      if (disposed || throughSeqId <= noted) return;
      noted = throughSeqId;
      if (!inFlight) schedule(options.debounceMs());
    },
    flush() {
      if (disposed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        waiters.push(resolve);
        // While a request runs, its completion sees the waiter and sends the rest at once.
        if (!inFlight) send();
      });
    },
    dispose() {
      disposed = true;
      cancelTimer();
      settle(false);
    },
  };
}
