/** RPC domain `session`: session records and their transcripts on disk. */
import { z } from 'zod';
import { WireMessageSchema } from '../events';
import { SessionRecordSchema } from '../records';

const sessionId = z.string().min(1).max(64);

export const sessionRequests = {
  /** Upserts the UI's view of a session record (status, error, cost, tokens). */
  'session.save': { params: z.object({ session: SessionRecordSchema }).strict(), response: z.object({ ok: z.boolean() }) },
  /** The project's most recent session, or null. */
  'session.load': { params: z.object({ projectId: z.string().min(1).max(64) }).strict(), response: z.object({ session: SessionRecordSchema.nullable() }) },
  /** Writes messages idempotently on (session_id, seq_id) and acknowledges them; returns the highest seqId now stored. */
  'session.messages.save': {
    params: z.object({ sessionId, messages: z.array(WireMessageSchema).max(10_000) }).strict(),
    response: z.object({ ok: z.boolean(), savedThroughSeqId: z.number().int() }),
  },
  /** The project's retained sessions, newest first (the History list). */
  'session.list': { params: z.object({ projectId: z.string().min(1).max(64) }).strict(), response: z.object({ sessions: z.array(SessionRecordSchema) }) },
  /** Every stored message of a session, ordered by seqId. */
  'session.messages.load': { params: z.object({ sessionId }).strict(), response: z.object({ messages: z.array(WireMessageSchema) }) },
};

export const sessionEvents = {
  /** Retention removed these sessions (and their messages) from the database. */
  'session.purged': z.object({ projectId: z.string(), sessionIds: z.array(z.string()) }),
};
