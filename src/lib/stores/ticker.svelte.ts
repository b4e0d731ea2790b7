/**
 * A reactive "now" that moves on the injected clock while someone watches it:
 * idle durations and burn rates in the pane header read it. It only ticks
 * between {@link Ticker.start} and {@link Ticker.stop}, so an idle app holds no timer.
 */
import type { Clock, TimerHandle } from '../../shared/clock';

/** A reactive clock reading. */
export interface Ticker {
  /** ms since epoch, updated every interval while started. */
  readonly now: number;
  start(): void;
  stop(): void;
}

/** Creates a ticker updating every `intervalMs` (default 1 s). */
export function createTicker(clock: Clock, intervalMs = 1000): Ticker {
  let now = $state(clock.now());
  let timer: TimerHandle | null = null;

  function tick() {
    now = clock.now();
    timer = clock.setTimeout(tick, intervalMs);
  }

  return {
    get now() {
      return now;
    },
    start() {
      if (timer !== null) return;
      tick();
    },
    stop() {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      now = clock.now();
    },
  };
}
