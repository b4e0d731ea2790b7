/**
 * The environment a sidecar (and the agent CLI inside it) gets: the main
 * process's own, minus only the variables that mark a nested agent session,
 * plus the user's validated `extraEnv`. Keys and base URLs in `ANTHROPIC_*`,
 * `OPENAI_*`, `OLLAMA_HOST` and `GEMINI_*` pass through untouched.
 */
import { extraEnvKeyProblem } from '../../src/shared/providers';

/**
 * Variables set by a running Claude Code / Codex for its children. Inherited,
 * they make the agent believe it runs nested inside another agent session.
 */
export const NESTED_SESSION_MARKERS = ['CLAUDECODE', 'CLAUDE_CODE_ENTRYPOINT', 'CLAUDE_CODE_SSE_PORT', 'CODEX_SANDBOX', 'CODEX_SANDBOX_NETWORK_DISABLED'] as const;

/**
 * Builds the sidecar env from `base` (normally `process.env`) and `extra`.
 * `extra` was validated at the RPC boundary; it is checked again here because
 * a session resumed from the database carries options stored under older
 * rules. Throws an Error naming the first refused key.
 */
export function buildSidecarEnv(base: Record<string, string | undefined>, extra: Record<string, string> = {}): Record<string, string> {
  for (const key of Object.keys(extra)) {
    const problem = extraEnvKeyProblem(key);
    if (problem) throw new Error(problem);
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || (NESTED_SESSION_MARKERS as readonly string[]).includes(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}
