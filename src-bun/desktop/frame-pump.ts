/**
 * Flow control of the desktop window's `agent.message` frames.
 *
 * WebKitGTK's web process runs every message that reached it before it runs
 * a timer, a frame callback or an input event. Without a bound, a busy stream
 * queues dozens of frames in the window while it paints, and the window then
 * works through all of them at once: measured in a firehose of 50,000 tool
 * calls, 72 frames in a row, with every timer 140 ms late. So the main
 * process keeps at most {@link FramePumpOptions.maxInFlight} frames in the
 * window that it has not acknowledged (the window acknowledges a frame as it
 * starts on it), and while it waits, the frames of a session that queue up
 * are merged into one of at most {@link FramePumpOptions.maxMessages}
 * messages: the window gets fewer, larger frames, and its queue stays short.
 * Measured on the same firehose (3 runs each of 10,000 and 50,000): timer
 * delays over 50 ms went from 16 (longest 109 ms) to 1 (54 ms). A merged
 * frame is also one task in the window: at 50,000, frames of up to 3,000
 * messages left 1 to 13 delays over 50 ms per three runs (mean 7.6 over nine
 * samples), up to 1,500 left 0 to 7 (mean 3 over five), in the same time;
 * up to 1,000 took twice the window's CPU.
 *
 * Every other event (`agent.status`, `agent.cost`, …) goes out at once when
 * no frame is held, and otherwise waits behind the held ones: the window sees
 * everything in the order the main process published it.
 *
 * A window that stops acknowledging (reloaded, hung) does not stop the
 * stream: after {@link FramePumpOptions.ackTimeoutMs} without an
 * acknowledgement, the frames in flight count as acknowledged (and the first
 * time, a warning says so).
 */
import type { Clock, TimerHandle } from '../../src/shared/clock';
import type { EventName, EventPayload } from '../../src/shared/rpc';

/** How the pump sends and times out. */
export type FramePumpOptions = {
  /** Sends one event to the window (Electrobun's `rpc.send[event]`). */
  send: (event: EventName, payload: unknown) => void;
  clock: Clock;
  warn: (message: string) => void;
  /** Frames sent and not acknowledged at most (default 2: one to work on, one on its way). */
  maxInFlight?: number;
  /** Most messages a merged frame carries (default 1,500; see the module comment). */
  maxMessages?: number;
  /** ms without an acknowledgement after which the frames in flight count as acknowledged (default 1,000). */
  ackTimeoutMs?: number;
};

type Queued = { event: EventName; payload: unknown };
type Frame = EventPayload<'agent.message'>;

/** Creates the pump. `publish` is the desktop's publish; `acknowledged` is called for each frame the window acknowledges. */
export function createFramePump(opts: FramePumpOptions) {
  const maxInFlight = opts.maxInFlight ?? 2;
  const maxMessages = opts.maxMessages ?? 1500;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 1000;
  const queue: Queued[] = [];
  let inFlight = 0;
  let timer: TimerHandle | null = null;
  let warned = false;

  function armTimeout(): void {
    if (timer !== null) opts.clock.clearTimeout(timer);
    timer = opts.clock.setTimeout(() => {
      timer = null;
      if (inFlight === 0) return;
      if (!warned) {
        warned = true;
        opts.warn(`the window did not acknowledge a message frame within ${ackTimeoutMs} ms; sending on without waiting for it`);
      }
      inFlight = 0;
      pump();
    }, ackTimeoutMs);
  }

  /** The head frame with the frames of the same session right behind it, up to the size limit. */
  function takeFrame(): Frame {
    const first = queue.shift()!.payload as Frame;
    const parts = [first.messages];
    let count = first.messages.length;
    while (queue.length && queue[0]!.event === 'agent.message') {
      const next = queue[0]!.payload as Frame;
      if (next.sessionId !== first.sessionId || count + next.messages.length > maxMessages) break;
      parts.push(next.messages);
      count += next.messages.length;
      queue.shift();
    }
    return parts.length === 1 ? first : { ...first, messages: parts.flat() };
  }

  function pump(): void {
    while (queue.length) {
      const head = queue[0]!;
      if (head.event !== 'agent.message') {
        queue.shift();
        opts.send(head.event, head.payload);
        continue;
      }
      if (inFlight >= maxInFlight) return;
      const frame = takeFrame();
      inFlight++;
      opts.send('agent.message', frame);
      armTimeout();
    }
  }

  return {
    /** Sends `event` now, or queues it behind the frames held for the window. */
    publish(event: EventName, payload: unknown): void {
      queue.push({ event, payload });
      pump();
    },
    /** The window started on a frame. */
    acknowledged(): void {
      if (inFlight === 0) return;
      inFlight--;
      if (inFlight === 0 && timer !== null) {
        opts.clock.clearTimeout(timer);
        timer = null;
      }
      pump();
    },
    /** Frames and events waiting to be sent. */
    queued: (): number => queue.length,
  };
}
/** The desktop's flow control of message frames. */
export type FramePump = ReturnType<typeof createFramePump>;
