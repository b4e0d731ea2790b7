/** Builders of WireMessages for tests. */
import type { AgentEvent, WireMessage } from '../../shared/events';

/** A WireMessage with `ts` derived from the seqId. */
export function wire(seqId: number, event: AgentEvent): WireMessage {
  return { seqId, ts: 1_700_000_000_000 + seqId, event };
}

/** A user prompt event. */
export const userText = (seqId: number, text: string, id = `u${seqId}`) => wire(seqId, { type: 'text', id, role: 'user', text, mode: 'replace' });
/** An assistant text event; pass the same `id` with mode `append` to stream into one message. */
export const assistantText = (seqId: number, text: string, id = `a${seqId}`, mode: 'append' | 'replace' = 'replace') =>
  wire(seqId, { type: 'text', id, role: 'assistant', text, mode });
