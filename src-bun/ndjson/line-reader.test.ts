import { describe, expect, it } from 'bun:test';
import { readLines } from './line-reader';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({ start(c) { for (const s of chunks) c.enqueue(enc.encode(s)); c.close(); } });
}

async function collect(stream: ReadableStream<Uint8Array>, max?: number) {
  const lines: string[] = [];
  const oversized: { head: string; bytes: number }[] = [];
  await readLines(stream, { line: (l) => lines.push(l), oversized: (head, bytes) => oversized.push({ head, bytes }) }, max);
  return { lines, oversized };
}

describe('readLines', () => {
  it('joins lines split across chunks and keeps multibyte characters whole', async () => {
    const { lines } = await collect(streamOf('{"a":"h\xE9', 'llo"}\n{"b":', '2}\r\n'));
    expect(lines).toEqual(['{"a":"h\xE9llo"}', '{"b":2}']);
  });

  it('delivers a partial final line when the stream ends', async () => {
    const { lines } = await collect(streamOf('one\ntwo'));
    expect(lines).toEqual(['one', 'two']);
  });

  it('drops a line over the limit, reports its head and size, and keeps reading', async () => {
    const long = 'x'.repeat(50);
    const { lines, oversized } = await collect(streamOf('ok1\n', long.slice(0, 20), long.slice(20) + '\nok2\n'), 32);
    expect(lines).toEqual(['ok1', 'ok2']);
    expect(oversized).toEqual([{ head: long, bytes: 50 }]);
  });

  it('reports an oversized partial final line', async () => {
    const { lines, oversized } = await collect(streamOf('a\n', 'y'.repeat(40)), 16);
    expect(lines).toEqual(['a']);
    expect(oversized[0].bytes).toBe(40);
  });
});
