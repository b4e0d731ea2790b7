/**
 * Commands the main process writes to a sidecar's stdin, one JSON object per
 * line. The sidecar answers on stdout with AgentEvent NDJSON lines
 * (src/shared/events.ts): `status running` when a turn starts, then the
 * provider's events, then `status done` (reason `completed` or `stopped`) or
 * `status error`.
 */
import { z } from 'zod';
import { CodexSandboxSchema, PermissionModeSchema, ProviderIdSchema } from '../src/shared/providers';

export const SidecarCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    config: z.object({
      provider: ProviderIdSchema,
      cwd: z.string(),
      model: z.string().optional(),
      permissionMode: PermissionModeSchema,
      systemPrompt: z.string().optional(),
      maxTurns: z.number().int().optional(),
      env: z.record(z.string(), z.string()),
      resumeId: z.string().optional(),
      executable: z.string().optional(),
      host: z.string().optional(),
      command: z.string().optional(),
      sandbox: CodexSandboxSchema.optional(),
    }),
  }),
  z.object({ type: z.literal('prompt'), prompt: z.string() }),
  /** Aborts the running turn, if any; the sidecar stays up for the next prompt. */
  z.object({ type: z.literal('abort') }),
  /** The user's answer to a `permission_request` event; `message` goes to the agent with a denial, where the provider takes one. */
  z.object({ type: z.literal('permission'), id: z.string(), optionId: z.string(), message: z.string().max(4000).optional() }),
]);
export type SidecarCommand = z.infer<typeof SidecarCommandSchema>;
