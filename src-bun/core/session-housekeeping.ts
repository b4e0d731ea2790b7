/**
 * The session manager's housekeeping: retention after each turn (purging a
 * project's oldest sessions from the database and from memory) and the idle
 * reaper (soft-closing sidecars nobody watches). Split from
 * session-manager.ts, which owns the sessions and hands in what these need.
 */
import type { Settings } from '../../src/shared/settings';
import { sessionsToPurge } from './retention';
import type { Live } from './session-ingest';
import type { SessionManagerDeps } from './session-manager';
import type { UnackedBuffer } from './unacked-buffer';

/** What housekeeping needs from the session manager: its deps, its live sessions and how it closes them. */
export type HousekeepingDeps = Pick<SessionManagerDeps, 'store' | 'clock' | 'publish' | 'hasClients' | 'hooks'> & {
  live: Map<string, Live>;
  settings: () => Settings;
  /** True while the session's turn runs or is about to. */
  isLive: (s: Live) => boolean;
  /** Stops the sidecar (abort, SIGTERM, SIGKILL after the grace), then runs `after`. */
  takeDown: (s: Live, after: () => void) => Promise<void>;
  /** Closes an idle sidecar, keeping the session resumable. */
  softClose: (s: Live, reason: 'idle_timeout' | 'evicted') => Promise<void>;
  unacked: UnackedBuffer;
};

/** Creates the retention and idle-reaping steps over the manager's live sessions. */
export function createHousekeeping(deps: HousekeepingDeps) {
  const { store, clock, live, settings, unacked } = deps;
  return {
    /**
     * Applies retention to a project: the sessions past its limits (retention.ts), less those a hook keeps
     * (a worktree with unsaved work), are closed, forgotten and deleted; the UI gets `session.purged`.
     */
    async applyRetention(projectId: string): Promise<void> {
      const candidates = sessionsToPurge(store.sessions.ofProject(projectId), clock.now(), settings());
      const ids = candidates.length && deps.hooks?.purgeable ? await deps.hooks.purgeable(projectId, candidates) : candidates;
      if (ids.length === 0) return;
      // Purged sessions that still hold an idle sidecar are closed first; none of them is mid-turn.
      await Promise.all(ids.map((id) => live.get(id)).filter((s): s is Live => !!s?.sidecar).map((s) => deps.takeDown(s, () => {})));
      for (const id of ids) {
        const s = live.get(id);
        if (s) { clock.clearTimeout(s.flushTimer); clock.clearTimeout(s.recovery); s.watch?.cancel(); live.delete(id); }
        unacked.ackThrough(id, Number.MAX_SAFE_INTEGER);
      }
      store.sessions.remove(ids);
      deps.publish('session.purged', { projectId, sessionIds: ids });
    },

    /** Soft-closes sidecars idle longer than `session_idle_timeout_ms` while no UI client is attached. */
    reapIdle(): void {
      const timeout = settings().session_idle_timeout_ms;
      if (timeout <= 0 || deps.hasClients()) return;
      const isIdle = (s: Live) => s.sidecar && !s.stopping && !deps.isLive(s) && !deps.hasClients() && clock.now() - s.lastActivityAt > timeout;
      for (const s of live.values()) {
        // Each session is checked right before its own close, and the close marks it stopping in the
        // same tick, so a prompt cannot slip in between; one that comes later waits for the close, then resumes.
        if (isIdle(s)) void deps.softClose(s, 'idle_timeout');
      }
    },
  };
}
