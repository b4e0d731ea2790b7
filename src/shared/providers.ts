/** Providers Corral can run, and the options a session start accepts. */
import { z } from 'zod';

export const PROVIDERS = ['claude', 'codex', 'ollama', 'acp'] as const;
export const ProviderIdSchema = z.enum(PROVIDERS);
export type ProviderId = z.infer<typeof ProviderIdSchema>;

/** Claude Code permission modes; other providers derive their own policy from these. */
export const PermissionModeSchema = z.enum(['default', 'acceptEdits', 'bypassPermissions', 'plan']);
export type PermissionMode = z.infer<typeof PermissionModeSchema>;

/**
 * Env keys a user may not set through `extraEnv`: they steer the agent CLIs
 * themselves (their auth, endpoints and nesting guards) and belong in the
 * real environment or in settings.
 */
export const RESERVED_ENV_PREFIXES = ['CLAUDE', 'CODEX', 'OLLAMA', 'ANTHROPIC_'] as const;

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,255}$/;

/** Extra environment for a session's sidecar; reserved prefixes are refused with a message naming the key. */
export const ExtraEnvSchema = z
  .record(z.string(), z.string().max(32768))
  .superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      if (!ENV_KEY.test(key)) {
        ctx.addIssue({ code: 'custom', message: `extraEnv key ${JSON.stringify(key.slice(0, 64))} is invalid: env keys are letters, digits and _, not starting with a digit` });
        continue;
      }
      const prefix = RESERVED_ENV_PREFIXES.find((p) => key.toUpperCase().startsWith(p));
      if (prefix) ctx.addIssue({ code: 'custom', message: `extraEnv key ${key} is not allowed: keys starting with ${prefix} are reserved for Corral and the agent CLIs` });
    }
    if (Object.keys(env).length > 200) ctx.addIssue({ code: 'custom', message: 'extraEnv has more than 200 keys' });
  });

export const SessionOptionsSchema = z.object({
  model: z.string().min(1).max(256).optional(),
  permissionMode: PermissionModeSchema.optional(),
  systemPrompt: z.string().max(200_000).optional(),
  maxTurns: z.number().int().min(1).max(1000).optional(),
  extraEnv: ExtraEnvSchema.optional(),
  /** Working directory; must be inside the project. Defaults to the project path. */
  cwd: z.string().min(1).max(4096).optional(),
});
/** Options of `agent.start`; unset ones fall back to settings, then provider defaults. */
export type SessionOptions = z.infer<typeof SessionOptionsSchema>;
