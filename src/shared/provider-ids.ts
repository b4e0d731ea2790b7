/**
 * The providers and their fixed choices, as plain values: no schema library,
 * so the UI's first paint can use them without loading one. The schemas over
 * them are in providers.ts, which re-exports all of this.
 */

export const PROVIDERS = ['claude', 'codex', 'ollama', 'acp'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

/**
 * Codex sandbox policies (the app-server's `sandbox`): what model-generated
 * commands may touch. Unset, the runner derives one from the permission mode.
 */
export const CODEX_SANDBOX_MODES = ['read-only', 'workspace-write', 'danger-full-access'] as const;
export type CodexSandbox = (typeof CODEX_SANDBOX_MODES)[number];

/** A ready-made ACP agent command line for the Settings picker; `bin` is the executable the availability probe looks for. */
export type AcpPreset = { id: string; label: string; command: string; bin: string };

/**
 * Known ACP agents. Any other command line that speaks ACP on stdio works
 * too (Settings: `provider_settings.acp.command`).
 */
export const ACP_PRESETS: readonly AcpPreset[] = [
  { id: 'gemini', label: 'Gemini CLI', command: 'gemini --acp', bin: 'gemini' },
  { id: 'claude-agent-acp', label: 'Claude Code (ACP adapter)', command: 'claude-agent-acp', bin: 'claude-agent-acp' },
  { id: 'codex-acp', label: 'Codex (ACP adapter)', command: 'codex-acp', bin: 'codex-acp' },
  { id: 'qwen', label: 'Qwen Code', command: 'qwen --acp', bin: 'qwen' },
];

/** Default Ollama server when neither the setting nor `OLLAMA_HOST` names one. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
