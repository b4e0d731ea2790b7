/**
 * The Claude provider runner: one Agent SDK `query()` (one Claude Code
 * process) per turn, resumed on the provider session id so follow-ups
 * continue the same Claude conversation. I/O only; the mapping to
 * AgentEvents is the pure adapter's job.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { query as sdkQuery, type CanUseTool, type Options, type SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { AgentEvent } from '../../../src/shared/events';
import { ProviderError, type ProviderRunner, type RunnerConfig, type Turn } from '../types';
import { classifyClaudeError, createClaudeAdapter } from './adapter';
import {
  claudeApprovals, claudeDecision, claudePermissionRequest, claudePermissionResult, claudeToolPath, isClaudeOptionId,
  sessionAllowKey, type ClaudeOptionId, type ClaudePermissionResult,
} from './permissions';

/** The SDK's `query`, injectable so a test can stand in for it; defaults to the real one. */
export type ClaudeQuery = (params: { prompt: string; options?: Options }) => AsyncIterable<SDKMessage> & {
  interrupt?(): Promise<void>;
  close?(): void;
};

/**
 * How long an interrupted turn may take to wind down before the process is
 * aborted outright, ms. An interrupt ends the turn in ~50 ms and keeps the
 * transcript resumable; the SDK's abort path waits 2 s before its SIGTERM.
 */
export const INTERRUPT_GRACE_MS = 1000;

/** Largest file a Write card reads to show what it replaces, bytes; a bigger one shows as unknown. */
export const MAX_DIFF_FILE_BYTES = 1024 * 1024;

/**
 * The SDK options of one turn (exported for tests); `resume` is the Claude
 * session id, if one is known. No tool is pre-approved: every call Claude
 * Code would ask about goes to `canUseTool` (see ./permissions.ts).
 */
export function claudeOptions(
  config: RunnerConfig,
  abortController: AbortController,
  resume: string | undefined,
  stderr: (data: string) => void,
  canUseTool?: CanUseTool,
): Options {
  const bypass = config.permissionMode === 'bypassPermissions';
  // Claude Code refuses bypassPermissions as root unless told it runs in a sandbox.
  const env = bypass ? { ...config.env, IS_SANDBOX: '1' } : { ...config.env };
  return {
    cwd: config.cwd,
    env,
    abortController,
    // Claude Code's own acceptEdits also approves shell commands that only touch the project
    // (`echo x > file`) without consulting canUseTool. Run it in `default`, so every non-read
    // call reaches the policy, which then lets edits run (claudeDecision).
    permissionMode: config.permissionMode === 'acceptEdits' ? 'default' : config.permissionMode,
    // Stream text and thinking as it is generated (stream_event deltas), not one block at the end.
    includePartialMessages: true,
    systemPrompt: { type: 'preset', preset: 'claude_code', ...(config.systemPrompt ? { append: config.systemPrompt } : {}) },
    stderr,
    ...(bypass ? { allowDangerouslySkipPermissions: true } : {}),
    ...(canUseTool ? { canUseTool } : {}),
    ...(config.model ? { model: config.model } : {}),
    ...(config.maxTurns ? { maxTurns: config.maxTurns } : {}),
    ...(config.executable ? { pathToClaudeCodeExecutable: config.executable } : {}),
    ...(resume ? { resume } : {}),
  };
}

/** Keeps the last `max` characters of a growing log, for error messages. */
function tail(max: number) {
  let text = '';
  return {
    push(chunk: string) { text = (text + chunk).slice(-max); },
    get text() { return text.trim(); },
  };
}

/** The current text of a file a Write would replace: null when absent, unreadable or over {@link MAX_DIFF_FILE_BYTES}. */
async function existingText(cwd: string, path: string | undefined): Promise<string | null> {
  if (!path) return null;
  try {
    const bytes = await readFile(isAbsolute(path) ? path : resolve(cwd, path));
    return bytes.byteLength > MAX_DIFF_FILE_BYTES ? null : bytes.toString('utf8');
  } catch {
    return null;
  }
}

type PendingAnswer = { resolve(answer: { optionId: ClaudeOptionId; message?: string } | null): void };

/**
 * Creates the Claude runner. Each `runTurn` spawns Claude Code through the
 * Agent SDK with a fresh AbortController wired to `turn.signal`, emits the
 * adapted events as they stream, and resumes the session learnt from the
 * last `init` (or `config.resumeId`). A result with `is_error` is emitted
 * (cost and error events) and then thrown as a {@link ProviderError}. An
 * abort interrupts the turn (Claude Code stops and records it), falls back to
 * killing the process after {@link INTERRUPT_GRACE_MS}, and resolves quietly
 * with whatever was streamed so far plus the cost; no error event.
 *
 * Tool approvals: Claude Code's `canUseTool` callback runs
 * {@link claudeDecision}; a call to ask about becomes a `permission_request`
 * event and waits for {@link ProviderRunner.answerPermission}. "Allow for
 * this session" is remembered by the runner (one sidecar's lifetime), so
 * later calls of the same kind run without asking. An abort denies whatever
 * waits. The `init` event carries the approvals the pane header shows.
 */
export function createClaudeRunner(config: RunnerConfig, deps: { query?: ClaudeQuery } = {}): ProviderRunner {
  const query: ClaudeQuery = deps.query ?? (sdkQuery as ClaudeQuery);
  let sessionId = config.resumeId;
  let running: AbortController | undefined;
  const sessionAllowed = new Set<string>();
  const pending = new Map<string, PendingAnswer>();
  let asked = 0;

  /** The turn's `canUseTool`: decides by policy, or asks the user through `emit` and waits for the answer. */
  function gate(emit: (event: AgentEvent) => void, turnSignal: AbortSignal): CanUseTool {
    return async (toolName, input, options): Promise<ClaudePermissionResult> => {
      const decision = claudeDecision(config.permissionMode, toolName, sessionAllowed);
      if (decision.behavior === 'allow') return { behavior: 'allow', updatedInput: input };
      if (decision.behavior === 'deny') return { behavior: 'deny', message: decision.message };
      const id = `perm-${options.toolUseID || ++asked}`;
      const current = toolName === 'Write' ? await existingText(config.cwd, claudeToolPath(input)) : null;
      const request = claudePermissionRequest(id, toolName, input, { title: options.title, existingText: current });
      const answer = await new Promise<{ optionId: ClaudeOptionId; message?: string } | null>((settle) => {
        const stop = () => settle(null);
        if (turnSignal.aborted || options.signal.aborted) return settle(null);
        turnSignal.addEventListener('abort', stop, { once: true });
        options.signal.addEventListener('abort', stop, { once: true });
        pending.set(id, {
          resolve: (a) => {
            turnSignal.removeEventListener('abort', stop);
            options.signal.removeEventListener('abort', stop);
            settle(a);
          },
        });
        emit(request);
      });
      pending.delete(id);
      if (!answer) return { behavior: 'deny', message: 'The turn was stopped before the user answered.', interrupt: true };
      emit({ ...request, answered: { optionId: answer.optionId } });
      if (answer.optionId === 'allow_session') sessionAllowed.add(sessionAllowKey(toolName));
      return claudePermissionResult(answer.optionId, input, answer.message);
    };
  }

  async function runTurn(turn: Turn, emit: (event: AgentEvent) => void): Promise<void> {
    if (turn.signal.aborted) return;
    if (running) throw new ProviderError('a Claude turn is already running');
    const abortController = new AbortController();
    const stderr = tail(4000);
    const adapter = createClaudeAdapter();
    let failure: Extract<AgentEvent, { type: 'error' }> | undefined;
    let sawResult = false;
    let hardStop: ReturnType<typeof setTimeout> | undefined;
    let stream: ReturnType<ClaudeQuery>;
    try {
      // bypassPermissions never consults canUseTool (the SDK warns when given one).
      const canUseTool = config.permissionMode === 'bypassPermissions' ? undefined : gate(emit, turn.signal);
      stream = query({ prompt: turn.prompt, options: claudeOptions(config, abortController, sessionId, (d) => stderr.push(d), canUseTool) });
    } catch (error) {
      throw new ProviderError(`Claude Agent SDK refused the turn: ${error instanceof Error ? error.message : String(error)}`);
    }
    running = abortController;
    const onAbort = () => {
      stream.interrupt?.().catch(() => undefined);
      hardStop = setTimeout(() => abortController.abort(turn.signal.reason), stream.interrupt ? INTERRUPT_GRACE_MS : 0);
    };
    turn.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const message of stream) {
        if (message.type === 'result') sawResult = true;
        for (const event of adapter.adapt(message)) {
          if (event.type === 'init') {
            sessionId = event.providerSessionId;
            emit({ ...event, approvals: claudeApprovals(config.permissionMode) });
            continue;
          }
          // An interrupted turn ends in an error result; a stop is not an error.
          if (event.type === 'error' && turn.signal.aborted) continue;
          if (event.type === 'error') failure = event;
          emit(event);
        }
      }
    } catch (error) {
      if (turn.signal.aborted) return;
      // Claude Code exits 1 after an error result, and the SDK throws; the result already said why.
      if (!failure) {
        const message = [error instanceof Error ? error.message : String(error), stderr.text].filter(Boolean).join('\n');
        throw new ProviderError(message, classifyClaudeError({ message }));
      }
    } finally {
      turn.signal.removeEventListener('abort', onAbort);
      clearTimeout(hardStop);
      if (running === abortController) running = undefined;
      try {
        stream.close?.();
      } catch {
        // Already finished: nothing to release.
      }
    }
    if (turn.signal.aborted) return;
    if (failure) throw new ProviderError(failure.message, failure.fatal);
    if (!sawResult) throw new ProviderError(['Claude Code ended without a result', stderr.text].filter(Boolean).join('\n'));
  }

  return {
    runTurn,
    answerPermission(id, optionId, message) {
      const p = pending.get(id);
      if (!p || !isClaudeOptionId(optionId)) return false;
      pending.delete(id);
      p.resolve({ optionId, ...(message ? { message } : {}) });
      return true;
    },
    async close() {
      for (const p of pending.values()) p.resolve(null);
      pending.clear();
      running?.abort(new Error('runner closed'));
    },
  };
}
