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
import { createSessionManager, type Logger, type Publish, type SpawnSidecar } from './session-manager';
import { createStore } from './store';
import { reapOrphans } from './supervisor';

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
};

/** Opens the database, marks sessions the last run left running as interrupted, and wires the services. */
export function createCore(deps: CoreDeps) {
  const store = createStore(deps.dataDir === ':memory:' ? ':memory:' : join(deps.dataDir, 'corral.db'));
  reapOrphans(store, deps.log);
  const sessions = createSessionManager({ ...deps, store });
  const interrupted = sessions.markInterrupted();
  if (interrupted) deps.log.info(`${interrupted} session(s) were running when Corral last stopped; marked interrupted`);
  const projects = createProjects(store, sessions, deps.clock);
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
    /** Sessions the CLIs stored on disk, and importing them. */
    history: createHistoryImporter({ store, clock: deps.clock, publish: deps.publish, log: deps.log, env: deps.baseEnv }),
    /** Provider login flows Corral runs for the user. */
    logins,
    /** Stores an already-validated setting and applies it at once. */
    setSetting(key: string, value: unknown): void {
      store.settings.set(key, value);
      sessions.settingsChanged();
    },
    /** Graceful shutdown (see SessionManager.shutdown), then closes the database. */
    async shutdown() {
      const [result] = await Promise.all([sessions.shutdown(), logins.shutdown()]);
      store.close();
      return result;
    },
  };
}
export type Core = ReturnType<typeof createCore>;
