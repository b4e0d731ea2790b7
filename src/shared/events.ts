/**
 * Corral's one normalized event model. Every provider adapter maps its own
 * stream (Claude Code stream-json, Codex app-server notifications, ACP `session/update`,
 * Ollama `/api/chat` NDJSON) into these events; the sidecar writes them as
 * NDJSON lines and the main process stamps each with a seqId.
 *
 * Streaming rule: events that belong to one display message share `id`. A
 * later event with the same `id` updates that message in place
 * (`mode: 'append'` adds text, `'replace'` swaps it), it never adds a new one.
 */
import { z } from 'zod';
import { SESSION_STATUSES } from './session-status';

export { SESSION_STATUSES, type SessionStatus } from './session-status';
export const SessionStatusSchema = z.enum(SESSION_STATUSES);

/** Why a session left the running state; shown and persisted with the status. */
export const StatusReasonSchema = z.enum([
  'completed', 'stopped', 'idle_timeout', 'evicted', 'crashed', 'provider_error', 'interrupted',
  /** A spending limit (Settings → Budget) was crossed; the turn was stopped and prompts are refused until it is raised. */
  'budget_exceeded',
]);
export type StatusReason = z.infer<typeof StatusReasonSchema>;

/** Provider errors that must never be retried automatically. */
export const FatalKindSchema = z.enum(['auth', 'quota', 'prompt_too_long']);
export type FatalKind = z.infer<typeof FatalKindSchema>;

const text = z.string().max(8 * 1024 * 1024);
const id = z.string().min(1).max(512);

/**
 * How a session's tool use is approved, for the pane header: `ask` — the
 * agent asks before risky tools and Corral shows a permission card; `bypass` —
 * nothing is asked (`bypassPermissions`); `unattended` — the provider gives
 * Corral no approval channel, so it runs without asking inside its `sandbox`
 * (Codex before it ran as an app-server; sessions stored then still say so).
 * `sandbox` is Codex's: `read-only`, `workspace-write`, `danger-full-access`.
 */
export const ApprovalsSchema = z.object({
  policy: z.enum(['ask', 'bypass', 'unattended']),
  sandbox: z.string().max(64).optional(),
});
export type Approvals = z.infer<typeof ApprovalsSchema>;

/**
 * One edit of one file, as a diff shows it: the text before (`null` when the
 * edit creates the file) and after. The texts are the whole file or a part of
 * it; `oldStart`/`newStart` are the 1-based lines of the file where they
 * begin, absent when the provider did not say (the diff then has no line
 * numbers). Sources: Claude `Edit`/`MultiEdit`/`Write` input and its
 * `tool_use_result.structuredPatch`, ACP `diff` content, Codex `fileChange` diffs.
 */
export const FileEditSchema = z.object({
  path: z.string().max(4096),
  oldText: text.nullable(),
  newText: text,
  oldStart: z.number().int().positive().optional(),
  newStart: z.number().int().positive().optional(),
});
export type FileEdit = z.infer<typeof FileEditSchema>;

export const AgentEventSchema = z.discriminatedUnion('type', [
  /** The provider session is known: Claude `session_id`, Codex `thread_id`, ACP `sessionId`. */
  z.object({
    type: z.literal('init'),
    providerSessionId: id,
    model: z.string().max(256).optional(),
    cwd: z.string().max(4096).optional(),
    tools: z.array(z.string().max(256)).max(1000).optional(),
    version: z.string().max(64).optional(),
    /** How this session's tools are approved; set by the runner, which knows the mode it started the agent in. */
    approvals: ApprovalsSchema.optional(),
  }),
  /** Prose. `role: 'user'` is the prompt as the user sent it. */
  z.object({
    type: z.literal('text'),
    id,
    role: z.enum(['user', 'assistant']),
    text,
    mode: z.enum(['append', 'replace']).default('replace'),
  }),
  z.object({ type: z.literal('thinking'), id, text, mode: z.enum(['append', 'replace']).default('replace') }),
  /** A tool call; `id` is the provider's tool-call id, shared with its tool_result. */
  z.object({
    type: z.literal('tool_call'),
    id,
    name: z.string().max(256),
    input: z.unknown(),
    /** The command line for shell tools, if any. */
    command: z.string().max(65536).optional(),
    /** The file path for file tools, if any. */
    path: z.string().max(4096).optional(),
    /** The edits a file tool makes or made, once known; a later tool_call with the same id may add or refine them. */
    edits: z.array(FileEditSchema).max(256).optional(),
  }),
  z.object({ type: z.literal('tool_result'), id, output: text, isError: z.boolean() }),
  /** Turn lifecycle from the sidecar: `running` when a turn starts, `done`/`error` when it ends. */
  z.object({
    type: z.literal('status'),
    status: SessionStatusSchema,
    reason: StatusReasonSchema.optional(),
    message: z.string().max(65536).optional(),
  }),
  /**
   * Cost of the provider session so far, from the provider's own figures
   * (Claude Code `result.total_cost_usd`/`modelUsage`, Codex
   * `thread/tokenUsage/updated`): running totals, which on resume include earlier
   * turns. `costUsd` is USD, `null` when the provider reports none (Codex).
   * `contextTokens`/`contextWindow` are tokens in use at the end of the turn
   * and the model's window, where reported. Totals only grow: the main
   * process keeps the larger of what it had and what arrives, so a failed
   * turn that reports zero does not erase them.
   */
  z.object({
    type: z.literal('cost'),
    costUsd: z.number().nonnegative().nullable(),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    contextTokens: z.number().int().nonnegative().optional(),
    contextWindow: z.number().int().positive().optional(),
    /**
     * What the totals cover: `session` — the provider session, including
     * earlier turns and earlier processes (Claude Code, Codex); `sidecar` —
     * only this sidecar's lifetime (Ollama, ACP agents), so the main process
     * adds what the session had before the sidecar started. Unset = `session`.
     */
    scope: z.enum(['session', 'sidecar']).optional(),
  }),
  z.object({ type: z.literal('error'), message: z.string().max(65536), fatal: FatalKindSchema.optional() }),
  /**
   * The provider's usage window (rate limit), as the CLI last reported it:
   * Claude Code `rate_limit_event.rate_limit_info` (subscription logins
   * only), Codex app-server `account/rateLimits/updated`. `status`:
   * `allowed`, `allowed_warning` or `rejected`. `window` names the window
   * (`five_hour`, `seven_day`, …; Codex: `primary`/`secondary`),
   * `windowMinutes` its length where reported. `usedPercent` is 0–100,
   * `resetsAt` ms since epoch. The pane header shows the latest.
   */
  z.object({
    type: z.literal('rate_limit'),
    status: z.enum(['allowed', 'allowed_warning', 'rejected']),
    window: z.string().max(64).optional(),
    windowMinutes: z.number().int().positive().optional(),
    usedPercent: z.number().min(0).max(100).optional(),
    resetsAt: z.number().nonnegative().optional(),
  }),
  z.object({ type: z.literal('compaction'), id, summary: z.string().max(65536).optional() }),
  z.object({
    type: z.literal('permission_request'),
    id,
    title: z.string().max(4096),
    /** The answers offered; `kind` as ACP names them: `allow_once`, `allow_always`, `reject_once`, `reject_always`. */
    options: z.array(z.object({ optionId: id, name: z.string().max(256), kind: z.string().max(64) })).max(16),
    /** An edit: the file, its text before (null: a new file, or unknown) and after. For Claude's Edit, the replaced snippet. */
    diff: FileEditSchema.optional(),
    /** The tool the agent wants to run (Claude `Bash`, `Write`; an ACP tool's name). */
    tool: z.string().max(256).optional(),
    /** The command line, for shell tools. */
    command: z.string().max(65536).optional(),
    /** The file concerned, for file tools. */
    path: z.string().max(4096).optional(),
    /** The answer may carry a message to the agent (Claude: sent with Deny as the reason the model reads). */
    acceptsMessage: z.boolean().optional(),
    /**
     * Set on the copy a runner emits once the user answered: same id, so the
     * card updates in place and a reload or History shows the answer. Nothing
     * waits on such an event.
     */
    answered: z.object({ optionId: id }).optional(),
  }),
]);
/** One normalized event; see the module comment for the streaming rule. */
export type AgentEvent = z.infer<typeof AgentEventSchema>;
export type AgentEventType = AgentEvent['type'];

/** An event as it travels to the UI and into storage: stamped with its session-local seqId and time (ms since epoch). */
export const WireMessageSchema = z.object({
  seqId: z.number().int().nonnegative(),
  ts: z.number().nonnegative(),
  event: AgentEventSchema,
});
export type WireMessage = z.infer<typeof WireMessageSchema>;
