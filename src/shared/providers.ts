/** Providers Corral can run, and the options a session start accepts. */
import { z } from 'zod';
import { CODEX_SANDBOX_MODES, PROVIDERS } from './provider-ids';

export { ACP_PRESETS, CODEX_SANDBOX_MODES, DEFAULT_OLLAMA_HOST, PROVIDERS, type AcpPreset, type CodexSandbox, type ProviderId } from './provider-ids';

export const ProviderIdSchema = z.enum(PROVIDERS);

/** Claude Code permission modes; other providers derive their own policy from these. */
export const PermissionModeSchema = z.enum(['default', 'acceptEdits', 'bypassPermissions', 'plan']);
export type PermissionMode = z.infer<typeof PermissionModeSchema>;

/** Codex sandbox policies (the values: provider-ids.ts). */
export const CodexSandboxSchema = z.enum(CODEX_SANDBOX_MODES);

/**
 * Env keys a user may not set through `extraEnv`: they steer the agent CLIs
 * themselves (their auth, endpoints and nesting guards) and belong in the
 * real environment or in settings.
 */
export const RESERVED_ENV_PREFIXES = ['CLAUDE', 'CODEX', 'OLLAMA', 'ANTHROPIC_'] as const;

/**
 * Env keys that change how the sidecar process itself runs, not just the
 * agent inside it: where executables are found, the home it reads config
 * from, the Node/Bun runtime's flags, and the dynamic loader. Refused in
 * `extraEnv`, exactly (`RUNTIME_ENV_KEYS`) or by prefix (`RUNTIME_ENV_PREFIXES`).
 */
export const RUNTIME_ENV_KEYS = ['PATH', 'HOME', 'NODE_OPTIONS'] as const;
export const RUNTIME_ENV_PREFIXES = ['LD_', 'DYLD_', 'BUN_'] as const;

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/**
 * Why `key` may not be set through `extraEnv`, as a message naming the key,
 * or null when it may. Compared case-insensitively, since Windows env keys are.
 */
export function extraEnvKeyProblem(key: string): string | null {
  if (!ENV_KEY.test(key)) return `extraEnv key ${JSON.stringify(key.slice(0, 64))} is invalid: env keys are letters, digits and _, not starting with a digit`;
  const upper = key.toUpperCase();
  if ((RUNTIME_ENV_KEYS as readonly string[]).includes(upper)) return `extraEnv key ${key} is not allowed: it changes how the sidecar itself runs`;
  const runtime = RUNTIME_ENV_PREFIXES.find((p) => upper.startsWith(p));
  if (runtime) return `extraEnv key ${key} is not allowed: keys starting with ${runtime} change how the sidecar itself runs`;
  const reserved = RESERVED_ENV_PREFIXES.find((p) => upper.startsWith(p));
  if (reserved) return `extraEnv key ${key} is not allowed: keys starting with ${reserved} are reserved for Corral and the agent CLIs`;
  return null;
}

/** Extra environment for a session's sidecar; refused keys (see {@link extraEnvKeyProblem}) come back with a message naming the key. */
export const ExtraEnvSchema = z
  .record(z.string(), z.string().max(32768))
  .superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      const problem = extraEnvKeyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    if (Object.keys(env).length > 200) ctx.addIssue({ code: 'custom', message: 'extraEnv has more than 200 keys' });
  });

export const SessionOptionsSchema = z.object({
  model: z.string().min(1).max(256).optional(),
  permissionMode: PermissionModeSchema.optional(),
  systemPrompt: z.string().max(200_000).optional(),
  maxTurns: z.number().int().min(1).max(1000).optional(),
  extraEnv: ExtraEnvSchema.optional(),
  /** Codex only: sandbox policy; unset = derived from the permission mode. */
  sandbox: CodexSandboxSchema.optional(),
  /** Working directory; must be inside the project. Defaults to the project path. */
  cwd: z.string().min(1).max(4096).optional(),
  /** Run the session in its own git worktree on a new branch `corral/<short id>` (the project folder must be in a git work tree). */
  worktree: z.boolean().optional(),
});
/** Options of `agent.start`; unset ones fall back to settings, then provider defaults. */
export type SessionOptions = z.infer<typeof SessionOptionsSchema>;
