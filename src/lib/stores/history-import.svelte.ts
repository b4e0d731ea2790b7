/**
 * The "On disk" part of History: the sessions Claude Code and Codex stored
 * for a project's folder (`history.sources`), and imports of them. An import
 * answers at once with its id; its progress arrives as
 * `history.import.progress` events (bytes read of the file's size, messages
 * stored), kept per source path until the list is fetched again.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { HistoryImportProgress, HistorySource } from '../../shared/rpc/history';
import type { RpcClient } from '../rpc/types';

/** One project's list of sessions on disk. */
export interface DiskSessions {
  readonly sources: readonly HistorySource[];
  readonly loaded: boolean;
  readonly loading: boolean;
  /** Why the last fetch failed, if it did. */
  readonly error: string | null;
}

/** The import store's public face. */
export interface HistoryImports {
  list(projectId: string): DiskSessions;
  /** Fetches the project's sessions on disk again. */
  refresh(projectId: string): Promise<void>;
  /** The latest progress of an import of `path`, while one runs or after it ended; undefined before any. */
  progress(path: string): HistoryImportProgress | undefined;
  /** Starts importing `path`; a refusal shows as the progress's `error`. */
  start(projectId: string, path: string): Promise<void>;
  /** Unsubscribes from the progress events. */
  dispose(): void;
}

type Entry = { sources: HistorySource[]; loaded: boolean; loading: boolean; error: string | null };
const EMPTY: DiskSessions = Object.freeze({ sources: [], loaded: false, loading: false, error: null });
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Creates the store; `onImported` runs when an import of the project ended with a new session (History reloads its list). */
export function createHistoryImports(deps: { rpc: RpcClient; onImported?: (projectId: string) => void }): HistoryImports {
  const lists = new SvelteMap<string, Entry>();
  const progress = new SvelteMap<string, HistoryImportProgress>();

  function ensure(projectId: string): Entry {
    const existing = lists.get(projectId);
    if (existing) return existing;
    const entry = $state<Entry>({ sources: [], loaded: false, loading: false, error: null });
    lists.set(projectId, entry);
    return entry;
  }

  async function refresh(projectId: string): Promise<void> {
    const entry = ensure(projectId);
    entry.loading = true;
    try {
      entry.sources = (await deps.rpc.request('history.sources', { projectId })).sources;
      entry.loaded = true;
      entry.error = null;
    } catch (err) {
      entry.error = errorText(err);
    } finally {
      entry.loading = false;
    }
  }

  const unsubscribe = deps.rpc.on('history.import.progress', (p) => {
    progress.set(p.path, p);
    if (!p.done) return;
    void refresh(p.projectId);
    if (!p.error && !p.alreadyImported) deps.onImported?.(p.projectId);
  });

  return {
    list: (projectId) => lists.get(projectId) ?? EMPTY,
    refresh,
    progress: (path) => progress.get(path),
    async start(projectId, path) {
      const pending: HistoryImportProgress = { importId: '', projectId, path, sessionId: null, bytesRead: 0, totalBytes: 0, messages: 0, badLines: 0, done: false };
      progress.set(path, pending);
      try {
        await deps.rpc.request('history.import', { projectId, path });
      } catch (err) {
        progress.set(path, { ...pending, done: true, error: errorText(err) });
      }
    },
    dispose: unsubscribe,
  };
}
