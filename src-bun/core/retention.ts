/**
 * Retention per project: keep the newest `retention_count` finished sessions
 * and none older than `retention_days`. Applied to the database on every
 * completed turn; a session that is starting or running is never purged.
 */
import type { SessionStatus } from '../../src/shared/events';
import type { Settings } from '../../src/shared/settings';
import type { StoredSession } from './store';

const DAY_MS = 24 * 60 * 60 * 1000;
const PROTECTED: readonly SessionStatus[] = ['starting', 'running'];

/**
 * Which of a project's sessions (newest first) retention removes at `now`
 * (ms since epoch). Age is measured from `updatedAt`, the last activity.
 */
export function sessionsToPurge(sessions: readonly StoredSession[], now: number, settings: Pick<Settings, 'retention_count' | 'retention_days'>): string[] {
  const keep = Math.min(50, Math.max(1, settings.retention_count));
  const maxAgeMs = Math.min(365, Math.max(1, settings.retention_days)) * DAY_MS;
  const purge: string[] = [];
  let kept = 0;
  for (const s of sessions) {
    if (PROTECTED.includes(s.status)) continue;
    if (kept >= keep || now - s.updatedAt > maxAgeMs) purge.push(s.id);
    else kept++;
  }
  return purge;
}
