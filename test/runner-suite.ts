/**
 * The setup shared by the provider runner tests (src-bun/providers/<provider>/runner.test.ts),
 * which run the real agent CLIs offline: the scripted model server and a temp
 * root started before a file's tests and removed after them, fresh HOME and
 * project folders per test, and running one turn while collecting its events.
 * The CLIs' environments are in ./agent-env.ts.
 */
import { afterAll, beforeAll } from 'bun:test';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../src/shared/events';
import type { ProviderRunner } from '../src-bun/providers/types';
import { startModelServer, type ModelServer, type ModelServerOptions } from './model-server/main';

/** What {@link runnerSuite} gives a test file; `server` and `root` are there once its `beforeAll` ran. */
export type RunnerSuite = {
  /** The scripted model server. */
  readonly server: ModelServer;
  /** The (symlink-free) temp folder of this file's tests; only with `tempPrefix`. */
  readonly root: string;
  /** Makes `<root>/<name>/home` and `<root>/<name>/proj` and returns them as `home` and `cwd`. */
  folders(name: string): { home: string; cwd: string };
  /** Keeps `runner` to be closed after the file's tests (before the server stops); returns it. */
  track<R extends ProviderRunner>(runner: R): R;
};

/**
 * Registers `beforeAll`/`afterAll` hooks that start the scripted model server
 * (with `server` options) and, with `tempPrefix`, make a temp root; afterwards
 * the tracked runners are closed, the server stopped and the root removed.
 */
export function runnerSuite(options: { tempPrefix?: string; server?: ModelServerOptions } = {}): RunnerSuite {
  let server: ModelServer | undefined;
  let root: string | undefined;
  const runners: ProviderRunner[] = [];

  beforeAll(async () => {
    server = await startModelServer(options.server);
    if (options.tempPrefix) root = realpathSync(mkdtempSync(join(tmpdir(), options.tempPrefix)));
  });

  afterAll(async () => {
    await Promise.all(runners.map((r) => r.close()));
    await server?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const suite: RunnerSuite = {
    get server() {
      if (!server) throw new Error('the model server starts in beforeAll');
      return server;
    },
    get root() {
      if (!root) throw new Error(options.tempPrefix ? 'the temp root is made in beforeAll' : 'runnerSuite was given no tempPrefix');
      return root;
    },
    folders(name) {
      const home = join(suite.root, name, 'home');
      const cwd = join(suite.root, name, 'proj');
      mkdirSync(home, { recursive: true });
      mkdirSync(cwd, { recursive: true });
      return { home, cwd };
    },
    track(runner) {
      runners.push(runner);
      return runner;
    },
  };
  return suite;
}

/**
 * Runs one turn of `runner`, checking every event against the AgentEvent
 * schema; resolves with the events and the error the turn threw, if any
 * (it never rejects). `sinkFor` makes what each checked event is passed to,
 * given the array to collect into (by default, pushing onto it).
 */
export async function collectTurn(
  runner: ProviderRunner,
  prompt: string,
  signal = new AbortController().signal,
  sinkFor: (events: AgentEvent[]) => (event: AgentEvent) => unknown = (events) => (event) => events.push(event),
): Promise<{ events: AgentEvent[]; error: unknown }> {
  const events: AgentEvent[] = [];
  const sink = sinkFor(events);
  let error: unknown;
  try {
    await runner.runTurn({ prompt, signal }, (event) => sink(AgentEventSchema.parse(event)));
  } catch (e) {
    error = e;
  }
  return { events, error };
}

/** The events of `type`, narrowed to that type. */
export const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
