/**
 * When the deferred search indexing (src-bun/core/search-index.ts) runs: once
 * message writes have been quiet for {@link SEARCH_INDEX_QUIET_MS} and no
 * turn is running, or at the latest {@link SEARCH_INDEX_MAX_WAIT_MS} after the
 * first write it has not indexed, in transactions of {@link SEARCH_INDEX_CHUNK} rows with the event
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
  /** True while a turn runs somewhere: its stream needs the CPU more than the index does, so indexing waits (up to the longest wait). */
  busy?: () => boolean;
}) {
  const { clock } = deps;
  let quiet: TimerHandle | null = null;
  let deadline: TimerHandle | null = null;
  let running = false;
  let stopped = false;

  /** (Re)starts the quiet wait; the longest wait starts with the first row not yet indexed. */
  function later(): void {
    if (stopped) return;
    if (quiet !== null) clock.clearTimeout(quiet);
    quiet = clock.setTimeout(() => void run(false), SEARCH_INDEX_QUIET_MS);
    deadline ??= clock.setTimeout(() => void run(true), SEARCH_INDEX_MAX_WAIT_MS);
  }

  /** Indexes what is pending, chunk by chunk; `force` (the longest wait is over) goes on while a turn runs. */
  async function run(force: boolean): Promise<void> {
    if (running || stopped) return;
    if (!force && deps.busy?.()) return later();
    if (quiet !== null) clock.clearTimeout(quiet);
    if (deadline !== null) clock.clearTimeout(deadline);
    quiet = deadline = null;
    running = true;
    try {
      for (;;) {
        const n = deps.index.indexSome(SEARCH_INDEX_CHUNK);
        if (n < SEARCH_INDEX_CHUNK) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
        // New writes meanwhile (the quiet wait restarted), or a turn started: wait again.
        if (stopped || quiet !== null) return;
        if (!force && deps.busy?.()) return later();
      }
    } catch (e) {
      deps.log.error(`could not index messages for search (a search will index them itself): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      running = false;
    }
  }

  return {
    /** Rows were written (or may be pending): index them once writes go quiet. */
    written: later,
    stop(): void {
      stopped = true;
      if (quiet !== null) clock.clearTimeout(quiet);
      if (deadline !== null) clock.clearTimeout(deadline);
      quiet = deadline = null;
    },
  };
}
export type SearchIndexing = ReturnType<typeof createSearchIndexing>;
