/**
 * RPC domain `session`: session records and their transcripts, as the main
 * process holds them. The main process is their only writer: the UI asks it
 * to persist through a seqId (`session.persist`) and to catch a pane up after
 * a disconnect or a gap (`session.sync`), and never sends bodies, statuses,
 * costs or timestamps to be stored.
 */
import { z } from 'zod';
import { WireMessageSchema } from '../events';
import { SessionRecordSchema } from '../records';

const sessionId = z.string().min(1).max(64);
/** A seqId the client holds through; -1 = nothing yet. */
const throughSeqId = z.number().int().min(-1);
/** Messages per page of `session.messages.load` and `session.load`'s tail. */
const pageLimit = z.number().int().min(1).max(100_000);

/**
 * One session as a fresh load would show it, from `afterSeqId` on: its
 * record (status, reason, error, cost and tokens, by the main process's
 * clock), every message with a larger seqId (stored, or held in memory and
 * not yet written), ordered by seqId, and the permission requests its agent
 * is waiting on. `record: null` means the session is gone (purged or never
 * existed): the client drops it.
 */
export const SessionSnapshotSchema = z.object({
  sessionId,
  record: SessionRecordSchema.nullable(),
  messages: z.array(WireMessageSchema),
  /** Ids of the `permission_request` events still waiting for an answer. */
  openPermissionIds: z.array(z.string().max(512)),
});
export type SessionSnapshot = z.infer<typeof SessionSnapshotSchema>;

export const sessionRequests = {
  /**
   * The project's most recent session, or null. With `tail`, the answer also
   * holds the session's newest `tail` messages (as `session.messages.load`
   * with that `limit` answers), so a restore takes one round trip.
   */
  'session.load': {
    params: z.object({ projectId: z.string().min(1).max(64), tail: pageLimit.optional() }).strict(),
    response: z.object({ session: SessionRecordSchema.nullable(), messages: z.array(WireMessageSchema).optional(), more: z.boolean().optional() }),
  },
  /**
   * `session.load` with `tail` for every project at once: what a boot reads
   * before it knows the projects (src/lib/rpc/boot-prefetch.ts). Projects
   * without a session are left out.
   */
  'session.loadLast': {
    params: z.object({ tail: pageLimit }).strict(),
    response: z.object({
      sessions: z.array(z.object({ projectId: z.string(), session: SessionRecordSchema, messages: z.array(WireMessageSchema), more: z.boolean() })),
    }),
  },
  /**
   * "Persist this session through seqId N": the main process writes the
   * messages it holds up to N (idempotent on (session_id, seq_id)). Returns
   * the highest seqId now stored, or -1.
   */
  'session.persist': {
    params: z.object({ sessionId, throughSeqId }).strict(),
    response: z.object({ ok: z.boolean(), savedThroughSeqId: z.number().int() }),
  },
  /**
   * Catch-up after a (re)connect or a seqId gap: for each session, what a
   * fresh load would show after `afterSeqId`. `bootId` names the main
   * process's run; when it changes, seqIds past what was stored may have
   * been reused, so the client reloads those sessions whole.
   */
  'session.sync': {
    params: z.object({ sessions: z.array(z.object({ sessionId, afterSeqId: throughSeqId }).strict()).max(256) }).strict(),
    response: z.object({ bootId: z.string(), sessions: z.array(SessionSnapshotSchema) }),
  },
  /** The project's retained sessions, newest first (the History list). */
  'session.list': { params: z.object({ projectId: z.string().min(1).max(64) }).strict(), response: z.object({ sessions: z.array(SessionRecordSchema) }) },
  /**
   * A session's messages, stored or not yet written, ordered by seqId: every
   * one, or with `limit` a page read backwards from the end, the newest
   * `limit` below `beforeSeqId` (default: the end). `more` says older ones
   * exist (the client pages on with the first seqId it got).
   */
  'session.messages.load': {
    params: z.object({ sessionId, beforeSeqId: z.number().int().min(0).optional(), limit: pageLimit.optional() }).strict(),
    response: z.object({ messages: z.array(WireMessageSchema), more: z.boolean() }),
  },
};

export const sessionEvents = {
  /** Retention removed these sessions (and their messages) from the database. */
  'session.purged': z.object({ projectId: z.string(), sessionIds: z.array(z.string()) }),
};
