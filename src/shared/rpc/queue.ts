/**
 * RPC domain `queue`: prompts queued on a session while its turn runs, and
 * Steer. Queued prompts are stored in SQLite as soon as they are added and go
 * out one by one, in order, as turns end `done`. When the session errors,
 * its sidecar dies, the user stops the turn or Corral quits, the queued
 * prompts stay, marked `unsent` with the reason, until Retry. Every change
 * is pushed as `queue.changed` with the session's whole queue.
 */
import { z } from 'zod';

const sessionId = z.string().min(1).max(64);
const itemId = z.string().min(1).max(64);
/** The text of a queued prompt: same limits as `agent.prompt`. */
export const QueuedTextSchema = z.string().max(1_000_000, 'Prompt is over 1,000,000 characters').refine((t) => t.trim().length > 0, 'Prompt is empty');

/**
 * `queued`: waits for the turn to end. `sending`: being handed to the
 * session right now. `unsent`: held back (see `error` for why) until Retry.
 */
export const QueueStateSchema = z.enum(['queued', 'sending', 'unsent']);
export type QueueState = z.infer<typeof QueueStateSchema>;

/** One queued prompt. `position` orders the queue (lowest goes first); `createdAt` is ms since epoch. */
export const QueueItemSchema = z.object({
  id: itemId,
  sessionId,
  position: z.number().int(),
  text: z.string(),
  state: QueueStateSchema,
  /** Why an `unsent` prompt was held back; null otherwise. */
  error: z.string().nullable(),
  createdAt: z.number(),
});
export type QueueItem = z.infer<typeof QueueItemSchema>;

/**
 * Orders the snapshots of a queue: each change has a higher revision than
 * every earlier one, across relaunches (it starts from the boot's ms since
 * epoch). A client keeps the snapshot with the highest revision, since an
 * answer may arrive after the `queue.changed` of a later change.
 */
const revision = z.number().int().nonnegative();

/** The answer of every queue change: the session's queue after it, or why nothing changed. */
export const QueueResultSchema = z.union([
  z.object({ ok: z.literal(true), items: z.array(QueueItemSchema), revision }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type QueueResult = z.infer<typeof QueueResultSchema>;

export const queueRequests = {
  /** The session's queue, in order. */
  'queue.list': { params: z.object({ sessionId }).strict(), response: z.object({ items: z.array(QueueItemSchema), revision }) },
  /** Adds a prompt at the end; if the session is not mid-turn it goes out at once. Errors: unknown session, empty text. */
  'queue.add': { params: z.object({ sessionId, text: QueuedTextSchema }).strict(), response: QueueResultSchema },
  /** Replaces a prompt's text (not while it is being sent). */
  'queue.edit': { params: z.object({ sessionId, id: itemId, text: QueuedTextSchema }).strict(), response: QueueResultSchema },
  /** Moves a prompt one place earlier (`-1`) or later (`1`). */
  'queue.move': { params: z.object({ sessionId, id: itemId, offset: z.union([z.literal(-1), z.literal(1)]) }).strict(), response: QueueResultSchema },
  /** Removes a prompt that is not being sent. */
  'queue.remove': { params: z.object({ sessionId, id: itemId }).strict(), response: QueueResultSchema },
  /** Puts unsent prompts (one, or all when `id` is left out) back in the queue; they go out when the session is free. */
  'queue.retry': { params: z.object({ sessionId, id: itemId.optional() }).strict(), response: QueueResultSchema },
  /**
   * Steer: interrupts the running turn through the provider (Claude SDK
   * interrupt, Codex `turn/interrupt`, ACP `session/cancel`) and sends `text`
   * as soon as it has ended; a session with no turn running gets it at once.
   * The queue waits behind it.
   */
  'queue.steer': {
    params: z.object({ sessionId, text: QueuedTextSchema }).strict(),
    response: z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]),
  },
};

export const queueEvents = {
  /** The whole queue of a session after any change. */
  'queue.changed': z.object({ sessionId, items: z.array(QueueItemSchema), revision }),
};
