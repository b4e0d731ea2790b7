/**
 * Sessions in the main process: one sidecar per live session, started,
 * prompted, stopped, recovered after a crash, reaped when idle, and capped
 * in number. Transport-free: it publishes through an injected function and
 * never imports Electrobun or Bun.serve. Event ingestion (seqIds, the
 * unacknowledged buffer) lives in session-ingest.ts.
 */
import type { AgentEvent, StatusReason, WireMessage } from '../../src/shared/events';
import type { SessionSnapshot } from '../../src/shared/rpc/session';
import type { ProviderId, SessionOptions } from '../../src/shared/providers';
import type { Clock } from '../../src/shared/clock';
import { groupCpuTicks } from './process-tree';
import { PathError, resolveSessionCwd } from './project-paths';
import { createIngest, LIVE_STATUSES, type Live, type Logger, type Publish } from './session-ingest';
import { resolveOptions, runnerConfig, type ResolvedOptions } from './session-options';
import type { SidecarCallbacks, SidecarExit, SidecarHandle } from './sidecar-process';
import type { Store, StoredSession } from './store';
import { createHousekeeping } from './session-housekeeping';
import { createSessionSync } from './session-sync';
import { startReaper, watchForZombie } from './supervisor';
import { noTurnToolCalls, noteTurnEvent, recoverAfterCrash } from './crash-recovery';
import { createBudgetGuard } from './budget';
import type { SessionHooks } from './session-hooks';

export type { Logger, Publish } from './session-ingest';
export type SpawnSidecar = (env: Record<string, string>, cb: SidecarCallbacks) => SidecarHandle;

export type SessionManagerDeps = {
  store: Store;
  clock: Clock;
  publish: Publish;
  /** Starts a sidecar process; throws when it cannot be spawned. */
  spawn: SpawnSidecar;
  /** The main process environment, filtered into each sidecar's. */
  baseEnv: Record<string, string | undefined>;
  /** True while at least one UI client is attached; without one the manager saves events itself and may reap idle sessions. */
  hasClients: () => boolean;
  log: Logger;
  /** How long a stopped sidecar gets between SIGTERM and SIGKILL, ms (default 5000). */
  stopGraceMs?: number;
  /** CPU ticks used by a process group (for zombie detection); defaults to /proc. */
  cpuTicks?: (pgid: number) => number | null;
  /** Features layered on sessions (worktrees, conflict warnings): see {@link SessionHooks}. */
  hooks?: SessionHooks;
};

type Result = { ok: true } | { ok: false; error: string };

/** The refusal of a prompt sent while the session's turn runs (or another prompt is being started). */
export const TURN_RUNNING = 'A turn is already running; wait for it or press Stop';

/** Creates the session manager. See {@link SessionManagerDeps} for what it needs. */
export function createSessionManager(deps: SessionManagerDeps) {
  const { store, clock, log } = deps;
  const live = new Map<string, Live>();
  const ingest = createIngest({
    ...deps,
    onTurnEnd: (s) => void housekeeping.applyRetention(s.record.projectId).catch((e) => log.error(`retention of project ${s.record.projectId} failed: ${String(e)}`)),
  });
  const { setStatus, admit, flushSession, sendOutbox, unacked } = ingest;
  const sync = createSessionSync({ store, unacked, live: (id) => live.get(id) });
  /** Names this run of the main process: seqIds past what was stored may be reused after a restart. */
  const bootId = crypto.randomUUID();
  const graceMs = deps.stopGraceMs ?? 5000;
  let accepting = true;

  const settings = () => store.settings.getAll();
  /** Sessions a prompt has claimed and that wait for a stop under way before their turn starts. */
  const claimed = new Set<Live>();
  const budget = createBudgetGuard({ store, clock, stop: (s, message) => void takeDown(s, () => { s.turnRunning = false; setStatus(s, 'error', 'budget_exceeded', message); }) });
  const isLive = (s: Live) => s.turnRunning || claimed.has(s) || LIVE_STATUSES.includes(s.record.status);
  const housekeeping = createHousekeeping({ ...deps, live, settings, isLive, takeDown, softClose, unacked });

  function newLive(record: StoredSession, options: ResolvedOptions, nextSeq: number): Live {
    return {
      record, options, nextSeq, sidecar: null, turnRunning: false, stopping: null, outbox: [], flushTimer: null,
      lastActivityAt: clock.now(), lastPrompt: null, crashes: 0, turnToolCalls: noTurnToolCalls(), fatal: false, watch: null, recovery: null, awaitingInput: new Set(),
      costBaseline: { costUsd: record.costUsd, inputTokens: record.inputTokens, outputTokens: record.outputTokens },
    };
  }

  /** Makes room under `max_sessions`: closes the idlest idle session, or says why it cannot. */
  function makeRoom(): string | null {
    // A sidecar being taken down no longer counts: it is on its way out.
    const withSidecar = [...live.values()].filter((s) => s.sidecar && !s.stopping);
    if (withSidecar.length < settings().max_sessions) return null;
    const idle = withSidecar.filter((s) => !isLive(s)).sort((a, b) => a.lastActivityAt - b.lastActivityAt);
    if (idle.length === 0) return `Too many running sessions (${withSidecar.length} of ${settings().max_sessions}): stop one or wait for one to finish`;
    void softClose(idle[0], 'evicted');
    return null;
  }

  function spawnFor(s: Live): void {
    const project = store.projects.get(s.record.projectId);
    if (!project) throw new PathError('The project of this session was removed');
    const config = runnerConfig({
      provider: s.record.provider, cwd: s.record.cwd || project.path, options: s.options, settings: settings(),
      baseEnv: deps.baseEnv, resumeId: s.record.providerSessionId,
    });
    const handle = deps.spawn(config.env, {
      event: (e) => {
        noteTurnEvent(s, e);
        const before = s.record;
        ingest.onEvent(s, e);
        if (e.type === 'cost') budget.afterCost(s, before);
        deps.hooks?.event?.(s.record, e);
      },
      badLine: (reason, head) => log.warn(`session ${s.record.id}: dropped sidecar line (${reason}): ${head}`),
      exit: (exit) => onExit(s, handle, exit),
    });
    s.sidecar = handle;
    s.lastActivityAt = clock.now();
    s.awaitingInput.clear();
    s.costBaseline = { costUsd: s.record.costUsd, inputTokens: s.record.inputTokens, outputTokens: s.record.outputTokens };
    store.sessions.update(s.record.id, { sidecarPid: handle.pid, sidecarStartTicks: handle.startTicks });
    handle.send({ type: 'start', config });
    s.watch?.cancel();
    s.watch = watchForZombie({
      clock, pgid: handle.pid, idleMs: settings().generator_idle_ms, cpuTicks: deps.cpuTicks ?? groupCpuTicks,
      lastOutputAt: () => (s.turnRunning && s.awaitingInput.size === 0 ? s.lastActivityAt : clock.now()),
      onZombie: () => void killZombie(s),
    });
  }

  async function killZombie(s: Live): Promise<void> {
    const sidecar = s.sidecar;
    if (!sidecar || s.stopping) return;
    log.warn(`session ${s.record.id}: sidecar ${sidecar.pid} wrote nothing and used no CPU for ${settings().generator_idle_ms} ms; killing it`);
    s.fatal = true; // a hung provider would hang again: no automatic recovery
    await takeDown(s, () => { s.turnRunning = false; setStatus(s, 'error', 'crashed', 'sidecar unresponsive, killed'); });
  }

  function onExit(s: Live, handle: SidecarHandle, exit: SidecarExit): void {
    if (s.sidecar === handle) s.sidecar = null;
    s.watch?.cancel();
    s.watch = null;
    store.sessions.update(s.record.id, { sidecarPid: null, sidecarStartTicks: null });
    deps.hooks?.exited?.(s.record.id);
    sendOutbox(s);
    if (s.stopping || !isLive(s)) return;
    recoverAfterCrash(s, exit, {
      clock, setStatus, accepting,
      resend: () => {
        if (s.stopping || !accepting || s.sidecar || !s.lastPrompt || claimed.has(s)) return;
        setStatus(s, 'starting');
        runPrompt(s, s.lastPrompt);
      },
    });
  }

  /**
   * Sends a prompt to the session's sidecar, spawning one (resuming the provider
   * session) if needed. The session is busy from this tick until the turn ends,
   * even before the sidecar reports `running`, so a second prompt is refused.
   */
  function runPrompt(s: Live, prompt: string): void {
    s.lastPrompt = prompt;
    s.lastActivityAt = clock.now();
    s.turnRunning = true;
    s.turnToolCalls = noTurnToolCalls();
    const fail = (error: string) => { s.turnRunning = false; setStatus(s, 'error', 'crashed', error); };
    if (!s.sidecar) {
      const refusal = makeRoom();
      if (refusal) return fail(refusal);
      try {
        spawnFor(s);
      } catch (e) {
        return fail(`Could not start the agent sidecar: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (!s.sidecar?.send({ type: 'prompt', prompt })) fail('The agent sidecar is not accepting input');
  }

  /** Takes the sidecar down (abort, group SIGTERM, SIGKILL after the grace), then runs `after`. Concurrent calls share one stop. */
  async function takeDown(s: Live, after: () => void): Promise<void> {
    if (s.stopping) return s.stopping;
    clock.clearTimeout(s.recovery);
    s.recovery = null;
    let done: Promise<void> | null = null;
    done = (async () => {
      await Promise.resolve(); // let `s.stopping = done` below run first
      try {
        const sidecar = s.sidecar;
        if (sidecar) {
          sidecar.send({ type: 'abort' });
          await sidecar.kill(graceMs);
        }
      } finally {
        // Cleared before the status goes out, so a prompt sent on seeing it is accepted.
        if (s.stopping === done) s.stopping = null;
      }
      after();
      flushSession(s.record.id);
    })();
    s.stopping = done;
    return done;
  }

  /** Soft close: the sidecar stops, the transcript stays, and a later prompt resumes the provider session. */
  function softClose(s: Live, reason: Extract<StatusReason, 'idle_timeout' | 'evicted'>): Promise<void> {
    log.info(`session ${s.record.id}: closing its idle sidecar (${reason})`);
    return takeDown(s, () => setStatus(s, 'idle', reason));
  }

  /** Loads a session that is not in memory (after a relaunch) so it can take a prompt. */
  function revive(sessionId: string): Live | null {
    const existing = live.get(sessionId);
    if (existing) return existing;
    const record = store.sessions.get(sessionId);
    if (!record) return null;
    let options: ResolvedOptions;
    try {
      options = JSON.parse(record.optionsJson) as ResolvedOptions;
    } catch {
      options = resolveOptions(record.provider, undefined, settings());
    }
    const pendingMax = unacked.pending(sessionId).at(-1)?.seqId ?? -1;
    const s = newLive(record, options, Math.max(store.messages.maxSeqId(sessionId), pendingMax) + 1);
    live.set(sessionId, s);
    return s;
  }

  const initial = settings();
  log.info(initial.session_reap_interval_ms > 0 && initial.session_idle_timeout_ms > 0
    ? `idle reaper on: every ${initial.session_reap_interval_ms} ms, closing sessions idle over ${initial.session_idle_timeout_ms} ms with no UI attached`
    : 'idle reaper off');
  let reaper = startReaper(clock, () => settings().session_reap_interval_ms, housekeeping.reapIdle);

  return {
    /** Starts a new session with its first prompt; refusals are `{ok:false, error}`, never thrown. `isolated`: id and worktree cwd made beforehand (worktrees.ts). */
    start(p: { projectId: string; provider: ProviderId; prompt: string; options?: SessionOptions; isolated?: { sessionId: string; cwd: string } }):
      { ok: true; sessionId: string } | { ok: false; error: string } {
      if (!accepting) return { ok: false, error: 'Corral is shutting down; no new sessions are started' };
      const project = store.projects.get(p.projectId);
      if (!project) return { ok: false, error: `Unknown project ${p.projectId}` };
      for (const s of live.values()) {
        if (s.record.projectId === p.projectId && s.record.status === 'starting') return { ok: false, error: 'Session start already in progress' };
      }
      const current = settings();
      let cwd: string;
      try {
        cwd = p.isolated?.cwd ?? resolveSessionCwd(project.path, p.options?.cwd ?? (current.default_cwd || undefined));
      } catch (e) {
        if (e instanceof PathError) return { ok: false, error: e.message };
        throw e;
      }
      const refusal = budget.projectRefusal(project.id) ?? makeRoom();
      if (refusal) return { ok: false, error: refusal };
      const options = resolveOptions(p.provider, p.options, current);
      const now = clock.now();
      const s = newLive({
        id: p.isolated?.sessionId ?? crypto.randomUUID(), projectId: project.id, provider: p.provider, status: 'starting', reason: null, error: null,
        providerSessionId: null, model: options.model ?? null, costUsd: null, inputTokens: 0, outputTokens: 0,
        createdAt: now, updatedAt: now, cwd, optionsJson: JSON.stringify(options), sidecarPid: null, sidecarStartTicks: null,
      }, options, 0);
      store.sessions.insert(s.record);
      live.set(s.record.id, s);
      deps.publish('agent.status', { sessionId: s.record.id, projectId: s.record.projectId, status: 'starting' });
      admit(s, { type: 'text', id: `user-${s.nextSeq}`, role: 'user', text: p.prompt, mode: 'replace' });
      runPrompt(s, p.prompt);
      return { ok: true, sessionId: s.record.id };
    },

    /**
     * Sends a follow-up prompt; a session without a sidecar is resumed through the provider's session id.
     * `announce` reports `starting` at once even when the sidecar is up (a queued prompt, which no UI announced).
     */
    async prompt(sessionId: string, prompt: string, opts: { announce?: boolean } = {}): Promise<Result> {
      if (!accepting) return { ok: false, error: 'Corral is shutting down' };
      const s = revive(sessionId);
      if (!s) return { ok: false, error: `Unknown session ${sessionId}` };
      // Checked and claimed in one tick, before any await: of two prompts at once (two tabs), exactly one gets the turn.
      if (isLive(s)) return { ok: false, error: TURN_RUNNING };
      const overBudget = budget.refusal(s.record);
      if (overBudget) return { ok: false, error: overBudget };
      claimed.add(s);
      try {
        // A stop or idle close under way finishes first; the prompt then resumes the session in a new sidecar.
        while (s.stopping) await s.stopping;
        if (!accepting) return { ok: false, error: 'Corral is shutting down' };
        clock.clearTimeout(s.recovery);
        s.recovery = null;
        s.fatal = false;
        if (!s.sidecar || opts.announce) setStatus(s, 'starting');
        admit(s, { type: 'text', id: `user-${s.nextSeq}`, role: 'user', text: prompt, mode: 'replace' });
        runPrompt(s, prompt);
        return { ok: true };
      } finally {
        claimed.delete(s);
      }
    },

    /** Stops the session's sidecar (SIGTERM to its group, SIGKILL after the grace); the session ends `done`/`stopped`. Works in every state. */
    async stop(sessionId: string): Promise<{ ok: boolean }> {
      const s = live.get(sessionId);
      if (!s) return { ok: store.sessions.get(sessionId) !== null };
      const wasLive = isLive(s) || s.recovery !== null;
      await takeDown(s, () => {
        s.turnRunning = false;
        if (wasLive) setStatus(s, 'done', 'stopped');
      });
      return { ok: true };
    },

    /** Adds a note (e.g. a conflict warning) to a session's transcript, if the session is held in memory. */
    note(sessionId: string, event: AgentEvent): void { const s = live.get(sessionId); if (s) admit(s, event); },

    /** Sends the user's choice for a permission request (and its optional message) to the agent. */
    answerPermission(sessionId: string, requestId: string, optionId: string, message?: string): Result {
      const s = live.get(sessionId);
      if (!s?.sidecar) return { ok: false, error: 'The session is not running' };
      if (!s.awaitingInput.has(requestId)) return { ok: false, error: `No pending permission request ${requestId}` };
      s.awaitingInput.delete(requestId);
      s.lastActivityAt = clock.now();
      const command = { type: 'permission' as const, id: requestId, optionId, ...(message ? { message } : {}) };
      return s.sidecar.send(command) ? { ok: true } : { ok: false, error: 'The agent sidecar is not accepting input' };
    },

    /** "Persist session S through seqId N" (the store's debounced request); returns the highest stored seqId. */
    persist: (sessionId: string, throughSeqId: number): Promise<number> => ingest.persistThrough(sessionId, throughSeqId),

    /** `session.sync`: per session, what a fresh load shows after `afterSeqId` (see session-sync.ts). */
    sync: (sessions: readonly { sessionId: string; afterSeqId: number }[]): { bootId: string; sessions: SessionSnapshot[] } =>
      ({ bootId, sessions: sessions.map(({ sessionId, afterSeqId }) => sync.snapshot(sessionId, afterSeqId)) }),

    /** A session's messages, stored or held, ordered by seqId: all, or the newest `limit` below `beforeSeqId` (session-sync.ts). */
    messages: (sessionId: string, beforeSeqId?: number, limit?: number): { messages: WireMessage[]; more: boolean } =>
      beforeSeqId === undefined && limit === undefined
        ? { messages: sync.messagesAfter(sessionId, -1), more: false }
        : sync.messagesBefore(sessionId, beforeSeqId ?? Number.MAX_SAFE_INTEGER, limit ?? 1_000_000_000),

    /** Called when UI clients come or go: without any, write everything held. */
    clientsChanged(): void {
      if (!deps.hasClients()) for (const id of unacked.sessions()) flushSession(id);
    },

    /** Stops every session of a project and forgets them (before the project is removed). */
    async stopProject(projectId: string): Promise<void> {
      const mine = [...live.values()].filter((s) => s.record.projectId === projectId);
      await Promise.all(mine.map((s) => this.stop(s.record.id)));
      for (const s of mine) { clock.clearTimeout(s.flushTimer); live.delete(s.record.id); }
    },

    /** Marks sessions the previous run left running as `interrupted`, so a prompt resumes them. Returns how many. */
    markInterrupted(): number {
      const stale = store.sessions.withStatus('running', 'starting');
      for (const r of stale) store.sessions.update(r.id, { status: 'interrupted', reason: 'interrupted', updatedAt: clock.now() });
      return stale.length;
    },

    /**
     * Graceful shutdown: refuse starts, write unacknowledged events, stop every
     * sidecar as Stop does, write what arrived meanwhile. Sessions that were
     * mid-turn are left `interrupted`, so a prompt after the next start resumes them.
     */
    async shutdown(): Promise<{ saved: number; stopped: number }> {
      accepting = false;
      reaper.stop();
      let saved = 0;
      for (const id of unacked.sessions()) saved += flushSession(id);
      const running = [...live.values()].filter((s) => s.sidecar);
      await Promise.all(running.map((s) => {
        const wasLive = isLive(s);
        return takeDown(s, () => {
          if (!wasLive) return;
          s.record = { ...s.record, status: 'interrupted', reason: 'interrupted', updatedAt: clock.now() };
          store.sessions.update(s.record.id, { status: 'interrupted', reason: 'interrupted', updatedAt: s.record.updatedAt });
        });
      }));
      for (const id of unacked.sessions()) saved += flushSession(id);
      for (const s of live.values()) { clock.clearTimeout(s.flushTimer); clock.clearTimeout(s.recovery); s.watch?.cancel(); }
      return { saved, stopped: running.length };
    },

    /** Applies changed settings that drive timers (the reaper's interval) without a restart. */
    settingsChanged(): void {
      if (!accepting) return;
      reaper.stop();
      reaper = startReaper(clock, () => settings().session_reap_interval_ms, housekeeping.reapIdle);
    },

    /** True while the session's turn runs or a prompt is claiming it: a prompt now would be refused (the prompt queue waits). */
    busy: (sessionId: string): boolean => { const s = live.get(sessionId); return !!s && isLive(s); },
    /** Asks the provider to end the running turn (the sidecar's `abort`) and keeps the sidecar; false when no sidecar turn runs. */
    interrupt: (sessionId: string): boolean => { const s = live.get(sessionId); return !!s?.sidecar && s.turnRunning && !s.stopping && s.sidecar.send({ type: 'abort' }); },
    /** Live view for diagnostics and tests. */
    inspect(sessionId: string) {
      const s = live.get(sessionId);
      return s ? { status: s.record.status, pid: s.sidecar?.pid ?? null, unacked: unacked.pending(sessionId).length, nextSeq: s.nextSeq, crashes: s.crashes } : null;
    },
    /** Number of sessions with a live sidecar. */
    liveSidecars: (): number => [...live.values()].filter((s) => s.sidecar).length,
    /** True while any session's turn runs. */
    anyTurnRunning: (): boolean => [...live.values()].some((s) => s.turnRunning),
  };
}
export type SessionManager = ReturnType<typeof createSessionManager>;
