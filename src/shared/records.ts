/** Persistent records as both sides see them (rows of the projects and sessions tables). */
import { z } from 'zod';
import { SessionStatusSchema, StatusReasonSchema } from './events';
import { ProviderIdSchema } from './providers';

export const ProjectSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(256),
  /** Absolute, symlink-resolved directory. */
  path: z.string().min(1).max(4096),
  /** ms since epoch */
  createdAt: z.number(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const SessionRecordSchema = z.object({
  id: z.string().min(1).max(64),
  projectId: z.string().min(1).max(64),
  provider: ProviderIdSchema,
  status: SessionStatusSchema,
  reason: StatusReasonSchema.nullable().default(null),
  error: z.string().max(65536).nullable().default(null),
  /** Claude `session_id`, Codex `thread_id`, ACP `sessionId`: what a follow-up resumes. */
  providerSessionId: z.string().max(512).nullable().default(null),
  model: z.string().max(256).nullable().default(null),
  /** USD; null when the provider reports no cost. */
  costUsd: z.number().nonnegative().nullable().default(null),
  inputTokens: z.number().int().nonnegative().default(0),
  outputTokens: z.number().int().nonnegative().default(0),
  /** ms since epoch */
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;
