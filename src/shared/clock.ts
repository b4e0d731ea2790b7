/**
 * Time as both sides see it. Every timer — the UI's toast, debounce, stall
 * and grace timers, the main process's save, reaper, zombie and recovery
 * timers — goes through an injected Clock, so tests drive time with
 * {@link createFakeClock} and never sleep. Runtime-free: no Bun, DOM or Node imports.
 */

/** An opaque timer handle; only the clock that made it can clear it. */
export type TimerHandle = unknown;

/** The injected clock: wall time plus one-shot timers. */
export interface Clock {
  /** ms since epoch */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock, backed by `Date.now` and the global timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A clock whose time moves only through {@link FakeClock.advance}. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in time order (timers they schedule inside the window fire too). */
  advance(ms: number): void;
  /** Number of timers not yet fired or cleared. */
  pending(): number;
}

/** A manual clock for tests. */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') timers.delete(handle);
    },
    pending: () => timers.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let dueId = -1;
        let dueAt = Infinity;
        // Ties fire in scheduling order: ids grow monotonically.
        for (const [id, t] of timers) if (t.at <= end && (t.at < dueAt || (t.at === dueAt && id < dueId))) { dueId = id; dueAt = t.at; }
        if (dueId < 0) break;
        const timer = timers.get(dueId)!;
        timers.delete(dueId);
        now = timer.at;
        timer.fn();
      }
      now = end;
    },
  };
}
