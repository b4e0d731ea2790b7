// Run with: bun test ./test/model-server — the OpenAI Responses, Gemini and Ollama dialects.
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { FINAL_TEXT, OK_COMMAND, WRITE_PATCH, startModelServer, type ModelServer } from './main';
import { THOUGHT_SUBJECT, valueForSchema } from './gemini';
import { OLLAMA_MODELS } from './ollama';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.stop());

const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
/** `data:` payloads of an SSE body. */
const sseData = async (r: Response) => (await r.text()).split(/\r?\n\r?\n/).filter(Boolean).map((f) => JSON.parse(f.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));

describe('OpenAI Responses dialect (Codex)', () => {
  const tools = [{ type: 'function', name: 'exec_command' }, { type: 'custom', name: 'apply_patch' }, { type: 'web_search' }];
  const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
  const env = user('<environment_context>\n  <cwd>/tmp/p</cwd>\n</environment_context>');

  it('calls exec_command for a fresh prompt and answers the tool output with the final text', async () => {
    const first = await sseData(await post('/v1/responses', { model: 'gpt-5.5', stream: true, tools, input: [env, user('Check it.')] }));
    const call = first.find((d) => d.type === 'response.output_item.done')!.item;
    expect(call).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(JSON.parse(call.arguments)).toEqual({ cmd: OK_COMMAND });
    expect(first.at(-1)).toMatchObject({ type: 'response.completed', response: { usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) } } });
    const second = await sseData(await post('/v1/responses', {
      model: 'gpt-5.5', stream: true, tools,
      input: [env, user('Check it.'), call, { type: 'function_call_output', call_id: call.call_id, output: 'corral-ok' }],
    }));
    expect(second.filter((d) => d.type === 'response.output_text.delta').map((d) => d.delta).join('')).toBe(FINAL_TEXT.tool);
    expect(server.requests.filter((r) => r.dialect === 'openai').slice(-2).map((r) => [r.isToolResultFollowUp, r.historyTurns])).toEqual([[false, 0], [true, 1]]);
  });

  it('writes files through the freeform apply_patch tool', async () => {
    const frames = await sseData(await post('/v1/responses', { model: 'm', stream: true, tools, input: [env, user('[scenario:write] Write.')] }));
    expect(frames.find((d) => d.type === 'response.output_item.done')!.item).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: WRITE_PATCH });
  });

  it('streams a full context window as response.failed and a server error as HTTP 500', async () => {
    const failed = await sseData(await post('/v1/responses', { model: 'm', stream: true, input: [user('[scenario:prompt-too-long] x')] }));
    expect(failed.at(-1)).toMatchObject({ type: 'response.failed', response: { error: { code: 'context_length_exceeded' } } });
    const http500 = await post('/v1/responses', { model: 'm', stream: true, input: [user('[scenario:http500] x')] });
    expect(http500.status).toBe(500);
    expect((await http500.json()).error.type).toBe('server_error');
  });
});

describe('Gemini dialect (Gemini CLI)', () => {
  const tools = [{ functionDeclarations: [{ name: 'run_shell_command' }, { name: 'write_file' }] }];
  const context = { role: 'user', parts: [{ text: '<session_context>\n- **Workspace Directories:**\n  - /tmp/g\n</session_context>' }, { text: 'Check it.' }] };

  it('answers JSON-schema requests (routing, next speaker) with JSON of the schema, whatever the prompt', async () => {
    const schema = { type: 'OBJECT', properties: { complexity_reasoning: { type: 'STRING' }, complexity_score: { type: 'INTEGER' }, next_speaker: { type: 'STRING', enum: ['model', 'user'] } } };
    const r = await post('/v1beta/models/gemini-3.5-flash-lite:generateContent', {
      contents: [{ role: 'user', parts: [{ text: '[scenario:http500] x' }] }], generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema },
    });
    expect(r.status).toBe(200);
    expect(JSON.parse((await r.json()).candidates[0].content.parts[0].text)).toEqual({ complexity_reasoning: 'Scripted answer.', complexity_score: 10, next_speaker: 'user' });
    expect(valueForSchema({ type: 'ARRAY' })).toEqual([]);
  });

  it('calls run_shell_command, then answers the function response', async () => {
    const first = await sseData(await post('/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse', { contents: [context], tools }));
    const call = first.flatMap((d) => d.candidates[0].content.parts).find((p: any) => p.functionCall).functionCall;
    expect(call).toEqual({ name: 'run_shell_command', args: { command: OK_COMMAND, description: 'Write and print corral-ok' } });
    expect(first.at(-1).candidates[0].finishReason).toBe('STOP');
    const second = await sseData(await post('/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse', {
      tools, contents: [context, { role: 'model', parts: [{ functionCall: call }] }, { role: 'user', parts: [{ functionResponse: { name: call.name, response: { output: 'corral-ok' } } }] }],
    }));
    expect(second.flatMap((d) => d.candidates[0].content.parts).map((p: any) => p.text ?? '').join('')).toBe(FINAL_TEXT.tool);
  });

  it('sends thoughts as one part with a subject, and errors the way the Gemini API does', async () => {
    const frames = await sseData(await post('/v1beta/models/m:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: '[scenario:thinking] x' }] }], tools }));
    expect(frames[0].candidates[0].content.parts[0]).toEqual({ text: `**${THOUGHT_SUBJECT}**\n\n${FINAL_TEXT.thinking}`, thought: true });
    const tooLong = await post('/v1beta/models/m:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: '[scenario:prompt-too-long] x' }] }] });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });
});

describe('Ollama dialect', () => {
  it('reports its version, installed models and their capabilities', async () => {
    expect((await (await fetch(`${server.url}/api/tags`)).json()).models.map((m: { name: string }) => m.name)).toEqual(OLLAMA_MODELS.map((m) => m.name));
    expect((await (await post('/api/show', { model: 'qwen3:0.6b' })).json()).capabilities).toEqual(['completion', 'thinking']);
    expect((await post('/api/show', { model: 'nope' })).status).toBe(404);
  });

  it('streams NDJSON chat chunks ending with the token counts, and refuses think for a model without it', async () => {
    const body = await (await post('/api/chat', { model: 'llama3.2:1b', messages: [{ role: 'user', content: '[scenario:text] hi' }], stream: true })).text();
    const lines = body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, -1).map((l) => l.message.content).join('')).toBe(FINAL_TEXT.text);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: expect.any(Number), eval_count: expect.any(Number) });
    expect((await post('/api/chat', { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'x' }], think: true })).status).toBe(400);
  });
});
