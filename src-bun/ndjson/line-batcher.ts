/**
 * Gathers NDJSON lines written in one turn of the event loop and hands them
 * to the sink as one chunk: one pipe write per tick instead of one per line,
 * which is most of a sidecar's cost when an agent streams thousands of
 * events. Order is kept; `flush()` writes what is pending at once (before an
 * exit, so nothing written is lost).
 */

/** What {@link createLineBatcher} returns. */
export type LineBatcher = {
  /** Queues one line (without its newline); it is written within this tick. */
  push(line: string): void;
  /** Writes every queued line now. */
  flush(): void;
  /** Lines queued and not yet written. */
  readonly pending: number;
};

/**
 * Creates a batcher over `sink` (e.g. `(chunk) => process.stdout.write(chunk)`).
 * `defer` schedules the end-of-tick flush; it defaults to `setImmediate`, which
 * runs after the I/O callbacks and microtasks of the current tick.
 */
export function createLineBatcher(sink: (chunk: string) => void, defer: (fn: () => void) => void = (fn) => void setImmediate(fn)): LineBatcher {
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const chunk = `${lines.join('\n')}\n`;
    lines = [];
    sink(chunk);
  };
  return {
    push(line) {
      if (lines.push(line) === 1) defer(flush);
    },
    flush,
    get pending() {
      return lines.length;
    },
  };
}
