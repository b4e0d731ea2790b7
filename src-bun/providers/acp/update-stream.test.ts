import { describe, expect, it } from 'bun:test';
import type * as acp from '@agentclientprotocol/sdk';
import { interceptUpdates } from './update-stream';

/** A stream whose readable yields `messages`, with a writable that records what is written. */
function streamOf(messages: unknown[]): { stream: acp.Stream; written: unknown[] } {
  const written: unknown[] = [];
  const readable = new ReadableStream<acp.AnyMessage>({
    start(c) {
      for (const m of messages) c.enqueue(m as acp.AnyMessage);
      c.close();
    },
  });
  const writable = new WritableStream<acp.AnyMessage>({ write(m) { written.push(m); } });
  return { stream: { readable, writable }, written };
}

async function readAll(readable: ReadableStream<acp.AnyMessage>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const m of readable as unknown as AsyncIterable<unknown>) out.push(m);
  return out;
}

describe('interceptUpdates', () => {
  it('hands session/update notifications to onUpdate in wire order and passes every other message on', async () => {
    const update = (n: number) => ({ jsonrpc: '2.0', method: 'session/update', params: { sessionId: 's', update: { n } } });
    const request = { jsonrpc: '2.0', id: 7, method: 'session/request_permission', params: {} };
    const response = { jsonrpc: '2.0', id: 3, result: { stopReason: 'end_turn' } };
    const other = { jsonrpc: '2.0', method: 'session/other', params: {} };
    const seen: unknown[] = [];
    const { stream } = streamOf([update(1), request, update(2), other, response]);
    const passed = await readAll(interceptUpdates(stream, (p) => seen.push(p)).readable);
    expect(seen).toEqual([update(1).params, update(2).params]);
    expect(passed).toEqual([request, other, response]);
  });

  it('passes a session/update that carries an id (a request, not a notification) to the SDK, which answers it', async () => {
    const odd = { jsonrpc: '2.0', id: 1, method: 'session/update', params: {} };
    const seen: unknown[] = [];
    const passed = await readAll(interceptUpdates(streamOf([odd]).stream, (p) => seen.push(p)).readable);
    expect(seen).toEqual([]);
    expect(passed).toEqual([odd]);
  });

  it('leaves the writable side alone', async () => {
    const { stream, written } = streamOf([]);
    const w = interceptUpdates(stream, () => {}).writable.getWriter();
    await w.write({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} } as acp.AnyMessage);
    expect(written).toEqual([{ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }]);
  });
});
