/**
 * Sessions in the main process: one sidecar per live session, seqIds
 * assigned where events enter, the unacknowledged-event buffer, and the
 * session rows kept current in the store. Transport-free: it publishes
 * through an injected function and never imports Electrobun or Bun.serve.
 */
import type { AgentEvent, SessionStatus, StatusReason, WireMessage } from '../../src/shared/events';
import type { ProviderId, SessionOptions } from '../../src/shared/providers';
import type { EventName, EventPayload } from '../../src/shared/rpc';
import type { Clock, TimerHandle } from './clock';
import { PathError, resolveSessionCwd } from './project-paths';
import { resolveOptions, runnerConfig, type ResolvedOptions } from './session-options';
import type { SidecarCallbacks, SidecarHandle } from './sidecar-process';
import type { Store, StoredSession } from './store';
import { UnackedBuffer } from './unacked-buffer';

export type Publish = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type Logger = { info(msg: string): void; warn(msg: string): void; error(msg: string): void };
export type SpawnSidecar = (env: Record<string, string>, cb: SidecarCallbacks) => SidecarHandle;

export type SessionManagerDeps = {
  store: Store;
  clock: Clock;
  publish: Publish;
  /** Starts a sidecar process; throws when it cannot be spawned. */
  spawn: SpawnSidecar;
  /** The main process environment, filtered into each sidecar's. */
  baseEnv: Record<string, string | undefined>;
  /** True while at least one UI client is attached; without one the manager saves events itself. */
  hasClients: () => boolean;
  log: Logger;
  /** How long a stopped sidecar gets between SIGTERM and SIGKILL, ms (default 5000). */
  stopGraceMs?: number;
};

type StartResult = { ok: true; sessionId: string } | { ok: false; error: string };

type Live = {
  record: StoredSession;
  options: ResolvedOptions;
  sidecar: SidecarHandle | null;
  nextSeq: number;
  turnRunning: boolean;
  stopping: Promise<void> | null;
  outbox: WireMessage[];
  flushTimer: TimerHandle | null;
};

const LIVE: readonly SessionStatus[] = ['starting', 'running'];

/** Creates the session manager. See {@link SessionManagerDeps} for what it needs. */
export function createSessionManager(deps: SessionManagerDeps) {
  const { store, clock, publish, log } = deps;
  const live = new Map<string, Live>();
  const unacked = new UnackedBuffer();
  let accepting = true;

  const newId = () => crypto.randomUUID();

  function setStatus(s: Live, status: SessionStatus, reason: StatusReason | null = null, error: string | null = null): void {
    sendOutbox(s);
    s.record = { ...s.record, status, reason, error, updatedAt: clock.now() };
    store.sessions.update(s.record.id, { status, reason, error, updatedAt: s.record.updatedAt });
    publish('agent.status', { sessionId: s.record.id, status, ...(reason ? { reason } : {}), ...(error ? { error } : {}) });
    if (status !== 'running' && status !== 'starting' && !deps.hasClients()) flushSession(s.record.id);
  }

  function sendOutbox(s: Live): void {
    if (s.outbox.length === 0) return;
    const messages = s.outbox;
    s.outbox = [];
    publish('agent.message', { sessionId: s.record.id, messages });
  }

  /** Stamps an event with the next seqId, keeps it until acknowledged, and queues it for the UI. */
  function admit(s: Live, event: AgentEvent): WireMessage {
    const message: WireMessage = { seqId: s.nextSeq++, ts: clock.now(), event };
    unacked.push(s.record.id, message);
    // Batch what arrives in one read; flushed before any status so order is kept.
    if (s.outbox.push(message) === 1) queueMicrotask(() => sendOutbox(s));
    scheduleSelfFlush(s);
    return message;
  }

  /**
   * Without a UI the manager saves on the debounce window itself. With one, it
   * still saves after three windows, so a UI that stops acknowledging (a hung
   * tab) costs at most that much on a crash. Writes are idempotent.
   */
  function scheduleSelfFlush(s: Live): void {
    if (s.flushTimer) return;
    const windowMs = store.settings.getAll().persist_debounce_ms;
    s.flushTimer = clock.setTimeout(() => {
      s.flushTimer = null;
      flushSession(s.record.id);
    }, deps.hasClients() ? windowMs * 3 : windowMs);
  }

  /** Writes every unacknowledged event of a session; idempotent. */
  function flushSession(sessionId: string): number {
    const pending = unacked.pending(sessionId);
    if (pending.length === 0) return 0;
    const last = pending[pending.length - 1].seqId;
    try {
      store.messages.save(sessionId, pending);
    } catch (e) {
      log.error(`could not save ${pending.length} messages of session ${sessionId}: ${String(e)}`);
      return 0;
    }
    return unacked.ackThrough(sessionId, last).length;
  }

  function onEvent(s: Live, event: AgentEvent): void {
    switch (event.type) {
      case 'status':
        if (event.status === 'running') {
          s.turnRunning = true;
          setStatus(s, 'running');
        } else if (event.status === 'done' || event.status === 'error') {
          s.turnRunning = false;
          if (!s.stopping) setStatus(s, event.status, event.reason ?? (event.status === 'done' ? 'completed' : 'provider_error'), event.message ?? null);
        }
        return;
      case 'init':
        s.record = { ...s.record, providerSessionId: event.providerSessionId, model: event.model ?? s.record.model };
        store.sessions.update(s.record.id, { providerSessionId: event.providerSessionId, model: s.record.model });
        return;
      case 'cost': {
        const r = s.record;
        const costUsd = event.costUsd === null ? r.costUsd : (r.costUsd ?? 0) + event.costUsd;
        s.record = { ...r, costUsd, inputTokens: r.inputTokens + event.inputTokens, outputTokens: r.outputTokens + event.outputTokens };
        store.sessions.update(r.id, { costUsd, inputTokens: s.record.inputTokens, outputTokens: s.record.outputTokens });
        sendOutbox(s);
        publish('agent.cost', {
          sessionId: r.id, costUsd, inputTokens: s.record.inputTokens, outputTokens: s.record.outputTokens,
          ...(event.contextTokens !== undefined ? { contextTokens: event.contextTokens } : {}),
          ...(event.contextWindow !== undefined ? { contextWindow: event.contextWindow } : {}),
        });
        return;
      }
      default:
        admit(s, event);
    }
  }

  function spawnFor(s: Live, project: { path: string }): void {
    const settings = store.settings.getAll();
    const config = runnerConfig({
      provider: s.record.provider, cwd: s.record.cwd || project.path, options: s.options, settings,
      baseEnv: deps.baseEnv, resumeId: s.record.providerSessionId,
    });
    const handle = deps.spawn(config.env, {
      event: (e) => onEvent(s, e),
      badLine: (reason, head) => log.warn(`session ${s.record.id}: dropped sidecar line (${reason}): ${head}`),
      exit: (exit) => onExit(s, handle, exit),
    });
    s.sidecar = handle;
    store.sessions.update(s.record.id, { sidecarPid: handle.pid, sidecarStartTicks: handle.startTicks });
    handle.send({ type: 'start', config });
  }

  function onExit(s: Live, handle: SidecarHandle, exit: { code: number | null; signal: string | null }): void {
    if (s.sidecar === handle) s.sidecar = null;
    store.sessions.update(s.record.id, { sidecarPid: null, sidecarStartTicks: null });
    sendOutbox(s);
    if (s.stopping) return;
    const wasLive = s.turnRunning || LIVE.includes(s.record.status);
    s.turnRunning = false;
    if (wasLive) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      setStatus(s, 'error', 'crashed', `The agent sidecar ${how} during the turn`);
    }
  }

  /** Loads a session that is not live (after a relaunch, or after it was stopped) so it can take a prompt. */
  function revive(sessionId: string): Live | null {
    const existing = live.get(sessionId);
    if (existing) return existing;
    const record = store.sessions.get(sessionId);
    if (!record) return null;
    let options: ResolvedOptions;
    try {
      options = JSON.parse(record.optionsJson) as ResolvedOptions;
    } catch {
      options = resolveOptions(record.provider, undefined, store.settings.getAll());
    }
    const s: Live = {
      record, options, sidecar: null, turnRunning: false, stopping: null, outbox: [], flushTimer: null,
      nextSeq: Math.max(store.messages.maxSeqId(sessionId), ...unacked.pending(sessionId).map((m) => m.seqId)) + 1,
    };
    live.set(sessionId, s);
    return s;
  }

  function sendPrompt(s: Live, prompt: string): void {
    admit(s, { type: 'text', id: `user-${s.nextSeq}`, role: 'user', text: prompt, mode: 'replace' });
    const project = store.projects.get(s.record.projectId);
    if (!project) throw new PathError('The project of this session was removed');
    if (!s.sidecar) {
      try {
        spawnFor(s, project);
      } catch (e) {
        setStatus(s, 'error', 'crashed', `Could not start the agent sidecar: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    if (!s.sidecar?.send({ type: 'prompt', prompt })) setStatus(s, 'error', 'crashed', 'The agent sidecar is not accepting input');
  }

  return {
    /** Starts a new session with its first prompt. Refusals come back as `{ok:false, error}`, never thrown. */
    start(p: { projectId: string; provider: ProviderId; prompt: string; options?: SessionOptions }): StartResult {
      if (!accepting) return { ok: false, error: 'Corral is shutting down; no new sessions are started' };
      const project = store.projects.get(p.projectId);
      if (!project) return { ok: false, error: `Unknown project ${p.projectId}` };
      for (const s of live.values()) {
        if (s.record.projectId === p.projectId && s.record.status === 'starting') return { ok: false, error: 'Session start already in progress' };
      }
      const settings = store.settings.getAll();
      let cwd: string;
      try {
        cwd = resolveSessionCwd(project.path, p.options?.cwd ?? (settings.default_cwd || undefined));
      } catch (e) {
        if (e instanceof PathError) return { ok: false, error: e.message };
        throw e;
      }
      const options = resolveOptions(p.provider, p.options, settings);
      const now = clock.now();
      const record: StoredSession = {
        id: newId(), projectId: project.id, provider: p.provider, status: 'starting', reason: null, error: null,
        providerSessionId: null, model: options.model ?? null, costUsd: null, inputTokens: 0, outputTokens: 0,
        createdAt: now, updatedAt: now, cwd, optionsJson: JSON.stringify(options), sidecarPid: null, sidecarStartTicks: null,
      };
      store.sessions.insert(record);
      const s: Live = { record, options, sidecar: null, nextSeq: 0, turnRunning: false, stopping: null, outbox: [], flushTimer: null };
      live.set(record.id, s);
      publish('agent.status', { sessionId: record.id, status: 'starting' });
      sendPrompt(s, p.prompt);
      return { ok: true, sessionId: record.id };
    },

    /** Sends a follow-up prompt; a session without a sidecar is resumed through the provider's session id. */
    prompt(sessionId: string, prompt: string): { ok: true } | { ok: false; error: string } {
      if (!accepting) return { ok: false, error: 'Corral is shutting down' };
      const s = revive(sessionId);
      if (!s) return { ok: false, error: `Unknown session ${sessionId}` };
      if (s.turnRunning || s.record.status === 'starting') return { ok: false, error: 'A turn is already running; wait for it or press Stop' };
      if (s.stopping) return { ok: false, error: 'The session is stopping' };
      if (!s.sidecar) setStatus(s, 'starting');
      sendPrompt(s, prompt);
      return { ok: true };
    },

    /** Stops the session's sidecar (SIGTERM to its group, SIGKILL after 5 s); the session ends `done`/`stopped`. */
    async stop(sessionId: string): Promise<{ ok: boolean }> {
      const s = live.get(sessionId);
      if (!s) return { ok: store.sessions.get(sessionId) !== null };
      if (s.stopping) {
        await s.stopping;
        return { ok: true };
      }
      const wasLive = s.turnRunning || LIVE.includes(s.record.status);
      s.stopping = (async () => {
        const sidecar = s.sidecar;
        if (sidecar) {
          sidecar.send({ type: 'abort' });
          await sidecar.kill(deps.stopGraceMs ?? 5000);
        }
        s.turnRunning = false;
        if (wasLive) setStatus(s, 'done', 'stopped');
        flushSession(sessionId);
      })();
      try {
        await s.stopping;
      } finally {
        s.stopping = null;
      }
      return { ok: true };
    },

    /** The UI saved these messages: write them (idempotent) and stop holding them, along with any older ones it skipped. */
    acknowledge(sessionId: string, messages: readonly WireMessage[]): number {
      if (!store.sessions.get(sessionId)) throw new Error(`Unknown session ${sessionId}`);
      store.messages.save(sessionId, messages);
      const through = messages.reduce((max, m) => Math.max(max, m.seqId), -1);
      // Anything older the UI never saw (a reloaded tab) is still ours to write.
      const older = unacked.pending(sessionId).filter((m) => m.seqId <= through);
      store.messages.save(sessionId, older);
      unacked.ackThrough(sessionId, through);
      return store.messages.maxSeqId(sessionId);
    },

    /** Called when the last UI client detaches: write everything it has not acknowledged. */
    clientsChanged(): void {
      if (!deps.hasClients()) for (const id of unacked.sessions()) flushSession(id);
    },

    /** Stops every session of a project (before the project is removed). */
    async stopProject(projectId: string): Promise<void> {
      await Promise.all([...live.values()].filter((s) => s.record.projectId === projectId).map((s) => this.stop(s.record.id)));
      for (const [id, s] of live) if (s.record.projectId === projectId) { clock.clearTimeout(s.flushTimer); live.delete(id); }
    },

    /** Marks sessions the previous run left running as `interrupted`, so a prompt resumes them. Returns how many. */
    markInterrupted(): number {
      const stale = store.sessions.withStatus('running', 'starting');
      for (const r of stale) store.sessions.update(r.id, { status: 'interrupted', reason: 'interrupted', sidecarPid: null, sidecarStartTicks: null, updatedAt: clock.now() });
      return stale.length;
    },

    /**
     * Graceful shutdown: refuse starts, write unacknowledged events, stop every
     * sidecar (group SIGTERM, then SIGKILL after `graceMs`), write what arrived
     * meanwhile. Sessions that were mid-turn are left `interrupted` for resume.
     */
    async shutdown(graceMs = deps.stopGraceMs ?? 5000): Promise<{ saved: number; stopped: number }> {
      accepting = false;
      let saved = 0;
      for (const id of unacked.sessions()) saved += flushSession(id);
      const running = [...live.values()].filter((s) => s.sidecar);
      await Promise.all(running.map(async (s) => {
        const wasLive = s.turnRunning || LIVE.includes(s.record.status);
        s.stopping = Promise.resolve();
        s.sidecar?.send({ type: 'abort' });
        await s.sidecar?.kill(graceMs);
        sendOutbox(s);
        if (wasLive) {
          s.record = { ...s.record, status: 'interrupted', reason: 'interrupted', updatedAt: clock.now() };
          store.sessions.update(s.record.id, { status: 'interrupted', reason: 'interrupted', updatedAt: s.record.updatedAt });
        }
      }));
      for (const id of unacked.sessions()) saved += flushSession(id);
      for (const s of live.values()) clock.clearTimeout(s.flushTimer);
      return { saved, stopped: running.length };
    },

    /** Live view for diagnostics and tests. */
    inspect(sessionId: string) {
      const s = live.get(sessionId);
      return s ? { status: s.record.status, pid: s.sidecar?.pid ?? null, unacked: unacked.pending(sessionId).length, nextSeq: s.nextSeq } : null;
    },
  };
}
export type SessionManager = ReturnType<typeof createSessionManager>;
