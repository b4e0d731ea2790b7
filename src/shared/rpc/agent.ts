/** RPC domain `agent`: run sessions, and the events the main process pushes about them. */
import { z } from 'zod';
import { SessionStatusSchema, StatusReasonSchema, WireMessageSchema } from '../events';
import { ProviderIdSchema, SessionOptionsSchema } from '../providers';

const sessionId = z.string().min(1).max(64);
const prompt = z.string().min(1, 'Prompt is empty').max(1_000_000, 'Prompt is over 1,000,000 characters');
const StartResult = z.union([z.object({ ok: z.literal(true), sessionId }), z.object({ ok: z.literal(false), error: z.string() })]);

export const agentRequests = {
  /** Starts a new session on a project with its first prompt. */
  'agent.start': {
    params: z.object({ projectId: z.string().min(1).max(64), provider: ProviderIdSchema, prompt, options: SessionOptionsSchema.optional() }).strict(),
    response: StartResult,
  },
  /** Sends a follow-up prompt; a session whose sidecar is gone is resumed through the provider. */
  'agent.prompt': {
    params: z.object({ sessionId, prompt }).strict(),
    response: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]),
  },
  /** The user's answer to a `permission_request` event: the chosen option id, and an optional message to the agent, sent back to it. */
  'agent.permission': {
    params: z.object({ sessionId, requestId: z.string().min(1).max(512), optionId: z.string().min(1).max(512), message: z.string().max(4000).optional() }).strict(),
    response: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]),
  },
  /** Stops the running turn and the sidecar; the session ends `done` with reason `stopped`. */
  'agent.stop': { params: z.object({ sessionId }).strict(), response: z.object({ ok: z.boolean() }) },
};

export const agentEvents = {
  'agent.message': z.object({ sessionId, messages: z.array(WireMessageSchema) }),
  /** `projectId` lets a client that did not start the session (a second tab, a reload) place it in the right pane. */
  'agent.status': z.object({
    sessionId, projectId: z.string().optional(), status: SessionStatusSchema, reason: StatusReasonSchema.optional(), error: z.string().optional(),
  }),
  /** USD and token counts for the whole session, from the provider's own figures; costUsd null = not reported. */
  'agent.cost': z.object({
    sessionId,
    costUsd: z.number().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    contextTokens: z.number().int().optional(),
    contextWindow: z.number().int().optional(),
  }),
};
