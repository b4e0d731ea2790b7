/**
 * What every provider gives the sidecar: a runner that does the I/O of one
 * turn and reports normalized events. Adapters (pure: provider event ->
 * AgentEvent[]) live beside each runner.
 */
import type { AgentEvent, FatalKind } from '../../src/shared/events';
import type { CodexSandbox, PermissionMode, ProviderId } from '../../src/shared/providers';

/** The sidecar's start command, fully resolved by the main process (settings defaults already applied). */
export type RunnerConfig = {
  provider: ProviderId;
  /** Absolute working directory of the agent. */
  cwd: string;
  model?: string;
  permissionMode: PermissionMode;
  systemPrompt?: string;
  maxTurns?: number;
  /** The complete environment for the agent process (already filtered by the main process). */
  env: Record<string, string>;
  /** Provider session to resume (Claude `session_id`, Codex `thread_id`, ACP `sessionId`), if any. */
  resumeId?: string;
  /** Path of the agent executable, when a setting overrides the bundled one. */
  executable?: string;
  /** Ollama: server URL (setting `provider_settings.ollama.host`); unset = `OLLAMA_HOST` in `env`, else http://127.0.0.1:11434. */
  host?: string;
  /** ACP: the agent's command line, e.g. `gemini --acp` (setting `provider_settings.acp.command`). */
  command?: string;
  /** Codex: sandbox policy; unset = derived from `permissionMode`. */
  sandbox?: CodexSandbox;
};

/** One turn: the prompt, and a fresh AbortSignal that only this turn uses. */
export type Turn = { prompt: string; signal: AbortSignal };

/**
 * A provider runner. `runTurn` emits events as they stream and resolves when
 * the turn ends. It throws {@link ProviderError} for a provider failure; an
 * abort resolves or rejects with the signal's reason, and the sidecar treats
 * either as a stop.
 */
export interface ProviderRunner {
  runTurn(turn: Turn, emit: (event: AgentEvent) => void): Promise<void>;
  /**
   * Answers a `permission_request` the runner emitted (`id`) with one of its
   * options (`optionId`) and, where the request `acceptsMessage`, a message to
   * the agent. Returns false when no such request is pending (already
   * answered, or its turn ended). Only providers that ask (Claude, ACP) implement it.
   */
  answerPermission?(id: string, optionId: string, message?: string): boolean;
  /** Releases whatever the runner holds between turns (child processes, connections). */
  close(): Promise<void>;
}

/** A provider-reported failure; `fatal` marks errors that must never be retried (auth, quota, prompt too long). */
export class ProviderError extends Error {
  constructor(message: string, readonly fatal?: FatalKind) {
    super(message);
    this.name = 'ProviderError';
  }
}
