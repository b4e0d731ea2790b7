/**
 * What the two history parsers (claude-history.ts, codex-history.ts) share:
 * a stateful mapper from the lines of one CLI history file to Corral's
 * AgentEvents, and what it learned about the session on the way.
 */
import type { AgentEvent } from '../../../src/shared/events';

/** What a history file tells about its session besides the messages. */
export type HistoryMeta = {
  /** Claude `sessionId` (the file's name), Codex `thread_id` (session_meta `id`): what a follow-up resumes. */
  providerSessionId?: string;
  /** The folder the CLI ran in. */
  cwd?: string;
  model?: string;
  /** CLI version that wrote the file (Claude `version`, Codex `cli_version`). */
  version?: string;
  /** ms since epoch of the first and last timestamped line. */
  startedAt?: number;
  endedAt?: number;
  /** Totals the CLI recorded (Claude `cost-state`, Codex `token_count`); USD and tokens. */
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
};

/** A mapper over the lines of one history file, fed in file order. `map` never throws. */
export interface HistoryMapper {
  /** The events one line maps to, each with the line's time (ms since epoch) when it has one. */
  map(line: Record<string, unknown>): { event: AgentEvent; ts?: number }[];
  readonly meta: HistoryMeta;
  /** Lines (or parts of lines) not imported, counted by kind, e.g. `attachment`, `sidechain`, `encrypted reasoning`. */
  readonly skipped: Map<string, number>;
}

/** ms since epoch of an ISO-8601 `timestamp` field, or undefined. */
export function lineTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Adds one to `kind`'s count. */
export function countSkip(skipped: Map<string, number>, kind: string): void {
  skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
}

/** Records a line's time as the session's first/last. */
export function noteTime(meta: HistoryMeta, ts: number | undefined): void {
  if (ts === undefined) return;
  meta.startedAt ??= ts;
  meta.endedAt = ts;
}

/**
 * A {@link HistoryMapper} around `mapLine`, the per-CLI mapping of one line: each event gets the line's
 * `timestamp` (ms), the session's first/last time is noted, and a line `mapLine` throws on is counted as
 * `malformed` and skipped, so `map` never throws.
 */
export function historyMapper(meta: HistoryMeta, skipped: Map<string, number>, mapLine: (line: Record<string, unknown>) => AgentEvent[]): HistoryMapper {
  return {
    meta,
    skipped,
    map(line) {
      const ts = lineTime(line.timestamp);
      noteTime(meta, ts);
      try {
        return mapLine(line).map((event) => ({ event, ...(ts !== undefined ? { ts } : {}) }));
      } catch {
        countSkip(skipped, 'malformed');
        return [];
      }
    },
  };
}
