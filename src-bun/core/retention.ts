/**
 * Retention per project, as a pure rule: keep the newest `retention_count`
 * finished sessions and none older than `retention_days`, measured on the
 * main process's clock. A session that is starting or running is never
 * purged. The main process applies it to the database on every completed
 * turn and tells the UI (`session.purged`); the UI never decides retention.
 */
import type { SessionStatus } from '../../src/shared/events';
import type { Settings } from '../../src/shared/settings';

const DAY_MS = 24 * 60 * 60 * 1000;
const PROTECTED: ReadonlySet<SessionStatus> = new Set(['starting', 'running']);

/** What the rule looks at in a session. */
export interface RetainedSession {
  id: string;
  status: SessionStatus;
  /** ms since epoch of the last activity; age is measured from it. */
  updatedAt: number;
}

/** Clamps the settings to their allowed ranges (1–50 sessions, 1–365 days). */
export function retentionLimits(settings: Pick<Settings, 'retention_count' | 'retention_days'>): { keep: number; maxAgeMs: number } {
  const keep = Math.min(50, Math.max(1, Math.floor(settings.retention_count)));
  const maxAgeMs = Math.min(365, Math.max(1, Math.floor(settings.retention_days))) * DAY_MS;
  return { keep, maxAgeMs };
}

/**
 * Ids of the sessions retention removes at `now`, given one project's
 * sessions newest first. Applied to a subset of the stored sessions (what a
 * UI holds), it never removes one the full set would keep: a session's rank
 * in a subset is never worse than in the whole.
 */
export function sessionsToPurge(newestFirst: readonly RetainedSession[], now: number, settings: Pick<Settings, 'retention_count' | 'retention_days'>): string[] {
  const { keep, maxAgeMs } = retentionLimits(settings);
  const purge: string[] = [];
  let kept = 0;
  for (const s of newestFirst) {
    if (PROTECTED.has(s.status)) continue;
    if (kept >= keep || now - s.updatedAt > maxAgeMs) purge.push(s.id);
    else kept++;
  }
  return purge;
}
