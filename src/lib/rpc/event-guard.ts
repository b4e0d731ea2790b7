/**
 * Checks every event the main process pushes before any listener sees it. A
 * malformed event is dropped, counted and logged, never applied: a bad
 * `agent.message` must not reach a transcript, a bad `agent.status` must not
 * end a turn.
 *
 * Events are checked against the contract's schema (`eventSchemas` in
 * src/shared/rpc), except the bodies inside `agent.message`: the main process
 * validated each one against the same schema when its sidecar sent it
 * (validated once, at the trust boundary), so here only the envelope is
 * checked: a session id, and messages with a seqId, a time and an event
 * with a type. That is most of the events a busy agent sends.
 */
import { eventSchemas, type EventName } from '../../shared/rpc/index';

/** The guard's answer: the parsed payload (defaults applied), or a drop. */
export type GuardResult = { ok: true; payload: unknown } | { ok: false };

/** What {@link createEventGuard} returns. */
export interface EventGuard {
  /** Parses `payload` as event `name`; names outside the contract pass unchanged (no listener takes them). */
  check(name: string, payload: unknown): GuardResult;
  /** Events dropped so far, per event name. */
  readonly dropped: Readonly<Record<string, number>>;
}

/** Creates a guard; `warn` receives one line per dropped event (default `console.warn`). */
export function createEventGuard(warn: (line: string) => void = (line) => console.warn(line)): EventGuard {
  const dropped: Record<string, number> = {};
  return {
    check(name, payload) {
      if (!Object.hasOwn(eventSchemas, name)) return { ok: true, payload };
      let problem: string | null;
      if (name === 'agent.message') problem = messageEnvelopeProblem(payload);
      else {
        const parsed = eventSchemas[name as EventName].safeParse(payload);
        if (parsed.success) return { ok: true, payload: parsed.data };
        const issue = parsed.error.issues[0];
        problem = issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid';
      }
      if (problem === null) return { ok: true, payload };
      dropped[name] = (dropped[name] ?? 0) + 1;
      warn(`rpc: dropped a malformed ${name} event (${dropped[name]} so far): ${problem}`);
      return { ok: false };
    },
    dropped,
  };
}

/** What is wrong with an `agent.message` envelope (as `path: message`), or null when nothing is. */
function messageEnvelopeProblem(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return 'payload: expected an object';
  const { sessionId, messages } = payload as { sessionId?: unknown; messages?: unknown };
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 64) return 'sessionId: expected a session id';
  if (!Array.isArray(messages)) return 'messages: expected an array';
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as { seqId?: unknown; ts?: unknown; event?: { type?: unknown } } | null;
    if (typeof m !== 'object' || m === null) return `messages.${i}: expected an object`;
    if (!Number.isSafeInteger(m.seqId) || (m.seqId as number) < 0) return `messages.${i}.seqId: expected a non-negative integer`;
    if (typeof m.ts !== 'number' || !Number.isFinite(m.ts)) return `messages.${i}.ts: expected a time in ms`;
    if (typeof m.event !== 'object' || m.event === null || typeof m.event.type !== 'string') return `messages.${i}.event.type: expected an event type`;
  }
  return null;
}
