/**
 * Saves session records (`session.save`) on every change, one save per
 * session at a time: a change during a save marks it dirty and one newer save
 * follows, so an old record never lands last. A failed save is retried after
 * {@link RECORD_RETRY_MS}; the record is saved whole, so the retry (or the
 * next change) carries everything.
 */
import type { RpcClient } from '../rpc/types';
import type { Clock } from '../../shared/clock';
import type { SessionState } from './session-state.svelte';

/** Wait before saving a session record again after a failed save, ms. */
export const RECORD_RETRY_MS = 5_000;

/** Options of {@link createRecordSaver}. */
export interface RecordSaverDeps {
  rpc: RpcClient;
  clock: Clock;
  /** False once a session was purged or forgotten: nothing more is saved for it. */
  isRegistered: (sessionId: string) => boolean;
}

/** Creates the saver; `save(s)` may be called as often as the record changes. */
export function createRecordSaver(deps: RecordSaverDeps): { save(s: SessionState): void } {
  const { rpc, clock } = deps;
  const inFlight = new Map<string, { dirty: boolean }>();

  function save(s: SessionState) {
    const running = inFlight.get(s.id);
    if (running) {
      running.dirty = true;
      return;
    }
    const entry = { dirty: false };
    inFlight.set(s.id, entry);
    let failed = false;
    rpc
      .request('session.save', { session: s.toRecord() })
      .then((res) => {
        if (!res.ok) throw new Error('the main process refused the record');
      })
      .catch((err: unknown) => {
        failed = true;
        console.warn(`session.save failed for ${s.id}: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => {
        inFlight.delete(s.id);
        if (!deps.isRegistered(s.id)) return;
        if (failed) {
          if (s.timers.recordRetry !== null) clock.clearTimeout(s.timers.recordRetry);
          s.timers.recordRetry = clock.setTimeout(() => {
            s.timers.recordRetry = null;
            if (deps.isRegistered(s.id)) save(s);
          }, RECORD_RETRY_MS);
        } else if (entry.dirty) save(s);
      });
  }

  return { save };
}
