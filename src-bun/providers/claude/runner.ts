/**
 * The Claude provider runner: one Agent SDK `query()` (one Claude Code
 * process) per turn, resumed on the provider session id so follow-ups
 * continue the same Claude conversation. I/O only; the mapping to
 * AgentEvents is the pure adapter's job.
 */
import { query as sdkQuery, type Options, type SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { ProviderError, type ProviderRunner, type RunnerConfig, type Turn } from '../types';
import { classifyClaudeError, createClaudeAdapter } from './adapter';

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

const READ_TOOLS = ['Read', 'Glob', 'Grep', 'LS', 'NotebookRead', 'TodoWrite', 'Task', 'Agent'];
const EDIT_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

/**
 * Tools pre-approved per permission mode. Corral has no human in the loop
 * for tool prompts yet, so 'default' and 'acceptEdits' pre-approve the shell
 * (a prompt that cannot be answered would just deny it); 'default' leaves
 * file edits to Claude Code's own permission check, 'acceptEdits' approves
 * them. 'bypassPermissions' needs no list; 'plan' only reads.
 */
export function allowedToolsFor(mode: PermissionMode): string[] {
  switch (mode) {
    case 'bypassPermissions': return [];
    case 'plan': return [...READ_TOOLS];
    case 'acceptEdits': return [...READ_TOOLS, 'Bash', ...EDIT_TOOLS];
    case 'default': return [...READ_TOOLS, 'Bash'];
  }
}

/** The SDK options of one turn (exported for tests); `resume` is the Claude session id, if one is known. */
export function claudeOptions(config: RunnerConfig, abortController: AbortController, resume: string | undefined, stderr: (data: string) => void): Options {
  const bypass = config.permissionMode === 'bypassPermissions';
  // Claude Code refuses bypassPermissions as root unless told it runs in a sandbox.
  const env = bypass ? { ...config.env, IS_SANDBOX: '1' } : { ...config.env };
  const allowedTools = allowedToolsFor(config.permissionMode);
  return {
    cwd: config.cwd,
    env,
    abortController,
    permissionMode: config.permissionMode,
    // Stream text and thinking as it is generated (stream_event deltas), not one block at the end.
    includePartialMessages: true,
    systemPrompt: { type: 'preset', preset: 'claude_code', ...(config.systemPrompt ? { append: config.systemPrompt } : {}) },
    stderr,
    ...(bypass ? { allowDangerouslySkipPermissions: true } : {}),
    ...(allowedTools.length > 0 ? { allowedTools } : {}),
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

/**
 * Creates the Claude runner. Each `runTurn` spawns Claude Code through the
 * Agent SDK with a fresh AbortController wired to `turn.signal`, emits the
 * adapted events as they stream, and resumes the session learnt from the
 * last `init` (or `config.resumeId`). A result with `is_error` is emitted
 * (cost and error events) and then thrown as a {@link ProviderError}. An
 * abort interrupts the turn (Claude Code stops and records it), falls back to
 * killing the process after {@link INTERRUPT_GRACE_MS}, and resolves quietly
 * with whatever was streamed so far plus the cost; no error event.
 */
export function createClaudeRunner(config: RunnerConfig, deps: { query?: ClaudeQuery } = {}): ProviderRunner {
  const query: ClaudeQuery = deps.query ?? (sdkQuery as ClaudeQuery);
  let sessionId = config.resumeId;
  let running: AbortController | undefined;

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
      stream = query({ prompt: turn.prompt, options: claudeOptions(config, abortController, sessionId, (d) => stderr.push(d)) });
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
          if (event.type === 'init') sessionId = event.providerSessionId;
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
    async close() {
      running?.abort(new Error('runner closed'));
    },
  };
}
