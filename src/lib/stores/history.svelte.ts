/**
 * History: a project's retained sessions as the main process lists them
 * (`session.list`, newest first), and read-only transcripts of any of them.
 * The list is fetched when History opens and again whenever the session
 * store says the project's sessions changed.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { SessionRecord } from '../../shared/records';
import type { RpcClient } from '../rpc/types';
import { createHistoryImports, type HistoryImports } from './history-import.svelte';
import { Transcript } from './transcript';

/** One project's History list. */
export interface HistoryList {
  readonly sessions: readonly SessionRecord[];
  readonly loaded: boolean;
  readonly loading: boolean;
  /** Why the last fetch failed, if it did. */
  readonly error: string | null;
}

/** The history store's public face. */
export interface HistoryStore {
  /** The project's list as last fetched (empty until the first fetch). */
  list(projectId: string): HistoryList;
  /** Fetches the list again; only the newest of overlapping fetches lands. */
  refresh(projectId: string): Promise<void>;
  /** Loads a stored session's transcript, for reading only. */
  loadTranscript(sessionId: string): Promise<Transcript>;
  /** The sessions the CLIs stored for the project's folder, and their imports. */
  readonly imports: HistoryImports;
}

const EMPTY: HistoryList = Object.freeze({ sessions: [], loaded: false, loading: false, error: null });

/** Creates the store. */
export function createHistoryStore(deps: { rpc: RpcClient }): HistoryStore {
  const lists = new SvelteMap<string, { sessions: SessionRecord[]; loaded: boolean; loading: boolean; error: string | null }>();
  const latestRequest = new Map<string, number>();
  let nextRequest = 0;

  function ensure(projectId: string) {
    const existing = lists.get(projectId);
    if (existing) return existing;
    const entry = $state<{ sessions: SessionRecord[]; loaded: boolean; loading: boolean; error: string | null }>({ sessions: [], loaded: false, loading: false, error: null });
    lists.set(projectId, entry);
    return entry;
  }

  const history: HistoryStore = {
    list: (projectId) => lists.get(projectId) ?? EMPTY,
    // An import that made a session lists it in History.
    imports: createHistoryImports({ rpc: deps.rpc, onImported: (projectId) => void history.refresh(projectId) }),
    async refresh(projectId) {
      const entry = ensure(projectId);
      const id = ++nextRequest;
      latestRequest.set(projectId, id);
      entry.loading = true;
      try {
        const { sessions } = await deps.rpc.request('session.list', { projectId });
        if (latestRequest.get(projectId) !== id) return;
        entry.sessions = sessions;
        entry.loaded = true;
        entry.error = null;
      } catch (err) {
        if (latestRequest.get(projectId) !== id) return;
        entry.error = err instanceof Error ? err.message : String(err);
      } finally {
        if (latestRequest.get(projectId) === id) entry.loading = false;
      }
    },
    async loadTranscript(sessionId) {
      const { messages } = await deps.rpc.request('session.messages.load', { sessionId });
      return Transcript.fromStored(messages);
    },
  };
  return history;
}
