/** Test harness for the core: a real store (in memory or on disk), the scripted sidecar, a fake clock, and a recorder of published events. */
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../../src/shared/rpc';
import { createFakeClock } from '../../../src/shared/clock';
import { createCore } from '../core';
import { spawnSidecar } from '../sidecar-process';

export type Published = { [E in EventName]: { event: E; payload: EventPayload<E> } }[EventName];

export function createHarness(opts: {
  dataDir?: string; clients?: boolean; stopGraceMs?: number; baseEnv?: Record<string, string>; cpuTicks?: (pgid: number) => number | null; worktreesDir?: string;
} = {}) {
  const clock = createFakeClock();
  const published: Published[] = [];
  const waiters: { match: (p: Published) => boolean; resolve: (p: Published) => void }[] = [];
  const logs: string[] = [];
  let clients = opts.clients ?? true;
  const argv = [process.execPath, join(import.meta.dir, 'scripted-sidecar.ts')];
  const core = createCore({
    dataDir: opts.dataDir ?? ':memory:',
    clock,
    hasClients: () => clients,
    baseEnv: opts.baseEnv ?? (process.env as Record<string, string>),
    stopGraceMs: opts.stopGraceMs,
    cpuTicks: opts.cpuTicks,
    worktreesDir: opts.worktreesDir,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    publish: (event, payload) => {
      const p = { event, payload } as Published;
      published.push(p);
      for (const w of [...waiters]) if (w.match(p)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p); }
    },
    spawn: (env, cb) => spawnSidecar(argv, env, cb),
  });

  /** Resolves with the first published event (already seen or future) that matches. */
  function waitFor(match: (p: Published) => boolean): Promise<Published> {
    const seen = published.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  }
  const statusOf = (sessionId: string, status: string, after = 0) =>
    waitFor((p) => p.event === 'agent.status' && p.payload.sessionId === sessionId && p.payload.status === status && published.indexOf(p) >= after);
  const messages = (sessionId: string) =>
    published.flatMap((p) => (p.event === 'agent.message' && p.payload.sessionId === sessionId ? p.payload.messages : []));

  return { core, clock, published, logs, waitFor, statusOf, messages, setClients: (v: boolean) => { clients = v; core.sessions.clientsChanged(); } };
}
