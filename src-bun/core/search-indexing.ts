/**
 * When the deferred search indexing (src-bun/core/search-index.ts) runs: once
 * message writes have been quiet for {@link SEARCH_INDEX_QUIET_MS}, or at the
 * latest {@link SEARCH_INDEX_MAX_WAIT_MS} after the first write it has not
 * indexed, in transactions of {@link SEARCH_INDEX_CHUNK} rows with the event
 * loop running in between. So a streaming session's writes never wait on the
 * tokenizer, and the CPU it needs goes to the window first. A search never
 * waits for this: it indexes what is pending itself.
 */
import type { Clock, TimerHandle } from '../../src/shared/clock';
import type { Logger } from './session-ingest';

/** Quiet time after the last message write before indexing starts, ms. */
export const SEARCH_INDEX_QUIET_MS = 3000;
/** Longest a written row waits to be indexed while writes keep coming, ms. */
export const SEARCH_INDEX_MAX_WAIT_MS = 30_000;
/** Rows per indexing transaction: about 15 ms of FTS5 work each on a 2-core machine. */
export const SEARCH_INDEX_CHUNK = 1000;

/**
 * Schedules the catch-up. `written` is called after each write that added
 * rows (the store's `messages.onWrite`) and at start (rows a crash left
 * pending); `stop` cancels what is scheduled. A failing chunk is logged and
 * tried again at the next write (its rows stay pending, and a search still
 * indexes them first).
 */
export function createSearchIndexing(deps: {
  index: { indexSome(limit: number): number };
  clock: Clock;
  log: Pick<Logger, 'error'>;
}) {
  const { clock } = deps;
  let quiet: TimerHandle | null = null;
  let deadline: TimerHandle | null = null;
  let running = false;
  let stopped = false;

  function clear(): void {
    if (quiet !== null) clock.clearTimeout(quiet);
    if (deadline !== null) clock.clearTimeout(deadline);
    quiet = deadline = null;
  }

  async function run(): Promise<void> {
    clear();
    if (running || stopped) return;
    running = true;
    try {
      for (;;) {
        const n = deps.index.indexSome(SEARCH_INDEX_CHUNK);
        if (n < SEARCH_INDEX_CHUNK) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
        // New writes meanwhile: wait for them to go quiet again.
        if (stopped || quiet !== null) return;
      }
    } catch (e) {
      deps.log.error(`could not index messages for search (a search will index them itself): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  }

  return {
    /** Rows were written (or may be pending): index them once writes go quiet. */
    written(): void {
      if (stopped) return;
      if (quiet !== null) clock.clearTimeout(quiet);
      quiet = clock.setTimeout(() => void run(), SEARCH_INDEX_QUIET_MS);
      deadline ??= clock.setTimeout(() => void run(), SEARCH_INDEX_MAX_WAIT_MS);
    },
    stop(): void {
      stopped = true;
      clear();
    },
  };
}
export type SearchIndexing = ReturnType<typeof createSearchIndexing>;
