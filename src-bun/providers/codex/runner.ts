/**
 * The Codex provider runner: one long-lived `codex app-server` process per
 * sidecar (JSON-RPC over stdio, ./app-server-connection.ts), one Codex
 * thread (`thread/start`, or `thread/resume` of a known thread id, also
 * after a relaunch), one `turn/start` per prompt. Approval requests become
 * permission cards (./approvals.ts decides which). I/O only; the mapping is
 * the pure adapter's (./app-server-adapter.ts).
 *
 * Why the app-server and not `codex exec --json` or `@openai/codex-sdk`
 * (which wraps exec): only the app-server asks before a command or an edit.
 * The bundled CLI's native binary is spawned directly, so stop signals reach
 * Codex and no Node process sits between.
 */
import type { AgentEvent } from '../../../src/shared/events';
import { isObj, str } from '../raw-fields';
import { ProviderError, type ProviderRunner, type RunnerConfig, type Turn } from '../types';
import { createCodexAppServerAdapter } from './app-server-adapter';
import { AppServerRequestError, startAppServer, type AppServerConnection, type AppServerTap, type RequestId } from './app-server-connection';
import {
  codexApprovals, codexDecision, codexPolicy, codexWireDecision, isCodexOptionId,
  type CodexApprovalKind, type CodexWireDecision,
} from './approvals';
import { bundledCodexVersion, resolveCodexBinary } from './binary';

/** How long an interrupted turn may take to end before the app-server is killed, ms. It ends in ~60 ms when healthy. */
export const STOP_GRACE_MS = 1000;
/** How long the app-server may take to answer `initialize`, ms. */
export const STARTUP_TIMEOUT_MS = 30_000;

/** Knobs of the runner, for tests and the fixture recorder. */
export type CodexRunnerOptions = { tap?: AppServerTap; stopGraceMs?: number };

/**
 * The parameters `thread/start` and `thread/resume` share (exported for
 * tests): cwd, approval policy and sandbox from the permission mode
 * (./approvals.ts), and the model and developer instructions when set.
 */
export function threadParams(config: RunnerConfig): Record<string, unknown> {
  const { sandbox, approvalPolicy } = codexPolicy(config.permissionMode, config.sandbox);
  return {
    cwd: config.cwd, approvalPolicy, sandbox,
    ...(config.model ? { model: config.model } : {}),
    ...(config.systemPrompt ? { developerInstructions: config.systemPrompt } : {}),
  };
}

type PermissionRequest = Extract<AgentEvent, { type: 'permission_request' }>;
type Pending = { request: PermissionRequest; kind: CodexApprovalKind; rpcId: RequestId; availableDecisions?: unknown[] };
type Active = {
  emit: (event: AgentEvent) => void;
  signal: AbortSignal;
  turnId?: string;
  failure?: Extract<AgentEvent, { type: 'error' }>;
  /** Settles with the turn's status once `turn/completed` for it arrives. */
  completed: Promise<string>;
  complete(status: string): void;
};

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Creates the Codex runner. The app-server starts on the first turn (in
 * `config.cwd`, with `config.env`, in the sidecar's process group) and serves
 * every later turn; if it dies, the next turn starts a new one and resumes
 * the thread. A failed turn is emitted (`error` event) and then thrown as a
 * {@link ProviderError}. An abort cancels open approval requests, sends
 * `turn/interrupt`, kills the app-server if the turn has not ended after
 * `stopGraceMs`, and resolves quietly. "Allow for this session" is
 * remembered per kind (commands, edits) for the sidecar's lifetime.
 */
export function createCodexRunner(config: RunnerConfig, options: CodexRunnerOptions = {}): ProviderRunner {
  const stopGraceMs = options.stopGraceMs ?? STOP_GRACE_MS;
  const adapter = createCodexAppServerAdapter();
  const pending = new Map<string, Pending>();
  const sessionAllowed = new Set<CodexApprovalKind>();
  let conn: AppServerConnection | null = null;
  let threadId = config.resumeId;
  let threadReady = false;
  let resolvedModel = config.model;
  let turnCount = 0;
  let active: Active | null = null;
  /** A `turn/completed` that arrived before `turn/start` answered with the turn's id. */
  let earlyCompletion: { turnId: string; status: string } | undefined;

  const answer = (c: AppServerConnection, rpcId: RequestId, decision: CodexWireDecision) => c.respond(rpcId, { decision });

  function cancelPending(): void {
    for (const p of pending.values()) if (conn) answer(conn, p.rpcId, 'cancel');
    pending.clear();
  }

  function onNotification(method: string, params: unknown): void {
    if (isObj(params) && typeof params.threadId === 'string' && params.threadId !== threadId) return;
    // Token usage arrives also between turns (a resumed thread reports its totals): the adapter keeps it.
    const events = adapter.notification(method, params);
    if (method === 'turn/completed' && isObj(params) && isObj(params.turn)) {
      const turnId = str(params.turn.id) ?? '';
      const status = str(params.turn.status) ?? 'completed';
      if (active?.turnId === turnId) active.complete(status);
      else earlyCompletion = { turnId, status };
    }
    if (!active) return;
    for (const event of events) {
      if (event.type === 'error') {
        if (active.signal.aborted) continue;
        active.failure = event;
      }
      active.emit(event);
    }
  }

  function onRequest(c: AppServerConnection, rpcId: RequestId, method: string, params: unknown): void {
    const id = `perm-${turnCount}-${String(rpcId)}`;
    const card = adapter.approval(id, method, params);
    if (!card) {
      c.respondError(rpcId, -32601, `Corral does not serve ${method}`);
      return;
    }
    if (!active || active.signal.aborted) return answer(c, rpcId, 'cancel');
    const decision = codexDecision(config.permissionMode, card.kind, sessionAllowed);
    if (decision !== 'ask') return answer(c, rpcId, decision);
    const availableDecisions = isObj(params) && Array.isArray(params.availableDecisions) ? params.availableDecisions : undefined;
    pending.set(id, { request: card.request, kind: card.kind, rpcId, availableDecisions });
    active.emit(card.request);
  }

  async function connect(): Promise<AppServerConnection> {
    const binary = resolveCodexBinary(config.executable, config.env);
    if (!binary) {
      throw new ProviderError(config.executable
        ? `Codex executable not found at ${config.executable}`
        : 'Codex CLI not found: the bundled @openai/codex has no binary for this platform and `codex` is not on PATH');
    }
    let c!: AppServerConnection;
    c = await startAppServer({
      binary: binary.path, args: [], cwd: config.cwd, env: config.env, tap: options.tap, startupTimeoutMs: STARTUP_TIMEOUT_MS,
      handlers: { notification: onNotification, request: (rpcId, method, params) => onRequest(c, rpcId, method, params) },
    });
    threadReady = false;
    return c;
  }

  /** Resumes the known thread, or starts one (with a note when the known one cannot be resumed); then says `init`. */
  async function openThread(c: AppServerConnection, emit: (event: AgentEvent) => void, prefix: string): Promise<void> {
    let response: unknown;
    if (threadId) {
      try {
        response = await Promise.race([c.request('thread/resume', { threadId, ...threadParams(config), excludeTurns: true }), c.died]);
      } catch (e) {
        if (!(e instanceof AppServerRequestError)) throw e;
        // Only a thread Codex has no record of is replaced; another process writing it ("already has an active writer") is an error.
        if (!/no rollout found|not found/i.test(e.message)) throw new ProviderError(`Could not resume Codex thread ${threadId}: ${e.message}`);
        emit({ type: 'text', id: `${prefix}:resume`, role: 'assistant', mode: 'replace', text: `Could not resume Codex thread ${threadId} (${e.message}). A new thread was started: Codex does not remember the earlier conversation.` });
      }
    }
    if (!response) response = await Promise.race([c.request('thread/start', threadParams(config)), c.died]);
    const thread = isObj(response) && isObj(response.thread) ? response.thread : {};
    const id = str(thread.id);
    if (!id) throw new ProviderError('Codex answered thread/start without a thread id');
    threadId = id;
    resolvedModel = (isObj(response) ? str(response.model) : undefined) ?? config.model;
    threadReady = true;
  }

  function initEvent(c: AppServerConnection): AgentEvent {
    const version = c.version ?? (config.executable ? undefined : bundledCodexVersion() ?? undefined);
    return {
      type: 'init', providerSessionId: threadId!, cwd: config.cwd,
      approvals: codexApprovals(config.permissionMode, config.sandbox),
      ...(resolvedModel ? { model: resolvedModel } : {}),
      ...(version ? { version } : {}),
    };
  }

  function drop(c: AppServerConnection): void {
    c.kill();
    if (conn === c) conn = null;
    threadReady = false;
  }

  async function runTurn(turn: Turn, emit: (event: AgentEvent) => void): Promise<void> {
    if (turn.signal.aborted) return;
    if (active) throw new ProviderError('a Codex turn is already running');
    // Event ids get a per-turn prefix, so ids never collide across turns or restarts of the app-server.
    const prefix = `t${++turnCount}-${crypto.randomUUID().slice(0, 8)}`;
    adapter.startTurn(prefix);
    let complete!: (status: string) => void;
    const completed = new Promise<string>((r) => { complete = r; });
    const current: Active = { emit, signal: turn.signal, completed, complete };
    active = current;
    let c: AppServerConnection | undefined;
    let hardStop: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      c = conn ?? (conn = await connect());
      if (!threadReady) await openThread(c, emit, prefix);
      emit(initEvent(c));
      if (turn.signal.aborted) return;
      const started = c.request('turn/start', { threadId, input: [{ type: 'text', text: turn.prompt, text_elements: [] }] });
      const live = c;
      onAbort = () => {
        cancelPending();
        void started.then((r) => {
          const turnId = isObj(r) && isObj(r.turn) ? str(r.turn.id) : undefined;
          if (turnId) return live.request('turn/interrupt', { threadId, turnId });
        }).catch(() => undefined);
        hardStop = setTimeout(() => { drop(live); current.complete('interrupted'); }, stopGraceMs);
      };
      turn.signal.addEventListener('abort', onAbort, { once: true });
      const response = await Promise.race([started, c.died]);
      current.turnId = isObj(response) && isObj(response.turn) ? str(response.turn.id) : undefined;
      if (!current.turnId) throw new ProviderError('Codex answered turn/start without a turn id');
      if (earlyCompletion?.turnId === current.turnId) current.complete(earlyCompletion.status);
      const status = await Promise.race([completed, c.died]);
      if (turn.signal.aborted) return;
      if (status === 'failed') {
        const failure = current.failure;
        throw new ProviderError(failure?.message ?? 'Codex reported a failed turn', failure?.fatal);
      }
      if (status === 'interrupted') throw new ProviderError('Codex interrupted the turn');
    } catch (e) {
      if (turn.signal.aborted) return;
      if (c?.exited) drop(c);
      if (e instanceof ProviderError) throw e;
      throw new ProviderError(`Codex: ${errorText(e)}`);
    } finally {
      if (onAbort) turn.signal.removeEventListener('abort', onAbort);
      clearTimeout(hardStop);
      cancelPending();
      earlyCompletion = undefined;
      active = null;
    }
  }

  return {
    runTurn,
    answerPermission(id, optionId) {
      const p = pending.get(id);
      if (!p || !conn || !isCodexOptionId(optionId)) return false;
      pending.delete(id);
      if (optionId === 'allow_session') sessionAllowed.add(p.kind);
      // The card shows the answer from here on, also after a reload (same id: it updates in place).
      active?.emit({ ...p.request, answered: { optionId } });
      answer(conn, p.rpcId, codexWireDecision(optionId, p.kind, p.availableDecisions));
      return true;
    },
    async close() {
      cancelPending();
      const c = conn;
      conn = null;
      await c?.close(stopGraceMs);
    },
  };
}
