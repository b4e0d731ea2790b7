/**
 * The transcript window's policy: how much of a session the UI keeps in
 * memory, and paging older messages in from the main process (which holds
 * them all) when the user scrolls up. A restore asks for the tail only, so
 * relaunching on a 20,000-message session costs what a 1,000-message one
 * does, and twenty busy sessions hold a bounded heap however long they run.
 */
import type { RpcClient } from '../rpc/types';
import type { SessionState } from './session-state.svelte';
import type { Transcript } from './transcript';

/** Rows a transcript keeps once the user is back at the bottom (older rows page in on scroll). */
export const WINDOW_ROWS = 1000;
/** Rows past {@link WINDOW_ROWS} before the window is trimmed: trims come in batches, not per row. */
export const TRIM_SLACK_ROWS = 100;
/** Messages per request for the restore's tail and for each older page. */
export const PAGE_MESSAGES = 1000;

/** What a message list needs to page a transcript's window (AgentPane builds it from a session). */
export interface TranscriptPaging {
  /** Older messages exist in the main process. */
  readonly hasEarlier: boolean;
  /** An older page is on its way. */
  readonly loading: boolean;
  /** Why the last page failed, until the next try. */
  readonly error: string | null;
  /** The transcript's {@link Transcript.frontOffset}: the list shifts its geometry when it moves. */
  readonly frontOffset: number;
  /** Asks for the next older page. */
  loadEarlier(): void;
  /** The user left the bottom (true) or came back to it (false); the window is not trimmed while away. */
  reading(away: boolean): void;
}

/** The paging of a session's transcript, read live from the session (its fields are reactive). */
export function sessionPaging(s: SessionState, loadEarlier: (sessionId: string) => Promise<void>): TranscriptPaging {
  return {
    get hasEarlier() {
      void s.version;
      return s.transcript.hasEarlier;
    },
    get loading() {
      return s.earlierLoading;
    },
    get error() {
      return s.earlierError;
    },
    get frontOffset() {
      void s.version;
      return s.transcript.frontOffset;
    },
    loadEarlier: () => void loadEarlier(s.id),
    reading(away) {
      s.readingEarlier = away;
    },
  };
}

/**
 * Trims a session's window back to {@link WINDOW_ROWS} once it grew past
 * the slack, unless the user is reading older rows (the pane says so through
 * `readingEarlier`). Returns true when rows were dropped.
 */
export function trimWindow(s: SessionState): boolean {
  if (s.readingEarlier || s.transcript.messages.length <= WINDOW_ROWS + TRIM_SLACK_ROWS) return false;
  return s.transcript.trimFront(WINDOW_ROWS) > 0;
}

/**
 * Creates the loader of older pages. `load(s)` asks `session.messages.load`
 * for the {@link PAGE_MESSAGES} messages before the window and prepends them;
 * one request per session at a time, nothing when the session holds no more.
 * A failure is kept in `s.earlierError` (the list shows it with a Retry),
 * never thrown. A page that comes back after a restore replaced the
 * transcript is dropped.
 */
export function createEarlierLoader(deps: { rpc: RpcClient }): { load(s: SessionState): Promise<void> } {
  return {
    async load(s) {
      const transcript = s.transcript;
      if (s.earlierLoading || !transcript.hasEarlier) return;
      s.earlierLoading = true;
      s.earlierError = null;
      try {
        const page = await deps.rpc.request('session.messages.load', { sessionId: s.id, beforeSeqId: transcript.earlierBefore, limit: PAGE_MESSAGES });
        if (s.transcript !== transcript) return;
        transcript.prepend(page.messages, page.more);
        s.version++;
      } catch (err) {
        s.earlierError = err instanceof Error ? err.message : String(err);
      } finally {
        s.earlierLoading = false;
      }
    },
  };
}
