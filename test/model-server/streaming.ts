/**
 * Small stream plumbing shared by the dialects of the scripted model server:
 * abortable sleeps and turning an async generator of text chunks into an
 * HTTP response body that ends as soon as the request or the server is aborted.
 */

/** Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when `signal` aborts: the `silent` scenario holds its stream open with this. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Wraps an async generator of UTF-8 text chunks (SSE frames, NDJSON lines) in
 * a ReadableStream. The body closes normally when the generator returns, so a
 * generator that stops on abort gives the client a clean end of stream.
 */
export function bodyFrom(chunks: AsyncGenerator<string, void, void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** One Server-Sent Events frame: `event: <name>\ndata: <json>\n\n`. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
