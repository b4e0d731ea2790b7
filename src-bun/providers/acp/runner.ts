/**
 * The ACP provider runner: a generic Agent Client Protocol client over the
 * agent's stdio, built on `@agentclientprotocol/sdk` 2.x
 * (`client().onRequest().onNotification().connectWith()`). One agent
 * process serves all turns of a sidecar: `initialize` once, then
 * `session/new` (or `session/resume` / `session/load` of a known session),
 * then one `session/prompt` per turn. I/O only; the mapping is the pure adapter's.
 */
import * as acp from '@agentclientprotocol/sdk';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { isObj, objects, str, type Obj } from '../raw-fields';
import { ProviderError, type ProviderRunner, type RunnerConfig, type Turn } from '../types';
import { acpErrorText, classifyAcpError, createAcpAdapter } from './adapter';
import { resolveAgentProgram, splitCommandLine } from './command-line';
import { interceptUpdates } from './update-stream';

/** Sees every JSON-RPC message on the wire, `in` from the agent and `out` to it (fixture recording). */
export type AcpTap = (direction: 'in' | 'out', message: unknown) => void;

/** Knobs of the runner, for tests and the fixture recorder. */
export type AcpRunnerOptions = {
  tap?: AcpTap;
  /** How long the agent may take to answer `initialize`, ms (default 60 s: npx-launched agents install first). */
  startupTimeoutMs?: number;
  /** How long a cancelled prompt may take to end before the agent process is killed, ms (default 2 s). */
  cancelGraceMs?: number;
};

/** ACP mode ids that mean each Corral permission mode, in order of preference (Claude's names, then Gemini CLI's). */
export const MODE_ALIASES: Record<PermissionMode, string[]> = {
  default: ['default'],
  acceptEdits: ['acceptEdits', 'autoEdit', 'auto_edit'],
  bypassPermissions: ['bypassPermissions', 'yolo'],
  plan: ['plan', 'read-only'],
};

/** A session/load history replay counts as over after this long without an update, ms. */
export const REPLAY_QUIET_MS = 150;
/** Longest wait for a history replay to end, ms. */
export const REPLAY_MAX_MS = 3000;

/** Why a turn ended other than `end_turn` or `cancelled`, as the pane says it. */
const STOP_MESSAGES: Record<string, string> = {
  max_tokens: 'The agent stopped: the model hit its output token limit',
  max_turn_requests: 'The agent stopped: it reached its limit of model requests for one prompt',
  refusal: 'The agent refused to continue',
};

type Connection = {
  proc: ReturnType<typeof Bun.spawn>;
  ctx: acp.ClientContext;
  init: Obj;
  /** Ends the `connectWith` operation, which closes the connection. */
  release(): void;
  /** Rejects with a ProviderError once the agent process exits. */
  died: Promise<never>;
  stderr: { text: string };
  sessionReady: boolean;
};

type Pending = { request: Extract<AgentEvent, { type: 'permission_request' }>; resolve(outcome: { outcome: 'cancelled' } | { outcome: 'selected'; optionId: string }): void };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Keeps the last `max` characters of the agent's stderr. */
function tail(max: number) {
  const log = { text: '' };
  return { log, push(chunk: string) { log.text = (log.text + chunk).slice(-max); } };
}

/** Adapts Bun's stdin sink to the WritableStream the SDK's ndJsonStream writes to. */
function sinkStream(sink: import('bun').FileSink): WritableStream<Uint8Array> {
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      sink.write(chunk);
      await sink.flush();
    },
    close() { void sink.end(); },
    abort() { void sink.end(); },
  });
}

/** Passes messages through unchanged, showing each to `tap`. */
function tapped(stream: acp.Stream, tap: AcpTap): acp.Stream {
  const inbound = new TransformStream<acp.AnyMessage, acp.AnyMessage>({ transform(m, c) { tap('in', m); c.enqueue(m); } });
  const outbound = new TransformStream<acp.AnyMessage, acp.AnyMessage>({ transform(m, c) { tap('out', m); c.enqueue(m); } });
  void outbound.readable.pipeTo(stream.writable).catch(() => undefined);
  return { readable: stream.readable.pipeThrough(inbound), writable: outbound.writable };
}

/**
 * Creates the ACP runner for `config.command` (else `config.executable`).
 * Permission requests become `permission_request` events and wait for
 * {@link ProviderRunner.answerPermission}; an abort answers them
 * `cancelled`, sends `session/cancel`, and kills the agent if the prompt has
 * not ended after `cancelGraceMs` (the next turn then starts a new agent
 * process and resumes the session). A session that cannot be resumed is
 * replaced by a new one, and a text event says so.
 */
export function createAcpRunner(config: RunnerConfig, options: AcpRunnerOptions = {}): ProviderRunner {
  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  const cancelGraceMs = options.cancelGraceMs ?? 2_000;
  const adapter = createAcpAdapter();
  const pending = new Map<string, Pending>();
  let conn: Connection | null = null;
  let sessionId = config.resumeId;
  let turnCount = 0;
  let permissionCount = 0;
  /** Set while a prompt runs; session/update and permission requests outside a turn are not shown. */
  let active: { emit: (event: AgentEvent) => void; signal: AbortSignal } | null = null;
  /**
   * True while Corral sets the session up: `session/load` replays history the
   * pane already has, and Gemini CLI answers `session/set_mode` with a
   * `[MODE_UPDATE] …` message chunk; neither is part of the conversation.
   */
  let settingUp = false;

  function cancelPending(): void {
    for (const p of pending.values()) p.resolve({ outcome: 'cancelled' });
    pending.clear();
  }

  /** performance.now() of the last update swallowed while setting up (the end of a history replay is when these stop). */
  let lastSetupUpdateAt = 0;

  function onUpdate(params: unknown): void {
    if (settingUp) lastSetupUpdateAt = performance.now();
    if (!active || settingUp || !isObj(params) || params.sessionId !== sessionId) return;
    for (const event of adapter.update(params.update)) active.emit(event);
  }

  function onPermission(params: unknown): Promise<unknown> | unknown {
    if (!active || active.signal.aborted) return { outcome: { outcome: 'cancelled' } };
    const id = `perm-${turnCount}-${++permissionCount}`;
    const events = adapter.permission(id, params);
    const request = events.find((e) => e.type === 'permission_request');
    if (!request || request.type !== 'permission_request' || request.options.length === 0) return { outcome: { outcome: 'cancelled' } };
    for (const event of events) active.emit(event);
    return new Promise((resolve) => {
      pending.set(id, { request, resolve: (outcome) => resolve({ outcome }) });
    });
  }

  function kill(c: Connection): void {
    c.release();
    c.proc.kill('SIGKILL');
    if (conn === c) conn = null;
  }

  async function connect(signal: AbortSignal): Promise<Connection> {
    const line = config.command ?? config.executable;
    if (!line?.trim()) throw new ProviderError('No ACP agent command is set: choose one in Settings (for example `gemini --acp`)');
    let argv: string[];
    try {
      argv = splitCommandLine(line);
    } catch (e) {
      throw new ProviderError(message(e));
    }
    const program = resolveAgentProgram(argv[0]!, config.env);
    if (!program) throw new ProviderError(`ACP agent \`${argv[0]}\` not found on PATH (command: ${line})`);
    // claude-agent-acp refuses bypassPermissions as root unless told it runs in a sandbox; its Claude Code
    // accepts only IS_SANDBOX=1, and with another truthy value (`yes`) every session/new fails ("exited with code 1").
    const sandboxed = config.permissionMode === 'bypassPermissions' || /^(yes|true|on)$/i.test(config.env.IS_SANDBOX ?? '');
    const env = sandboxed ? { ...config.env, IS_SANDBOX: '1' } : config.env;
    let proc: ReturnType<typeof Bun.spawn>;
    try {
      proc = Bun.spawn([program, ...argv.slice(1)], { cwd: config.cwd, env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    } catch (e) {
      throw new ProviderError(`could not start the ACP agent (${line}): ${message(e)}`);
    }
    const stderr = tail(4000);
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) stderr.push(decoder.decode(chunk, { stream: true }));
    })().catch(() => undefined);
    let stream = acp.ndJsonStream(sinkStream(proc.stdin as import('bun').FileSink), proc.stdout as ReadableStream<Uint8Array>);
    if (options.tap) stream = tapped(stream, options.tap);
    stream = interceptUpdates(stream, onUpdate);
    const raw = (p: unknown) => p;
    const app = acp.client({ name: 'corral' })
      .onRequest('session/request_permission', raw, ({ params }) => onPermission(params));
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const ctx = await new Promise<acp.ClientContext>((resolve, reject) => {
      app.connectWith(stream, async (c) => { resolve(c); await held; }).catch(reject);
    });
    const died = proc.exited.then((code) => {
      const why = `the ACP agent exited (${code ?? proc.signalCode})`;
      throw new ProviderError([why, stderr.log.text.trim()].filter(Boolean).join('\n'), classifyAcpError(stderr.log.text));
    });
    died.catch(() => undefined);
    const c: Connection = { proc, ctx, init: {}, release, died, stderr: stderr.log, sessionReady: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProviderError(`the ACP agent (${line}) did not answer initialize within ${startupTimeoutMs} ms`)), startupTimeoutMs);
    });
    try {
      const init = await Promise.race([
        ctx.request('initialize', {
          protocolVersion: acp.PROTOCOL_VERSION,
          clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
          clientInfo: { name: 'corral', version: '0.1.0' },
        }),
        died, timeout, aborted(signal),
      ]);
      c.init = isObj(init) ? init : {};
      return c;
    } catch (e) {
      kill(c);
      throw e instanceof ProviderError || signal.aborted ? e : new ProviderError(`ACP initialize failed: ${message(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Opens the session on a fresh connection: resumes or loads a known one when the agent can, else starts one. */
  async function openSession(c: Connection, emit: (event: AgentEvent) => void, prefix: string): Promise<void> {
    const caps = isObj(c.init.agentCapabilities) ? c.init.agentCapabilities : {};
    const agentInfo = isObj(c.init.agentInfo) ? c.init.agentInfo : {};
    const agentName = str(agentInfo.title) ?? str(agentInfo.name) ?? 'The ACP agent';
    let response: Obj | undefined;
    let note: string | undefined;
    if (sessionId) {
      const canResume = isObj(caps.sessionCapabilities) && isObj(caps.sessionCapabilities.resume);
      const canLoad = caps.loadSession === true;
      if (canResume || canLoad) {
        settingUp = true;
        try {
          const params = { sessionId, cwd: config.cwd, mcpServers: [] };
          const result = await Promise.race([canResume ? c.ctx.request('session/resume', params) : c.ctx.request('session/load', params), c.died]);
          response = isObj(result) ? result : {};
          // Gemini CLI 0.61 replays the history after answering session/load; let it finish before the prompt.
          if (!canResume) await replayDrained();
        } catch (e) {
          note = `Could not resume ACP session ${sessionId} (${e instanceof acp.RequestError ? acpErrorText({ message: e.message, data: e.data }) : message(e)})`;
        } finally {
          settingUp = false;
        }
      } else {
        note = `${agentName} cannot resume sessions (it offers neither session/resume nor session/load), so session ${sessionId} is lost`;
      }
    }
    if (!response) {
      if (note) emit({ type: 'text', id: `${prefix}:resume`, role: 'assistant', text: `${note}. A new session was started: the agent does not remember the earlier conversation.`, mode: 'replace' });
      const created = await Promise.race([c.ctx.request('session/new', { cwd: config.cwd, mcpServers: [] }), c.died]);
      response = isObj(created) ? created : {};
      const id = str(response.sessionId);
      if (!id) throw new ProviderError('the ACP agent answered session/new without a sessionId');
      sessionId = id;
    }
    c.sessionReady = true;
    settingUp = true;
    try {
      await applyModeAndModel(c, response);
    } finally {
      settingUp = false;
    }
    emit({
      type: 'init', providerSessionId: sessionId!, cwd: config.cwd,
      // The agent asks through session/request_permission unless its bypass mode (Claude's bypassPermissions, Gemini's yolo) is on.
      approvals: { policy: config.permissionMode === 'bypassPermissions' ? 'bypass' : 'ask' },
      ...(config.model ? { model: config.model } : {}),
      ...(str(agentInfo.version) ? { version: str(agentInfo.version)!.slice(0, 64) } : {}),
    });
  }

  /**
   * Resolves once no session/update has arrived for {@link REPLAY_QUIET_MS}
   * (at most {@link REPLAY_MAX_MS}): the replay is a local burst, the next
   * prompt's answer needs a model round trip.
   */
  async function replayDrained(): Promise<void> {
    const started = performance.now();
    lastSetupUpdateAt = Math.max(lastSetupUpdateAt, started);
    while (performance.now() - started < REPLAY_MAX_MS) {
      const idle = performance.now() - lastSetupUpdateAt;
      if (idle >= REPLAY_QUIET_MS) return;
      await Bun.sleep(REPLAY_QUIET_MS - idle);
    }
  }

  /** Switches the session to the mode matching the permission mode, and to `config.model`, where the agent offers them. */
  async function applyModeAndModel(c: Connection, response: Obj): Promise<void> {
    const modes = isObj(response.modes) ? response.modes : {};
    const available = objects(modes.availableModes).map((m) => str(m.id)).filter((m): m is string => !!m);
    const modeId = MODE_ALIASES[config.permissionMode].find((m) => available.includes(m));
    if (modeId && modeId !== modes.currentModeId) {
      await c.ctx.request('session/set_mode', { sessionId: sessionId!, modeId }).catch((e) => console.error(`acp: set_mode ${modeId} failed: ${message(e)}`));
    }
    if (!config.model) return;
    const modelOption = objects(response.configOptions).find((o) => o.category === 'model' && typeof o.id === 'string');
    const models = isObj(response.models) ? objects(response.models.availableModels).map((m) => str(m.modelId)) : [];
    if (modelOption) {
      await c.ctx.request('session/set_config_option', { sessionId: sessionId!, configId: modelOption.id as string, value: config.model } as acp.SetSessionConfigOptionRequest)
        .catch((e) => console.error(`acp: selecting model ${config.model} failed: ${message(e)}`));
    } else if (models.includes(config.model)) {
      await c.ctx.request('session/set_model', { sessionId: sessionId!, modelId: config.model }).catch((e) => console.error(`acp: set_model failed: ${message(e)}`));
    }
  }

  async function runTurn(turn: Turn, emit: (event: AgentEvent) => void): Promise<void> {
    if (turn.signal.aborted) return;
    if (active) throw new ProviderError('an ACP turn is already running');
    const prefix = `t${++turnCount}-${crypto.randomUUID().slice(0, 8)}`;
    adapter.startTurn(prefix);
    active = { emit, signal: turn.signal };
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    let c: Connection | undefined;
    try {
      c = conn ?? (conn = await connect(turn.signal));
      if (!c.sessionReady) await openSession(c, emit, prefix);
      if (turn.signal.aborted) return;
      const id = sessionId!;
      const current = c;
      onAbort = () => {
        cancelPending();
        void current.ctx.notify('session/cancel', { sessionId: id }).catch(() => undefined);
        graceTimer = setTimeout(() => kill(current), cancelGraceMs);
      };
      turn.signal.addEventListener('abort', onAbort, { once: true });
      const result = await Promise.race([c.ctx.request('session/prompt', { sessionId: id, prompt: [{ type: 'text', text: turn.prompt }] }), c.died]);
      const { events, stopReason } = adapter.promptResult(result);
      for (const event of events) emit(event);
      if (turn.signal.aborted || stopReason === 'cancelled' || stopReason === 'end_turn' || stopReason === undefined) return;
      throw new ProviderError(STOP_MESSAGES[stopReason] ?? `The agent stopped: ${stopReason}`);
    } catch (e) {
      if (turn.signal.aborted) return;
      // The SDK notices the closed pipe before the exit status arrives: wait briefly so the error can say how the agent ended.
      if (c && !(e instanceof ProviderError)) {
        const exited = await Promise.race([c.proc.exited.then(() => true), Bun.sleep(1000).then(() => false)]);
        if (exited) e = await c.died.catch((died: unknown) => died);
      }
      if (c && c.proc.exitCode !== null) {
        if (conn === c) conn = null;
        c.release();
      }
      if (e instanceof ProviderError) throw e;
      const text = e instanceof acp.RequestError ? acpErrorText({ message: e.message, data: e.data }) : message(e);
      throw new ProviderError(text, classifyAcpError(text));
    } finally {
      if (onAbort) turn.signal.removeEventListener('abort', onAbort);
      clearTimeout(graceTimer);
      cancelPending();
      active = null;
    }
  }

  return {
    runTurn,
    answerPermission(id, optionId) {
      const p = pending.get(id);
      if (!p || !p.request.options.some((o) => o.optionId === optionId)) return false;
      pending.delete(id);
      // The card shows the answer from here on, also after a reload (same id: it updates in place).
      active?.emit({ ...p.request, answered: { optionId } });
      p.resolve({ outcome: 'selected', optionId });
      return true;
    },
    async close() {
      cancelPending();
      if (!conn) return;
      const c = conn;
      conn = null;
      c.release();
      c.proc.kill('SIGTERM');
      const exited = await Promise.race([c.proc.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 1000))]);
      if (!exited) c.proc.kill('SIGKILL');
    },
  };
}

/** Rejects when `signal` aborts (never resolves). */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
