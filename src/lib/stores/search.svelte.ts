/**
 * Search across every session: the search box's state (open, query, hits,
 * which hit the keyboard is on) and the hit the user chose, which the
 * project's pane opens (its live session or History transcript) scrolled to
 * the message. Typing searches after a short pause (`debounceMs` on the
 * injected clock); only the answer to the newest query lands.
 *
 * Other parts of the UI open the box with `show()` (Ctrl/Cmd+Shift+F, the
 * sidebar's Search button, the command palette).
 */
import type { Clock, TimerHandle } from '../../shared/clock';
import type { SessionRecord } from '../../shared/records';
import type { SearchHit } from '../../shared/rpc/search';
import { checkSearchQuery } from '../../shared/search-query';
import type { RpcClient } from '../rpc/types';

/** A chosen hit, as the pane needs it. A new object each time a hit is chosen, even the same one again. */
export interface SearchTarget {
  projectId: string;
  session: SessionRecord;
  /** The transcript's key of the message to scroll to and mark. */
  messageKey: string;
}

/** The search store's public face. */
export interface SearchStore {
  /** The search box is showing. */
  readonly open: boolean;
  readonly query: string;
  /** Hits for the query, newest first. */
  readonly hits: readonly SearchHit[];
  /** More messages matched than were returned. */
  readonly more: boolean;
  /** A search is under way (typed, waiting for the pause or the answer). */
  readonly loading: boolean;
  /** Why the query cannot be searched, or why the search failed. */
  readonly error: string | null;
  /** The query the hits answer (null before any answer). */
  readonly answered: string | null;
  /** Index of the hit the keyboard is on, -1 when there are none. */
  readonly active: number;
  /** The hit chosen last; the project's pane reveals it. */
  readonly target: SearchTarget | null;
  /** Opens the search box with the last query, searched again (sessions may have been written or purged since). */
  show(): void;
  hide(): void;
  /** Sets the query; searches after the pause. An empty query clears the hits. */
  setQuery(query: string): void;
  /** Moves the keyboard's hit by `delta`, clamped to the list. */
  move(delta: number): void;
  /** Moves the keyboard's hit to `index`. */
  setActive(index: number): void;
  /** Opens hit `index` (default: the keyboard's): sets `target`, calls `onChoose`, and closes the box. */
  choose(index?: number): void;
}

/** How many hits a search asks for. */
export const SEARCH_LIMIT = 50;

/** Creates the store. `onChoose` runs when a hit is chosen, before panes react (the app selects the hit's project there). */
export function createSearchStore(deps: { rpc: RpcClient; clock: Clock; debounceMs?: number; onChoose?: (target: SearchTarget) => void }): SearchStore {
  const debounceMs = deps.debounceMs ?? 150;
  let open = $state(false);
  let query = $state('');
  let hits = $state.raw<SearchHit[]>([]);
  let more = $state(false);
  let loading = $state(false);
  let error = $state<string | null>(null);
  let answered = $state<string | null>(null);
  let active = $state(-1);
  let target = $state.raw<SearchTarget | null>(null);
  let timer: TimerHandle | null = null;
  let latest = 0;

  function clear() {
    hits = [];
    more = false;
    active = -1;
    answered = null;
  }

  async function run(q: string, id: number) {
    try {
      const res = await deps.rpc.request('search.query', { query: q, limit: SEARCH_LIMIT });
      if (id !== latest) return;
      hits = res.hits;
      more = res.more;
      answered = q;
      active = res.hits.length > 0 ? 0 : -1;
      error = null;
    } catch (err) {
      if (id !== latest) return;
      clear();
      error = err instanceof Error ? err.message : String(err);
    } finally {
      if (id === latest) loading = false;
    }
  }

  function setQuery(next: string) {
    query = next;
    deps.clock.clearTimeout(timer);
    const id = ++latest;
    if (next.trim() === '') {
      clear();
      error = null;
      loading = false;
      return;
    }
    // The contract's own check, so a query the main process would refuse is explained without a round trip.
    const checked = checkSearchQuery(next);
    if (!checked.ok) {
      clear();
      error = checked.error;
      loading = false;
      return;
    }
    loading = true;
    timer = deps.clock.setTimeout(() => void run(checked.query, id), debounceMs);
  }

  return {
    get open() { return open; },
    get query() { return query; },
    get hits() { return hits; },
    get more() { return more; },
    get loading() { return loading; },
    get error() { return error; },
    get answered() { return answered; },
    get active() { return active; },
    get target() { return target; },
    show() {
      if (open) return;
      open = true;
      if (query.trim()) setQuery(query);
    },
    hide() { open = false; },
    setQuery,
    move(delta) {
      if (hits.length === 0) return;
      active = Math.max(0, Math.min(hits.length - 1, active + delta));
    },
    setActive(index) {
      if (index >= 0 && index < hits.length) active = index;
    },
    choose(index = active) {
      const hit = hits[index];
      if (!hit) return;
      active = index;
      const chosen: SearchTarget = { projectId: hit.projectId, session: hit.session, messageKey: hit.messageKey };
      deps.onChoose?.(chosen);
      target = chosen;
      open = false;
    },
  };
}
