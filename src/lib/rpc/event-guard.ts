/**
 * Checks every event the main process pushes against the contract's schema
 * (`eventSchemas` in src/shared/rpc) before any listener sees it. A
 * malformed event is dropped, counted and logged, never applied: a bad
 * `agent.message` must not reach a transcript, a bad `agent.status` must not
 * end a turn.
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
      const parsed = eventSchemas[name as EventName].safeParse(payload);
      if (parsed.success) return { ok: true, payload: parsed.data };
      dropped[name] = (dropped[name] ?? 0) + 1;
      const issue = parsed.error.issues[0];
      warn(`rpc: dropped a malformed ${name} event (${dropped[name]} so far): ${issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid'}`);
      return { ok: false };
    },
    dropped,
  };
}
