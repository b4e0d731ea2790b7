/**
 * Takes `session/update` notifications off an ACP stream before the SDK sees
 * them. `@agentclientprotocol/sdk` 2.4's client runs every `session/update`
 * through its zod schema (`zSessionNotification.parse`, in the session router
 * that `acp.client()` registers ahead of any handler), whatever parser the
 * handler asks for: about 70 µs per notification, most of a sidecar's time when
 * an agent streams thousands of tool calls. The runner's adapter reads updates
 * defensively as raw JSON, so they go to it straight from the wire, in wire
 * order; every other message (requests, responses, other notifications)
 * passes to the SDK unchanged.
 */
import type * as acp from '@agentclientprotocol/sdk';

/** Returns `stream` with each `session/update` notification handed to `onUpdate(params)` instead of passed on. */
export function interceptUpdates(stream: acp.Stream, onUpdate: (params: unknown) => void): acp.Stream {
  const updates = new TransformStream<acp.AnyMessage, acp.AnyMessage>({
    transform(message, controller) {
      const m = message as { method?: unknown; id?: unknown; params?: unknown };
      if (m.method === 'session/update' && m.id === undefined) onUpdate(m.params);
      else controller.enqueue(message);
    },
  });
  return { readable: stream.readable.pipeThrough(updates), writable: stream.writable };
}
