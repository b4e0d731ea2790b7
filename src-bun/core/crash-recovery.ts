/**
 * What happens after a session's sidecar dies mid-turn. Side effects run
 * once: a crashed turn whose prompt never reached a tool call is sent again
 * into the resumed provider session (at most {@link MAX_RECOVERIES} times,
 * after 1, 2 and 4 s); a turn that had started a tool call is not, because
 * the resumed session already holds the half-done turn and a command or a
 * write would run twice. That session becomes `interrupted`, with a message
 * naming what ran, and waits for the user's next prompt (the pane's Continue).
 */
import type { AgentEvent } from '../../src/shared/events';
import type { Clock } from '../../src/shared/clock';
import type { Ingest, Live } from './session-ingest';
import type { SidecarExit } from './sidecar-process';
import { MAX_RECOVERIES, recoveryDecision } from './supervisor';

/** A tool call the running turn started: the tool's name and its command or path, if it has one. */
export type TurnToolCall = { name: string; detail: string | null };

/** Tool calls named in an interruption message; the rest are counted. */
const MAX_NAMED_CALLS = 5;

/**
 * The tool calls a running turn started, as far as an interruption message needs them: the first
 * {@link MAX_NAMED_CALLS}, oldest first, and how many in all. So a turn of 50,000 tool calls holds five, not
 * 50,000 (the soak's 20 ten-minute turns grew the main process's heap by 2.4 MB when it kept every one).
 */
export type TurnToolCalls = { named: TurnToolCall[]; count: number };

/** A turn's tool calls before the first one. */
export const noTurnToolCalls = (): TurnToolCalls => ({ named: [], count: 0 });

/** Counts `call` in `calls`, and keeps it while fewer than {@link MAX_NAMED_CALLS} are kept. */
export function addTurnToolCall(calls: TurnToolCalls, call: TurnToolCall): void {
  calls.count++;
  if (calls.named.length < MAX_NAMED_CALLS) calls.named.push(call);
}
/** Longest command or path quoted per call, characters. */
const MAX_DETAIL_CHARS = 120;

/**
 * What recovery does after a crash:
 * - `resend`: after `delayMs`, a new sidecar resumes the provider session and gets the turn's prompt again
 *   (this is recovery attempt `attempt` of {@link MAX_RECOVERIES});
 * - `interrupt`: nothing runs; the session is `interrupted` and `ranBefore` says which tool calls the turn started;
 * - `give-up`: the session ends in `error`, for the reason `why`.
 */
export type RecoveryPlan =
  | { kind: 'resend'; delayMs: number; attempt: number }
  | { kind: 'interrupt'; ranBefore: string }
  | { kind: 'give-up'; why: string };

/**
 * Decides what to do after a crash. Pure. `crashes` counts this crash (crashes
 * since the last completed turn), `fatal` is true after an error that must not
 * be retried, `toolCalls` are the tool calls the crashed turn started.
 */
export function planRecovery(p: { crashes: number; fatal: boolean; toolCalls: TurnToolCalls }): RecoveryPlan {
  if (p.fatal) return { kind: 'give-up', why: 'not restarted after a fatal error' };
  if (p.toolCalls.count > 0) return { kind: 'interrupt', ranBefore: describeToolCalls(p.toolCalls) };
  const decision = recoveryDecision(p.crashes, false);
  if (!decision.recover) return { kind: 'give-up', why: decision.why };
  return { kind: 'resend', delayMs: decision.delayMs, attempt: p.crashes };
}

/** "Bash `echo x >> f`, Write `/p/a.txt`", at most {@link MAX_NAMED_CALLS} named, then "and N more". */
export function describeToolCalls(calls: TurnToolCalls): string {
  const named = calls.named.map(({ name, detail }) => {
    if (!detail) return name;
    const oneLine = detail.replace(/\s*\n\s*/g, ' ');
    const shown = oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS - 1)}…` : oneLine;
    return `${name} \`${shown.replace(/`/g, "'")}\``;
  });
  const more = calls.count - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/** Records a tool call of the running turn; called for every event a sidecar sends, before it is admitted. */
export function noteTurnEvent(s: Live, event: AgentEvent): void {
  if (event.type === 'tool_call') addTurnToolCall(s.turnToolCalls, { name: event.name, detail: event.command ?? event.path ?? null });
}

/**
 * Handles a crash of `s`'s sidecar during a turn (the caller has already
 * dropped the handle): ends the turn, then resends, interrupts or gives up as
 * {@link planRecovery} says, publishing the status. `resend` runs after the
 * delay on `clock` unless the timer is cleared first (`s.recovery`).
 */
export function recoverAfterCrash(s: Live, exit: SidecarExit, ctx: {
  clock: Clock;
  setStatus: Ingest['setStatus'];
  /** False while shutting down: nothing is restarted then. */
  accepting: boolean;
  resend: (s: Live) => void;
}): RecoveryPlan {
  s.turnRunning = false;
  s.crashes++;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const plan: RecoveryPlan = ctx.accepting
    ? planRecovery({ crashes: s.crashes, fatal: s.fatal, toolCalls: s.turnToolCalls })
    : { kind: 'give-up', why: 'not restarted while Corral shuts down' };
  switch (plan.kind) {
    case 'give-up':
      ctx.setStatus(s, 'error', 'crashed', `The agent sidecar ${how}; ${plan.why}`);
      break;
    case 'interrupt':
      ctx.setStatus(s, 'interrupted', 'crashed',
        `The agent sidecar ${how} during a turn that had started tool calls, so its prompt was not sent again. Interrupted after: ${plan.ranBefore}`);
      break;
    case 'resend':
      ctx.setStatus(s, 'error', 'crashed', `The agent sidecar ${how}; recovering in ${plan.delayMs / 1000} s (attempt ${plan.attempt} of ${MAX_RECOVERIES})`);
      s.recovery = ctx.clock.setTimeout(() => {
        s.recovery = null;
        ctx.resend(s);
      }, plan.delayMs);
      break;
  }
  return plan;
}
