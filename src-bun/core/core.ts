/**
 * The core: everything the main process decides, with no transport. Both
 * entries (desktop/, web/) build one and bind the same RPC handlers to it.
 */
import { join } from 'node:path';
import type { Clock } from '../../src/shared/clock';
import { claudeExecutable } from '../providers/claude/executable';
import { resolveCodexBinary } from '../providers/codex/binary';
import { createLoginRunner } from '../providers/sign-in/login-runner';
import { createHistoryImporter } from './history-import/importer';
import { createProjects } from './projects';
import { createPromptQueue, type PromptQueue } from './prompt-queue';
import { createPromptQueueStore } from './prompt-queue-store';
import { createSearchIndexing } from './search-indexing';
import { createSessionManager, type Logger, type Publish, type SpawnSidecar } from './session-manager';
import { createStore } from './store';
import { reapOrphans } from './supervisor';
import { createConflictWarnings } from './write-conflicts';
import { createWorktreeTable } from './worktree-table';
import { createWorktrees, type Worktrees } from './worktrees';

export type CoreDeps = {
  /** Folder of corral.db; `':memory:'` keeps the database in memory (tests). */
  dataDir: string;
  clock: Clock;
  publish: Publish;
  spawn: SpawnSidecar;
  hasClients: () => boolean;
  baseEnv: Record<string, string | undefined>;
  log: Logger;
  /** SIGTERM→SIGKILL grace of a stopped sidecar, ms (default 5000). */
  stopGraceMs?: number;
  /** CPU ticks of a process group, for zombie detection (default: /proc). */
  cpuTicks?: (pgid: number) => number | null;
  /** Folder for session worktrees (default `<dataDir>/worktrees`; none with an in-memory database). */
  worktreesDir?: string;
};

/** Opens the database, marks sessions the last run left running as interrupted, and wires the services. */
export function createCore(deps: CoreDeps) {
  const store = createStore(deps.dataDir === ':memory:' ? ':memory:' : join(deps.dataDir, 'corral.db'));
  reapOrphans(store, deps.log);
  // Search indexing runs off the message writes, once they go quiet; rows a crash left pending are indexed too.
  // While a turn streams, its sidecar's events come first: indexing waits for it (called after `sessions` exists).
  const indexing = createSearchIndexing({ index: store.searchIndex, clock: deps.clock, log: deps.log, busy: () => sessions.anyTurnRunning() });
  store.messages.onWrite(indexing.written);
  indexing.written();
  let queue: PromptQueue | null = null;
  // Every session status also reaches the prompt queue: a turn's end sends the next queued prompt.
  const publish: Publish = (event, payload) => {
    deps.publish(event, payload);
    if (event === 'agent.status') queue?.onStatus(payload as Parameters<PromptQueue['onStatus']>[0]);
  };
  // Worktrees and conflict warnings hook into sessions, which the worktree service in turn drives.
  let worktrees: Worktrees | null = null;
  const conflicts = createConflictWarnings({
    admit: (id, event) => sessions.note(id, event),
    projectOf: (id) => store.sessions.get(id)?.projectId,
    isolated: (id) => worktrees?.isolated(id) ?? false,
    publish: (payload) => deps.publish('worktree.conflict', payload),
  });
  const sessions = createSessionManager({
    ...deps, publish, store,
    hooks: {
      event: (s, e) => conflicts.note(s, e),
      exited: (id) => conflicts.ended(id),
      purgeable: (projectId, ids) => worktrees?.purgeable(projectId, ids) ?? Promise.resolve(ids),
    },
  });
  worktrees = createWorktrees({
    store, table: createWorktreeTable(store.db), sessions, clock: deps.clock, publish: deps.publish, log: deps.log,
    root: deps.worktreesDir ?? (deps.dataDir === ':memory:' ? null : join(deps.dataDir, 'worktrees')),
  });
  const interrupted = sessions.markInterrupted();
  if (interrupted) deps.log.info(`${interrupted} session(s) were running when Corral last stopped; marked interrupted`);
  queue = createPromptQueue({
    store: createPromptQueueStore(store.db), clock: deps.clock, publish, log: deps.log,
    // `announce`: the next turn shows as starting in the same tick the last one ended, not `done` until the CLI answers.
    sessions: { ...sessions, prompt: (id, text) => sessions.prompt(id, text, { announce: true }), exists: (id) => store.sessions.get(id) !== null },
  });
  const held = queue.recoverAfterRestart();
  if (held) deps.log.info(`${held} queued prompt(s) never went out before Corral last stopped; held as unsent`);
  const projects = createProjects(store, sessions, deps.clock, worktrees);
  const logins = createLoginRunner({
    publish: (update) => deps.publish('providers.login', update),
    env: deps.baseEnv,
    clock: deps.clock,
    executables: () => {
      const settings = store.settings.getAll();
      return { claude: claudeExecutable(settings), codex: resolveCodexBinary(settings.provider_settings.codex?.executable, deps.baseEnv)?.path ?? null };
    },
  });
  return {
    store,
    sessions,
    projects,
    /** Prompts queued on each session while its turn runs, and Steer. */
    queue,
    /** Sessions in their own git worktrees. */
    worktrees,
    /** Sessions the CLIs stored on disk, and importing them. */
    history: createHistoryImporter({ store, clock: deps.clock, publish: deps.publish, log: deps.log, env: deps.baseEnv }),
    /** Provider login flows Corral runs for the user. */
    logins,
    /** The Usage view's figures (usage.summary) as of the main process's clock. */
    usageSummary: () => store.usage.summary(deps.clock.now()),
    /** Stores an already-validated setting and applies it at once. */
    setSetting(key: string, value: unknown): void {
      store.settings.set(key, value);
      sessions.settingsChanged();
    },
    /** Graceful shutdown (see SessionManager.shutdown), then closes the database. */
    async shutdown() {
      const [result] = await Promise.all([sessions.shutdown(), logins.shutdown()]);
      indexing.stop();
      store.close();
      return result;
    },
  };
}
export type Core = ReturnType<typeof createCore>;
