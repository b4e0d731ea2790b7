/**
 * Imports a CLI's session file into a new Corral session, in the
 * background: the file is read in pages (history-reader.ts), each page is
 * mapped (claude-history.ts / codex-history.ts) and stored in one
 * transaction, and `history.import.progress` is published after each page
 * and at the end. No cap on the file's size or message count.
 *
 * - Order: messages get seqIds 0, 1, 2… in file order, with the line's own time.
 * - Idempotent: a file already imported (history_imports) adds nothing, and
 *   two imports of one file at once share one run.
 * - Resume: the session stores the CLI's session id, so a follow-up prompt
 *   resumes it (Claude `--resume <session_id>`, Codex `thread/resume`).
 * - Retention: the session's `createdAt`/`updatedAt` are the import's time,
 *   so it counts as the project's newest session and is not purged by age
 *   or count right after the import; the CLI's own dates stay on its messages.
 * - A failed import (the file vanished mid-way) removes its partial session.
 */
import type { Clock } from '../../../src/shared/clock';
import type { HistoryImportProgress, HistorySource } from '../../../src/shared/rpc/history';
import type { WireMessage } from '../../../src/shared/events';
import type { Logger, Publish } from '../session-ingest';
import { resolveOptions } from '../session-options';
import type { Store } from '../store';
import { createImportRecords } from './import-records';
import { PAGE_LINES, readHistoryPages } from './history-reader';
import { createHistorySources, historyMapper, type HistoryEnv } from './history-sources';

export type HistoryImporterDeps = { store: Store; clock: Clock; publish: Publish; log: Logger; env: HistoryEnv; pageLines?: number };

/** Creates the importer. */
export function createHistoryImporter(deps: HistoryImporterDeps) {
  const { store, clock, log } = deps;
  const sources = createHistorySources(deps.env);
  const records = createImportRecords(store.db);
  /** Imports under way by source path, so a second request joins the first. */
  const running = new Map<string, { importId: string; finished: Promise<HistoryImportProgress> }>();

  function projectFolder(projectId: string): string {
    const project = store.projects.get(projectId);
    if (!project) throw new Error(`Unknown project ${projectId}`);
    return project.path;
  }

  async function list(projectId: string): Promise<HistorySource[]> {
    const folder = projectFolder(projectId);
    const found = await sources.list(folder, (path, e) => log.warn(`history: could not read ${path}: ${String(e)}`));
    return found.map((s) => ({ ...s, importedSessionId: records.sessionOf(s.path, s.providerSessionId) }));
  }

  async function run(importId: string, projectId: string, source: HistorySource): Promise<HistoryImportProgress> {
    const progress: HistoryImportProgress = {
      importId, projectId, path: source.path, sessionId: null, bytesRead: 0, totalBytes: source.sizeBytes, messages: 0, badLines: 0, done: false,
    };
    const publish = () => deps.publish('history.import.progress', { ...progress });
    if (source.importedSessionId) {
      Object.assign(progress, { sessionId: source.importedSessionId, bytesRead: source.sizeBytes, done: true, alreadyImported: true });
      publish();
      return progress;
    }
    const provider = source.provider;
    const now = clock.now();
    const sessionId = crypto.randomUUID();
    const options = resolveOptions(provider, undefined, store.settings.getAll());
    store.sessions.insert({
      id: sessionId, projectId, provider, status: 'done', reason: 'completed', error: null, providerSessionId: source.providerSessionId,
      model: null, costUsd: null, inputTokens: 0, outputTokens: 0, createdAt: now, updatedAt: now,
      cwd: projectFolder(projectId), optionsJson: JSON.stringify(options), sidecarPid: null, sidecarStartTicks: null,
    });
    progress.sessionId = sessionId;
    publish();
    const mapper = historyMapper(provider);
    const stats = { lines: 0, badLines: 0, bytes: 0 };
    let seqId = 0;
    let lastTs = source.startedAt;
    try {
      for await (const page of readHistoryPages(source.path, stats, deps.pageLines ?? PAGE_LINES)) {
        const messages: WireMessage[] = [];
        for (const line of page) {
          for (const { event, ts } of mapper.map(line.value)) {
            lastTs = ts ?? lastTs;
            messages.push({ seqId: seqId++, ts: lastTs, event });
          }
        }
        store.messages.save(sessionId, messages);
        Object.assign(progress, { bytesRead: Math.min(stats.bytes, source.sizeBytes), messages: seqId, badLines: stats.badLines });
        publish();
        // Let requests and live sessions run between pages.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const m = mapper.meta;
      store.sessions.update(sessionId, {
        model: m.model ?? null, costUsd: m.costUsd ?? null, inputTokens: m.inputTokens ?? 0, outputTokens: m.outputTokens ?? 0, updatedAt: clock.now(),
      });
      records.add({ sourcePath: source.path, providerSessionId: source.providerSessionId, sessionId, lines: stats.lines, badLines: stats.badLines, messages: seqId, importedAt: clock.now() });
      const skipped = [...mapper.skipped].map(([kind, n]) => `${kind} ${n}`).join(', ');
      log.info(`history: imported ${source.path} as session ${sessionId}: ${seqId} messages from ${stats.lines} lines (${stats.badLines} bad; not imported: ${skipped || 'none'})`);
      Object.assign(progress, { bytesRead: source.sizeBytes, done: true });
    } catch (e) {
      store.sessions.remove([sessionId]);
      const error = e instanceof Error ? e.message : String(e);
      log.warn(`history: import of ${source.path} failed: ${error}`);
      Object.assign(progress, { sessionId: null, done: true, error });
    }
    publish();
    return progress;
  }

  return {
    /** The project's sessions on disk, newest first, with their import state. Throws on an unknown project. */
    sources: list,
    /**
     * Starts importing the project's source at `path` and answers at once
     * with its id and a promise of its last progress report (which never
     * rejects: a failure is its `error`). Throws on an unknown project or a
     * path that is not one of its sources.
     */
    async start(projectId: string, path: string): Promise<{ importId: string; finished: Promise<HistoryImportProgress> }> {
      const existing = running.get(path);
      if (existing) return existing;
      const source = (await list(projectId)).find((s) => s.path === path);
      if (!source) throw new Error(`Not a stored session of this project's folder: ${path}`);
      const again = running.get(path); // another request may have started it during the listing
      if (again) return again;
      const importId = crypto.randomUUID();
      const entry = { importId, finished: run(importId, projectId, source).finally(() => running.delete(path)) };
      running.set(path, entry);
      return entry;
    },
  };
}
export type HistoryImporter = ReturnType<typeof createHistoryImporter>;
