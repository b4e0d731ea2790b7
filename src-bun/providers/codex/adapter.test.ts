import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { FAILING_COMMAND, FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { classifyCodexError, createCodexAdapter, unwrapShellCommand } from './adapter';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/codex');

type Raw = Record<string, any>;

function load(name: string): Raw[] {
  return readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Adapts a recorded fixture through one adapter, checking every event against the schema. */
function adapt(name: string, opts: Parameters<typeof createCodexAdapter>[0] = { idPrefix: 't1' }): { raw: Raw[]; events: AgentEvent[] } {
  const raw = load(name);
  const adapter = createCodexAdapter(opts);
  const events = raw.flatMap((r) => adapter.adapt(r));
  for (const event of events) expect(AgentEventSchema.parse(event)).toEqual(event);
  return { raw, events };
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

describe('Codex adapter on recorded codex exec --json streams', () => {
  it('maps thread.started to init with the thread id and the context it was given', () => {
    const { raw, events } = adapt('tool', { idPrefix: 't1', model: 'gpt-5.5', cwd: '/tmp/corral-fixture/proj', version: '0.169.0' });
    expect(ofType(events, 'init')).toEqual([{
      type: 'init', providerSessionId: raw[0]!.thread_id, model: 'gpt-5.5', cwd: '/tmp/corral-fixture/proj', version: '0.169.0',
    }]);
    expect(raw[0]!.thread_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows a command_execution once: one tool call from item.started, its result from item.completed', () => {
    const { raw, events } = adapt('tool');
    expect(raw.filter((r) => r.item?.type === 'command_execution').map((r) => r.type)).toEqual(['item.started', 'item.completed']);
    expect(events.map((e) => e.type)).toEqual(['init', 'tool_call', 'tool_result', 'text', 'cost']);
    const [call] = ofType(events, 'tool_call');
    expect(call).toEqual({
      type: 'tool_call', id: 't1:item_0', name: 'shell', command: OK_COMMAND,
      input: { command: `/bin/bash -lc '${OK_COMMAND}'` },
    });
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: 't1:item_0', output: 'corral-ok', isError: false }]);
    expect(ofType(events, 'text')).toEqual([{ type: 'text', id: 't1:item_1', role: 'assistant', text: FINAL_TEXT.tool, mode: 'replace' }]);
  });

  it('reports usage as tokens with no cost figure', () => {
    const { raw, events } = adapt('tool');
    const usage = raw.find((r) => r.type === 'turn.completed')!.usage;
    expect(ofType(events, 'cost')).toEqual([{ type: 'cost', costUsd: null, inputTokens: usage.input_tokens, outputTokens: usage.output_tokens }]);
    expect(usage.input_tokens).toBeGreaterThan(1000);
  });

  it('reports a resumed thread\'s usage as the running total, larger than the first turn\'s', () => {
    const first = ofType(adapt('tool').events, 'cost')[0]!;
    const resumed = adapt('resume');
    const later = adapt('resume-tool');
    expect(ofType(resumed.events, 'init')[0]!.providerSessionId).toBe(load('tool')[0]!.thread_id);
    expect(ofType(later.events, 'init')[0]!.providerSessionId).toBe(load('tool')[0]!.thread_id);
    const second = ofType(resumed.events, 'cost')[0]!;
    const third = ofType(later.events, 'cost')[0]!;
    expect(second.inputTokens).toBeGreaterThan(first.inputTokens);
    expect(third.inputTokens).toBeGreaterThan(second.inputTokens + first.inputTokens / 2);
    expect(third.outputTokens).toBeGreaterThan(second.outputTokens);
  });

  it('maps reasoning to thinking before the intro text and the tool call', () => {
    const { events } = adapt('thinking');
    expect(events.map((e) => e.type)).toEqual(['init', 'thinking', 'text', 'tool_call', 'tool_result', 'text', 'cost']);
    expect(ofType(events, 'thinking')[0]).toEqual({ type: 'thinking', id: 't1:item_0', text: FINAL_TEXT.thinking, mode: 'replace' });
    expect(ofType(events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.thinkingIntro, FINAL_TEXT.tool]);
  });

  it('maps a file_change to one apply_patch call per path with its result', () => {
    const { events } = adapt('write');
    const path = `/tmp/corral-fixture/proj/${WRITE_FILE.name}`;
    expect(ofType(events, 'tool_call')).toEqual([{ type: 'tool_call', id: 't1:item_0:0', name: 'apply_patch', input: { path, kind: 'add' }, path }]);
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: 't1:item_0:0', output: `added ${path}`, isError: false }]);
    expect(ofType(events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.write]);
  });

  it('flags a failing command\'s result as an error, the turn still succeeds', () => {
    const { events } = adapt('tool-error');
    expect(ofType(events, 'tool_call')[0]!.command).toBe(FAILING_COMMAND);
    const [result] = ofType(events, 'tool_result');
    expect(result!.isError).toBe(true);
    expect(result!.output).toContain('No such file or directory');
    expect(ofType(events, 'error')).toEqual([]);
  });

  it('maps a web_search item to a web_search call with a result', () => {
    const { raw, events } = adapt('web-search');
    const query = raw.find((r) => r.type === 'item.completed' && r.item.type === 'web_search')!.item.query;
    expect(query).toBe('corral scripted search');
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'web_search', input: { query } });
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: `Searched the web for "${query}"`, isError: false }]);
    expect(ofType(events, 'text').map((t) => t.text)).toEqual([FINAL_TEXT.webSearch]);
  });

  it('reports an HTTP 500 once, as a retryable error, although Codex says it twice', () => {
    const { raw, events } = adapt('http500');
    expect(raw.map((r) => r.type)).toEqual(['thread.started', 'turn.started', 'error', 'turn.failed']);
    expect(raw[2]!.message).toBe(raw[3]!.error.message);
    const errors = ofType(events, 'error');
    expect(errors).toEqual([{ type: 'error', message: raw[3]!.error.message }]);
    expect(ofType(events, 'cost')).toEqual([]);
  });

  it('classifies context window, quota and auth failures as fatal', () => {
    expect(ofType(adapt('prompt-too-long').events, 'error')[0]).toMatchObject({ fatal: 'prompt_too_long', message: expect.stringContaining('context window') });
    expect(ofType(adapt('quota').events, 'error')[0]).toMatchObject({ fatal: 'quota', message: expect.stringContaining('Quota exceeded') });
    expect(ofType(adapt('auth').events, 'error')[0]).toMatchObject({ fatal: 'auth', message: expect.stringContaining('401 Unauthorized') });
  });

  it('gives an interrupted turn nothing but its init', () => {
    expect(adapt('interrupted').events.map((e) => e.type)).toEqual(['init']);
  });

  it('keeps ids of two turns apart although Codex restarts item ids', () => {
    const a = adapt('tool', { idPrefix: 't1-aa' }).events;
    const b = adapt('resume-tool', { idPrefix: 't2-bb' }).events;
    const ids = (events: AgentEvent[]) => events.flatMap((e) => ('id' in e ? [e.id] : []));
    expect(ids(a).filter((id) => ids(b).includes(id))).toEqual([]);
    expect(ids(a)).toContain('t1-aa:item_0');
    expect(ids(b)).toContain('t2-bb:item_0');
  });
});

describe('Codex adapter on item shapes the fixtures do not cover', () => {
  // Shapes as published in @openai/codex-sdk 0.163's ThreadItem types; no offline MCP server or plan tool produced them.
  it('maps an mcp_tool_call to server.tool with its result text, and a failed one as an error result', () => {
    const adapter = createCodexAdapter({ idPrefix: 't1' });
    const started = { type: 'item.started', item: { id: 'item_3', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: { q: 'x' }, status: 'in_progress' } };
    const completed = { type: 'item.completed', item: { ...started.item, status: 'completed', result: { content: [{ type: 'text', text: 'found' }], structured_content: null } } };
    expect(adapter.adapt(started)).toEqual([{ type: 'tool_call', id: 't1:item_3', name: 'docs.search', input: { q: 'x' } }]);
    expect(adapter.adapt(completed)).toEqual([{ type: 'tool_result', id: 't1:item_3', output: 'found', isError: false }]);
    const failed = { type: 'item.completed', item: { id: 'item_4', type: 'mcp_tool_call', server: 'docs', tool: 'search', arguments: {}, status: 'failed', error: { message: 'boom' } } };
    expect(adapter.adapt(failed)).toEqual([
      { type: 'tool_call', id: 't1:item_4', name: 'docs.search', input: {} },
      { type: 'tool_result', id: 't1:item_4', output: 'boom', isError: true },
    ]);
  });

  it('maps a todo_list to one checklist text updated in place', () => {
    const adapter = createCodexAdapter({ idPrefix: 't1' });
    const list = (done: boolean) => ({ type: done ? 'item.completed' : 'item.updated', item: { id: 'item_5', type: 'todo_list', items: [{ text: 'read', completed: true }, { text: 'write', completed: done }] } });
    expect(adapter.adapt(list(false))).toEqual([{ type: 'text', id: 't1:item_5', role: 'assistant', text: '- [x] read\n- [ ] write', mode: 'replace' }]);
    expect(adapter.adapt(list(true))).toEqual([{ type: 'text', id: 't1:item_5', role: 'assistant', text: '- [x] read\n- [x] write', mode: 'replace' }]);
  });

  it('ignores malformed events', () => {
    const adapter = createCodexAdapter();
    for (const raw of [null, 42, 'x', {}, { type: 'item.completed' }, { type: 'item.completed', item: { type: 'agent_message' } }, { type: 'thread.started' }]) {
      expect(adapter.adapt(raw)).toEqual([]);
    }
  });
});

describe('Codex helpers', () => {
  it('unwraps the login shell around a command, quotes included', () => {
    expect(unwrapShellCommand(`/bin/bash -lc 'echo a && cat b'`)).toBe('echo a && cat b');
    expect(unwrapShellCommand(`bash -c 'echo '\\''hi'\\'''`)).toBe(`echo 'hi'`);
    expect(unwrapShellCommand('ls -la')).toBe('ls -la');
  });

  it('does not classify ordinary failures as fatal', () => {
    expect(classifyCodexError('We’re currently experiencing high demand, which may cause temporary errors.')).toBeUndefined();
    expect(classifyCodexError('stream disconnected before completion')).toBeUndefined();
    expect(classifyCodexError('unexpected status 403 Forbidden: nope')).toBe('auth');
  });
});
