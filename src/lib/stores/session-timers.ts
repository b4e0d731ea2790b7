/**
 * The two lifecycle timers of a session, on the injected clock:
 *
 * - the stall timer, armed while a turn is under way and reset by every
 *   message; it fires after the stall timeout of quiet, unless a permission
 *   request is waiting for the user (then the agent is not stalled, it needs
 *   input);
 * - the grace-period cleanup, started when a turn ends; if the session is
 *   still done or errored when it fires, the project is unmapped from it.
 */
import type { Clock } from '../../shared/clock';
import { FINISHED_STATUSES, type SessionState } from './session-state.svelte';

/** Delay of the grace-period cleanup after done/error, ms. */
export const CLEANUP_GRACE_MS = 60_000;
const MINUTE_MS = 60_000;

/** What the timers need from the store. */
export interface SessionTimerDeps {
  clock: Clock;
  /** The stall timeout in minutes, read at every arming so a settings change applies to the next one. */
  stallMinutes: () => number;
  /** The stall timer fired on a session that is still under way; `minutes` is the timeout it was armed with. */
  onStall: (s: SessionState, minutes: number) => void;
  /** The grace period ended and the session is still done or errored. */
  onCleanup: (s: SessionState) => void;
  graceMs?: number;
}

/** Stall and cleanup timers for the store's sessions. */
export interface SessionTimerControl {
  /** (Re)arms the stall timer from the session's last activity; clears it when no turn is under way or input is awaited. */
  armStall(s: SessionState): void;
  clearStall(s: SessionState): void;
  /** Starts (or restarts) the grace-period cleanup. */
  scheduleCleanup(s: SessionState): void;
  cancelCleanup(s: SessionState): void;
  /** Clears every timer of the session: stall and cleanup. */
  clearAll(s: SessionState): void;
}

/** Creates the timer control; see the module comment. */
export function createSessionTimers(deps: SessionTimerDeps): SessionTimerControl {
  const { clock } = deps;
  const graceMs = deps.graceMs ?? CLEANUP_GRACE_MS;

  function clearStall(s: SessionState) {
    if (s.timers.stall !== null) clock.clearTimeout(s.timers.stall);
    s.timers.stall = null;
  }

  function armStall(s: SessionState) {
    clearStall(s);
    if (!s.active || s.needsInput) return;
    const minutes = deps.stallMinutes();
    const delay = Math.max(0, s.lastActivityAt + minutes * MINUTE_MS - clock.now());
    s.timers.stall = clock.setTimeout(() => {
      s.timers.stall = null;
      // Re-checked at firing: the turn may have ended, or a permission request arrived, without a reset.
      if (!s.active || s.needsInput || s.stalled) return;
      s.stalled = true;
      deps.onStall(s, minutes);
    }, delay);
  }

  function cancelCleanup(s: SessionState) {
    if (s.timers.cleanup !== null) clock.clearTimeout(s.timers.cleanup);
    s.timers.cleanup = null;
  }

  function scheduleCleanup(s: SessionState) {
    cancelCleanup(s);
    s.timers.cleanup = clock.setTimeout(() => {
      s.timers.cleanup = null;
      if (FINISHED_STATUSES.has(s.status)) deps.onCleanup(s);
    }, graceMs);
  }

  return {
    armStall,
    clearStall,
    scheduleCleanup,
    cancelCleanup,
    clearAll(s) {
      clearStall(s);
      cancelCleanup(s);
    },
  };
}
