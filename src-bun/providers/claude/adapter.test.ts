import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { FAILING_COMMAND, FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { adaptClaudeEvent, classifyClaudeError, createClaudeAdapter } from './adapter';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/claude');

type Raw = Record<string, any>;

/** The raw events of one recorded fixture. */
function load(name: string): Raw[] {
  return readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Adapts a whole fixture through one stateful adapter, checking every event against the schema. */
function adapt(name: string): { raw: Raw[]; events: AgentEvent[] } {
  const raw = load(name);
  const adapter = createClaudeAdapter();
  const events = raw.flatMap((r) => adapter.adapt(r));
  for (const event of events) expect(AgentEventSchema.parse(event)).toEqual(event);
  return { raw, events };
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
const resultOf = (raw: Raw[]) => raw.find((r) => r.type === 'result')!;
const initOf = (raw: Raw[]) => raw.find((r) => r.type === 'system' && r.subtype === 'init')!;

describe('Claude adapter on recorded Claude Code streams', () => {
  it('maps system/init to init with the session id, model, cwd, tools and CLI version', () => {
    const { raw, events } = adapt('tool');
    const init = ofType(events, 'init');
    expect(init).toHaveLength(1);
    expect(init[0]).toEqual({
      type: 'init', providerSessionId: initOf(raw).session_id, model: 'claude-opus-5-5', cwd: '/tmp/corral-fixture/proj',
      tools: initOf(raw).tools, version: initOf(raw).claude_code_version,
    });
    expect(init[0]!.tools).toContain('Bash');
    expect(init[0]!.version).toMatch(/^2\.1\.\d+$/);
  });

  it('maps a Bash tool call with its command, its result text and the final assistant text', () => {
    const { events } = adapt('tool');
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'Bash', command: OK_COMMAND, input: { command: OK_COMMAND } });
    expect(call!.path).toBeUndefined();
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'corral-ok', isError: false }]);
    const texts = ofType(events, 'text');
    expect(texts.map((t) => t.text)).toEqual([FINAL_TEXT.tool]);
    expect(texts[0]).toMatchObject({ role: 'assistant', mode: 'replace' });
    expect(texts[0]!.id).toMatch(/^msg_.+:text:0$/);
    expect(ofType(events, 'error')).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['init', 'tool_call', 'tool_result', 'text', 'cost']);
  });

  it('reports the cost figures of the result, with the model context window', () => {
    const { raw, events } = adapt('tool');
    const result = resultOf(raw);
    const [cost] = ofType(events, 'cost');
    expect(result.total_cost_usd).toBeGreaterThan(0);
    expect(cost!.costUsd).toBe(result.total_cost_usd);
    const u = result.usage;
    expect(cost!.inputTokens).toBe(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens);
    expect(cost!.outputTokens).toBe(u.output_tokens);
    expect(cost!.contextWindow).toBe(1_000_000);
    // Context in use is the latest request's input side, smaller than the run's summed input.
    const lastAssistant = raw.filter((r) => r.type === 'assistant').at(-1)!.message.usage;
    expect(cost!.contextTokens).toBe(lastAssistant.input_tokens + lastAssistant.cache_creation_input_tokens + lastAssistant.cache_read_input_tokens);
    expect(cost!.contextTokens!).toBeLessThan(cost!.inputTokens);
  });

  it('maps thinking to a thinking event before the text and the tool call of the same message', () => {
    const { events } = adapt('thinking');
    const [thinking] = ofType(events, 'thinking');
    expect(thinking).toMatchObject({ text: FINAL_TEXT.thinking, mode: 'replace' });
    const texts = ofType(events, 'text');
    expect(texts.map((t) => t.text)).toEqual([FINAL_TEXT.thinkingIntro, FINAL_TEXT.tool]);
    const messageId = thinking!.id.split(':')[0];
    expect(thinking!.id).toBe(`${messageId}:thinking:0`);
    expect(texts[0]!.id).toBe(`${messageId}:text:0`);
    expect(texts[1]!.id).not.toBe(texts[0]!.id);
    expect(ofType(events, 'tool_call')[0]).toMatchObject({ name: 'Bash', command: OK_COMMAND });
    expect(events.map((e) => e.type)).toEqual(['init', 'thinking', 'text', 'tool_call', 'tool_result', 'text', 'cost']);
  });

  it('maps a Write call with its file path', () => {
    const { events } = adapt('write');
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'Write', path: `/tmp/corral-fixture/proj/${WRITE_FILE.name}` });
    expect(call!.command).toBeUndefined();
    const [result] = ofType(events, 'tool_result');
    expect(result).toMatchObject({ id: call!.id, isError: false });
    expect(result!.output).toStartWith(`File created successfully at: /tmp/corral-fixture/proj/${WRITE_FILE.name}`);
  });

  it('maps a failing command to a tool_result flagged as an error, and the turn itself succeeds', () => {
    const { events } = adapt('tool-error');
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'Bash', command: FAILING_COMMAND });
    expect(ofType(events, 'tool_result')).toEqual([{
      type: 'tool_result', id: call!.id, isError: true,
      output: 'Exit code 1\ncat: corral-missing-file.txt: No such file or directory',
    }]);
    expect(ofType(events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.toolError]);
    expect(ofType(events, 'error')).toEqual([]);
  });

  it('turns an HTTP 500 into one retryable error and a zero cost, without echoing the synthetic text', () => {
    const { raw, events } = adapt('http500');
    expect(resultOf(raw)).toMatchObject({ subtype: 'success', is_error: true, api_error_status: 500 });
    expect(events.map((e) => e.type)).toEqual(['init', 'cost', 'error']);
    const [error] = ofType(events, 'error');
    expect(error!.message).toStartWith('API Error: 500 Internal server error');
    expect(error!.fatal).toBeUndefined();
    expect(ofType(events, 'cost')[0]).toMatchObject({ costUsd: 0, inputTokens: 0, outputTokens: 0 });
  });

  it('marks prompt too long as fatal prompt_too_long', () => {
    const { events } = adapt('prompt-too-long');
    const [error] = ofType(events, 'error');
    expect(error!.message).toStartWith('Prompt is too long');
    expect(error!.fatal).toBe('prompt_too_long');
  });

  it('marks an invalid API key as fatal auth and a low credit balance as fatal quota', () => {
    const auth = ofType(adapt('auth').events, 'error')[0]!;
    expect(auth).toEqual({ type: 'error', message: 'Invalid API key · Fix external API key (HTTP 401)', fatal: 'auth' });
    const quota = ofType(adapt('quota').events, 'error')[0]!;
    expect(quota).toEqual({ type: 'error', message: 'Credit balance is too low (HTTP 400)', fatal: 'quota' });
  });

  it('keeps the session id on resume and reports the session running total', () => {
    const first = adapt('tool');
    const resumed = adapt('resume');
    expect(ofType(resumed.events, 'init')[0]!.providerSessionId).toBe(ofType(first.events, 'init')[0]!.providerSessionId);
    expect(ofType(resumed.events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.text]);
    const firstCost = ofType(first.events, 'cost')[0]!;
    const cost = ofType(resumed.events, 'cost')[0]!;
    expect(cost.costUsd).toBe(resultOf(resumed.raw).total_cost_usd);
    expect(cost.costUsd!).toBeGreaterThan(firstCost.costUsd!);
    // modelUsage carries the whole session; result.usage only this run.
    expect(cost.inputTokens).toBeGreaterThan(firstCost.inputTokens);
    expect(cost.outputTokens).toBe(firstCost.outputTokens + resultOf(resumed.raw).usage.output_tokens);
  });

  it('treats an interrupted turn as a stop: partial text and cost, no error', () => {
    const { raw, events } = adapt('interrupted');
    expect(resultOf(raw)).toMatchObject({ subtype: 'error_during_execution', is_error: true, terminal_reason: 'aborted_streaming' });
    expect(events.map((e) => e.type)).toEqual(['init', 'text', 'cost']);
    expect(ofType(events, 'text')[0]!.text).toMatch(/^tick 1 (tick \d+ )*$/);
    expect(ofType(events, 'cost')[0]!.costUsd).toBe(resultOf(raw).total_cost_usd);
  });

  it('streams partial deltas as appends on the id the complete block then replaces', () => {
    const { events } = adapt('partial');
    const thinkingParts = ofType(events, 'thinking').filter((e) => e.mode === 'append');
    const thinkingFull = ofType(events, 'thinking').filter((e) => e.mode === 'replace');
    expect(thinkingParts.length).toBeGreaterThan(3);
    expect(thinkingParts.map((e) => e.text).join('')).toBe(FINAL_TEXT.thinking);
    expect(thinkingFull).toHaveLength(1);
    expect(new Set(thinkingParts.map((e) => e.id))).toEqual(new Set([thinkingFull[0]!.id]));
    const texts = ofType(events, 'text');
    const ids = [...new Set(texts.map((t) => t.id))];
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const forId = texts.filter((t) => t.id === id);
      const appended = forId.filter((t) => t.mode === 'append').map((t) => t.text).join('');
      const [replaced] = forId.filter((t) => t.mode === 'replace');
      expect(appended).toBe(replaced!.text);
    }
    expect(ofType(events, 'tool_call')).toHaveLength(1);
  });
});

describe('Claude adapter on bad or unknown input', () => {
  it('returns [] without throwing', () => {
    const bad: unknown[] = [
      null, undefined, 0, 'result', '{"type":"result"}', [], [{ type: 'result' }], {}, { type: 'nope' },
      { type: 'assistant' }, { type: 'assistant', message: null }, { type: 'assistant', message: { content: 'x' } },
      { type: 'user', message: { content: [{ type: 'tool_result' }] } }, { type: 'system', subtype: 'init' },
      { type: 'system', subtype: 'thinking_tokens', estimated_tokens: 3 }, { type: 'stream_event', event: { type: 'content_block_delta', index: 0 } },
      { type: 'rate_limit_event' },
    ];
    for (const value of bad) expect(adaptClaudeEvent(value)).toEqual([]);
  });

  it('survives hostile field types and still passes the schema', () => {
    const events = [
      ...adaptClaudeEvent({ type: 'result', subtype: 'error_max_turns', is_error: true, total_cost_usd: 'lots', usage: { input_tokens: -5, output_tokens: 1.7 }, modelUsage: { m: null } }),
      ...adaptClaudeEvent({ type: 'assistant', message: { id: 'm1', content: [{ type: 'tool_use', id: 't1', name: 'Bash', input: 'not an object' }, { type: 'text', text: 42 }] } }),
      ...adaptClaudeEvent({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'a' }, { type: 'image' }, 7] }] } }),
    ];
    for (const event of events) AgentEventSchema.parse(event);
    expect(events).toEqual([
      { type: 'cost', costUsd: 0, inputTokens: 0, outputTokens: 1 },
      { type: 'error', message: 'Claude Code ended the turn with error_max_turns' },
      { type: 'tool_call', id: 't1', name: 'Bash', input: {} },
      { type: 'tool_result', id: 't1', output: 'a\n[image]', isError: false },
    ]);
  });

  it('classifies fatal errors by status, code and wording', () => {
    expect(classifyClaudeError({ status: 403 })).toBe('auth');
    expect(classifyClaudeError({ status: 402 })).toBe('quota');
    expect(classifyClaudeError({ status: 429, message: 'You exceeded your current quota' })).toBe('quota');
    expect(classifyClaudeError({ status: 429, message: 'Rate limited, slow down' })).toBeUndefined();
    expect(classifyClaudeError({ status: 500, message: 'Internal server error' })).toBeUndefined();
    expect(classifyClaudeError({ terminalReason: 'prompt_too_long' })).toBe('prompt_too_long');
    expect(classifyClaudeError({ errorCode: 'authentication_failed' })).toBe('auth');
  });
});
