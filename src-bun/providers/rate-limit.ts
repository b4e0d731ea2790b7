/**
 * Rate-limit (usage window) reports of the CLIs, mapped to the `rate_limit`
 * AgentEvent the pane header shows. Pure; never throws.
 */
import type { AgentEvent } from '../../src/shared/events';
import { isObj, str, type Obj } from './raw-fields';

type RateLimit = Extract<AgentEvent, { type: 'rate_limit' }>;
const STATUSES = ['allowed', 'allowed_warning', 'rejected'] as const;
const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const percent = (v: number | undefined) => (v === undefined ? undefined : Math.min(100, v));

/**
 * Claude Code stream-json `rate_limit_event` (recorded: test/fixtures/claude/rate-limit.jsonl):
 * `rate_limit_info{status, resetsAt (s since epoch), rateLimitType ('five_hour', 'seven_day', …),
 * utilization (0–1), surpassedThreshold, isUsingOverage}`. Emitted only for subscription logins.
 * Returns [] for an info without a known status.
 */
export function adaptClaudeRateLimit(raw: Obj): AgentEvent[] {
  const info = raw.rate_limit_info;
  if (!isObj(info)) return [];
  const status = STATUSES.find((s) => s === info.status);
  if (!status) return [];
  const utilization = finite(info.utilization);
  const resetsAtS = finite(info.resetsAt);
  const window = str(info.rateLimitType);
  const event: RateLimit = { type: 'rate_limit', status };
  if (window) event.window = window.slice(0, 64);
  if (utilization !== undefined) event.usedPercent = percent(utilization * 100);
  if (resetsAtS !== undefined) event.resetsAt = resetsAtS * 1000;
  return [event];
}

/**
 * Codex app-server `account/rateLimits/updated` params `{rateLimits: RateLimitSnapshot}`,
 * shape from `codex app-server generate-ts` (0.169): `primary`/`secondary`:
 * `{usedPercent (0–100), windowDurationMins | null, resetsAt (s since epoch) | null} | null`,
 * `rateLimitReachedType | null`. The update is sparse: a window left null is not reported.
 * Reports the fuller of the two windows; `rejected` once a limit was reached, `allowed_warning`
 * from 90% used. Not recorded from the real CLI: the scripted model server cannot make Codex send it.
 */
export function adaptCodexRateLimits(params: Obj): AgentEvent[] {
  const snapshot = params.rateLimits;
  if (!isObj(snapshot)) return [];
  const windows = (['primary', 'secondary'] as const).flatMap((name) => {
    const w = snapshot[name];
    const used = isObj(w) ? finite(w.usedPercent) : undefined;
    return isObj(w) && used !== undefined ? [{ name, used: percent(used)!, w }] : [];
  });
  if (windows.length === 0) return [];
  const fullest = windows.reduce((a, b) => (b.used > a.used ? b : a));
  const minutes = finite(fullest.w.windowDurationMins);
  const resetsAtS = finite(fullest.w.resetsAt);
  const event: RateLimit = {
    type: 'rate_limit',
    status: snapshot.rateLimitReachedType ? 'rejected' : fullest.used >= 90 ? 'allowed_warning' : 'allowed',
    window: fullest.name, usedPercent: fullest.used,
  };
  if (minutes !== undefined && Number.isInteger(minutes) && minutes > 0) event.windowMinutes = minutes;
  if (resetsAtS !== undefined) event.resetsAt = resetsAtS * 1000;
  return [event];
}
