/**
 * Health of a project's session, for the pane header: what the agent is
 * doing, which tool it is in, how long it has been quiet, how fast it spends
 * and how full its context is. Pure functions of a session and `now`, so the
 * header recomputes them on a ticker and tests pass any time they like.
 */

/** What a project's agent is doing. */
export type Activity = 'inactive' | 'running' | 'idle' | 'stalled';

/** Window of the burn rate, ms. */
export const BURN_WINDOW_MS = 5 * 60_000;
/** A running turn with no activity for this long counts as idle (until the stall timer says stalled), ms. */
export const IDLE_AFTER_MS = 30_000;
/** Shortest span the burn rate divides by, so a first snapshot seconds into a turn does not read as a huge rate, ms. */
const MIN_BURN_SPAN_MS = 60_000;
const HOUR_MS = 3_600_000;

/** One cost figure as it arrived: ms since epoch, and the session's USD total then. */
export interface CostSnapshot {
  at: number;
  costUsd: number;
}

/** What health reads from a session. */
export interface HealthSource {
  /** True while a turn is starting or running. */
  readonly active: boolean;
  readonly stalled: boolean;
  /** Permission requests waiting for the user. */
  readonly needsInput: boolean;
  readonly activeTool: string | null;
  /** ms since epoch of the last message or status change. */
  readonly lastActivityAt: number;
  /** USD so far; null when the provider reports none (its burn rate is then unknown, not zero). */
  readonly costUsd: number | null;
  readonly costSnapshots: readonly CostSnapshot[];
  readonly contextTokens: number | null;
  readonly contextWindow: number | null;
}

/** A project's health, as the pane header shows it. */
export interface ProjectHealth {
  activity: Activity;
  /** A permission request waits for the user: the agent cannot go on by itself. */
  needsInput: boolean;
  /** Name of the tool call under way, if any. */
  activeTool: string | null;
  /** ms since the last activity while a turn is under way; null otherwise. */
  idleMs: number | null;
  /** USD per hour over the last {@link BURN_WINDOW_MS}; null when the provider reports no cost. */
  burnRateUsdPerHour: number | null;
  /** Context tokens in use divided by the model's window (0–1+), where the provider reports both. */
  contextPressure: number | null;
}

/** Health of a project without a session. */
export const NO_HEALTH: ProjectHealth = Object.freeze({
  activity: 'inactive', needsInput: false, activeTool: null, idleMs: null, burnRateUsdPerHour: null, contextPressure: null,
});

/**
 * Adds a snapshot and forgets the ones the burn rate no longer needs: every
 * snapshot older than the window except the newest of those, which is the
 * baseline the window's spending is measured from. Kept short: a few entries
 * per minute of activity.
 */
export function recordCostSnapshot(list: CostSnapshot[], at: number, costUsd: number): void {
  list.push({ at, costUsd });
  const windowStart = at - BURN_WINDOW_MS;
  let firstNeeded = 0;
  while (firstNeeded + 1 < list.length && list[firstNeeded + 1].at <= windowStart) firstNeeded++;
  if (firstNeeded > 0) list.splice(0, firstNeeded);
}

/**
 * USD per hour over the last {@link BURN_WINDOW_MS} before `now`: the latest
 * total minus the total at the start of the window (or the first snapshot,
 * when the session is younger), divided by the time covered (at least a minute).
 */
export function burnRateUsdPerHour(list: readonly CostSnapshot[], now: number): number | null {
  if (list.length === 0) return null;
  const windowStart = now - BURN_WINDOW_MS;
  let base = list[0];
  for (const s of list) if (s.at <= windowStart) base = s;
  const latest = list[list.length - 1];
  const spentUsd = Math.max(0, latest.costUsd - base.costUsd);
  const spanMs = Math.max(MIN_BURN_SPAN_MS, now - Math.max(base.at, windowStart));
  return (spentUsd / spanMs) * HOUR_MS;
}

/** Context tokens over the window, or null when either is unknown. */
export function contextPressure(tokens: number | null, window: number | null): number | null {
  return tokens !== null && window !== null && window > 0 ? tokens / window : null;
}

/**
 * Health of a session at `now`. `live` is false for a session the project
 * is no longer mapped to (after grace cleanup): it shows as inactive, with
 * no burn rate, but its context pressure still tells what a follow-up starts from.
 */
export function sessionHealth(s: HealthSource | undefined, now: number, live = true): ProjectHealth {
  if (!s) return NO_HEALTH;
  const pressure = contextPressure(s.contextTokens, s.contextWindow);
  if (!live) return { ...NO_HEALTH, contextPressure: pressure };
  const idleMs = s.active ? Math.max(0, now - s.lastActivityAt) : null;
  let activity: Activity = 'inactive';
  if (s.active) activity = s.stalled ? 'stalled' : s.needsInput || (idleMs ?? 0) >= IDLE_AFTER_MS ? 'idle' : 'running';
  return {
    activity,
    needsInput: s.active && s.needsInput,
    activeTool: s.active ? s.activeTool : null,
    idleMs,
    burnRateUsdPerHour: s.costUsd === null ? null : burnRateUsdPerHour(s.costSnapshots, now),
    contextPressure: pressure,
  };
}
