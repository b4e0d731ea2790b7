// Run with: bun test ./test/model-server  (bunfig's test root is src-bun, so pass a ./ path).
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { FINAL_TEXT, OK_COMMAND, parseScenarioTag, startModelServer, type ModelServer } from './main';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ slowDeltaMs: 20 });
});
afterAll(() => server.stop());

const TOOLS = [{ name: 'Read' }, { name: 'Bash' }, { name: 'Write' }];
const post = (body: unknown, path = '/v1/messages?beta=true') =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Parses an SSE body into `[event, data]` pairs. */
async function sse(response: Response): Promise<Array<[string, any]>> {
  const text = await response.text();
  return text.split('\n\n').filter(Boolean).map((frame) => {
    const [eventLine, dataLine] = frame.split('\n');
    return [eventLine!.slice('event: '.length), JSON.parse(dataLine!.slice('data: '.length))];
  });
}

describe('scripted model server, Anthropic dialect', () => {
  it('answers HEAD / and unknown paths with 404', async () => {
    expect((await fetch(server.url, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(`${server.url}/v2/nothing`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('streams one Bash call for a fresh prompt, then a final text for the tool result', async () => {
    const before = server.requests.length;
    const first = await sse(await post({ model: 'm', stream: true, tools: TOOLS, messages: [{ role: 'user', content: 'go' }] }));
    expect(first.map(([e]) => e)).toEqual([
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    const call = first[1]![1].content_block;
    expect(call).toMatchObject({ type: 'tool_use', name: 'Bash' });
    expect(JSON.parse(first[2]![1].delta.partial_json + first[3]![1].delta.partial_json).command).toBe(OK_COMMAND);
    const delta = first[5]![1];
    expect(delta.delta.stop_reason).toBe('tool_use');
    expect(delta.usage.input_tokens + delta.usage.cache_creation_input_tokens).toBeGreaterThan(10);
    expect(delta.usage.output_tokens).toBeGreaterThan(0);

    const followUp = await sse(await post({
      model: 'm', stream: true, tools: TOOLS,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'corral-ok' }] },
      ],
    }));
    const text = followUp.filter(([, d]) => d.delta?.type === 'text_delta').map(([, d]) => d.delta.text).join('');
    expect(text).toBe(FINAL_TEXT.tool);
    expect(server.requests.slice(before).map((r) => [r.scenario, r.isToolResultFollowUp, r.historyTurns, r.hasTools])).toEqual([
      ['tool', false, 0, true], ['tool', true, 1, true],
    ]);
  });

  it('ends a slow stream as soon as its client aborts, and records when', async () => {
    const abort = new AbortController();
    const response = await fetch(`${server.url}/v1/messages?beta=true`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: abort.signal,
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: '[scenario:slow:60] hold on' }] }),
    });
    const record = server.requests.at(-1)!;
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('message_start');
    expect(record.endedAt).toBeUndefined();
    const abortedAt = Date.now();
    abort.abort();
    await reader.read().catch(() => undefined);
    // The server notices the closed connection on its next paced write (every 20 ms here), not after 60 s.
    for (let i = 0; i < 100 && record.endedAt === undefined; i++) await Bun.sleep(20);
    expect(record.endedAt).toBeDefined();
    expect(record.endedAt! - abortedAt).toBeLessThan(2000);
  });

  it('answers scripted errors with Anthropic error JSON', async () => {
    const http500 = await post({ model: 'm', messages: [{ role: 'user', content: '[scenario:http500] x' }] });
    expect(http500.status).toBe(500);
    expect(await http500.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    const tooLong = await post({ model: 'm', messages: [{ role: 'user', content: '[scenario:prompt-too-long] x' }] });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error).toEqual({ type: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum' });
  });

  it('answers non-streaming requests and count_tokens with JSON', async () => {
    const message = await (await post({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: '[scenario:thinking] x' }] }], tools: TOOLS })).json();
    expect(message.content.map((b: { type: string }) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[0].signature).toStartWith('corral-sig-');
    expect(message.stop_reason).toBe('tool_use');
    const count = await (await post({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, '/v1/messages/count_tokens')).json();
    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it('paces a slow stream and takes the last tag of a merged prompt', async () => {
    const started = performance.now();
    const frames = await sse(await post({ model: 'm', stream: true, messages: [{ role: 'user', content: '[scenario:http500] a\n[scenario:slow:0.2] b' }] }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(frames.filter(([, d]) => d.delta?.type === 'text_delta')).toHaveLength(10);
    expect(parseScenarioTag('no tag')).toEqual({ name: 'tool' });
    expect(parseScenarioTag('[scenario:nope]')).toEqual({ name: 'text', arg: 'unknown:nope' });
  });

  it('holds a silent stream open and ends it cleanly when the server stops', async () => {
    const own = await startModelServer();
    const response = await fetch(`${own.url}/v1/messages`, {
      method: 'POST', body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: '[scenario:silent] x' }] }),
    });
    const reading = response.text();
    await Bun.sleep(100);
    await own.stop();
    const body = await reading;
    expect(body).toStartWith('event: message_start');
    expect(body).not.toContain('message_stop');
  });
});
