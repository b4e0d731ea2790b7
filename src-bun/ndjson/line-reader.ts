/**
 * Splits a byte stream into lines without ever holding more than
 * `maxLineBytes` of one line: a longer line is reported as oversized (its
 * first 200 chars) and skipped up to the next newline. A final line without
 * a newline is still delivered when the stream ends.
 */
export type LineSink = {
  line(text: string): void;
  /** A line over the limit was dropped; `head` is its first 200 characters. */
  oversized(head: string, bytes: number): void;
};

export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** Reads `stream` to its end, calling `sink` per line. Resolves when the stream closes; never rejects on data. */
export async function readLines(stream: ReadableStream<Uint8Array>, sink: LineSink, maxLineBytes = MAX_LINE_BYTES): Promise<void> {
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let size = 0;
  let skipping = false;
  let skippedBytes = 0;
  let skippedHead = '';

  const emit = (bytes: Uint8Array) => {
    const all = parts.length === 0 ? bytes : concat([...parts, bytes], size + bytes.length);
    parts = [];
    size = 0;
    const text = decoder.decode(all);
    sink.line(text.endsWith('\r') ? text.slice(0, -1) : text);
  };

  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let start = 0;
      while (start < value.length) {
        const nl = value.indexOf(10, start);
        const end = nl === -1 ? value.length : nl;
        const chunk = value.subarray(start, end);
        if (skipping) {
          skippedBytes += chunk.length;
        } else if (size + chunk.length > maxLineBytes) {
          skippedHead = decoder.decode(concat([...parts, chunk.subarray(0, 800)], size + Math.min(800, chunk.length))).slice(0, 200);
          skippedBytes = size + chunk.length;
          parts = [];
          size = 0;
          skipping = true;
        } else if (nl !== -1) {
          emit(chunk);
        } else {
          parts.push(chunk.slice());
          size += chunk.length;
        }
        if (nl === -1) break;
        if (skipping) {
          sink.oversized(skippedHead, skippedBytes);
          skipping = false;
        }
        start = nl + 1;
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (skipping) sink.oversized(skippedHead, skippedBytes);
  else if (size > 0) emit(new Uint8Array(0));
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c.subarray(0, total - at), at); at += Math.min(c.length, total - at); }
  return out;
}
