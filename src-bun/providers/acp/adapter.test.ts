import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { THOUGHT_SUBJECT } from '../../../test/model-server/gemini';
import { acpErrorText, classifyAcpError, createAcpAdapter, planChecklist } from './adapter';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/acp');
const WRITE_PATH = `/tmp/corral-fixture/proj/${WRITE_FILE.name}`;

type Line = { dir: 'in' | 'out'; msg: Record<string, any> };

function load(agent: 'gemini' | 'claude', name: string): Line[] {
  return readFileSync(resolve(FIXTURES, agent, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * Replays a recorded session through one adapter, the way the runner feeds
 * it: each `session/prompt` starts a turn, `session/update`s and permission
 * requests map as they come, the prompt's result closes the turn.
 */
function replay(agent: 'gemini' | 'claude', name: string) {
  const lines = load(agent, name);
  const adapter = createAcpAdapter();
  const prompts = new Set<unknown>();
  const setup = new Set<unknown>();
  const events: AgentEvent[] = [];
  const stops: Array<string | undefined> = [];
  let turn = 0;
  // The runner shows nothing from session/load until it sends the next prompt (the history replay).
  let loading = false;
  for (const { dir, msg } of lines) {
    if (dir === 'out' && msg.method === 'session/load') loading = true;
    if (dir === 'out' && msg.method === 'session/prompt') loading = false;
    if (loading) continue;
    if (dir === 'out' && ['session/resume', 'session/set_mode', 'session/set_config_option'].includes(msg.method)) {
      setup.add(msg.id); // the runner shows nothing the agent sends while it sets the session up
    } else if (dir === 'in' && !msg.method && setup.has(msg.id)) {
      setup.delete(msg.id);
    } else if (dir === 'out' && msg.method === 'session/prompt') {
      prompts.add(msg.id);
      adapter.startTurn(`t${++turn}`);
    } else if (dir === 'in' && msg.method === 'session/update' && setup.size === 0) {
      events.push(...adapter.update(msg.params.update));
    } else if (dir === 'in' && msg.method === 'session/request_permission') {
      events.push(...adapter.permission(`perm-${msg.id}`, msg.params));
    } else if (dir === 'in' && !msg.method && prompts.has(msg.id) && msg.result) {
      const result = adapter.promptResult(msg.result);
      events.push(...result.events);
      stops.push(result.stopReason);
    }
  }
  for (const event of events) expect(AgentEventSchema.parse(event)).toEqual(event);
  return { lines, events, stops };
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
/** The texts per message id, in first-seen order, appended as the UI does. */
function merged(events: AgentEvent[], type: 'text' | 'thinking'): Array<[string, string]> {
  const out = new Map<string, string>();
  for (const e of events) if (e.type === type) out.set(e.id, (e.mode === 'append' ? out.get(e.id) ?? '' : '') + e.text);
  return [...out];
}

describe('ACP adapter on recorded Gemini CLI 0.61 --acp sessions', () => {
  it('merges streamed chunks into one assistant message and shows the shell call its permission request introduced', () => {
    const { events, stops } = replay('gemini', 'tool');
    expect(events.map((e) => e.type)).toEqual(['tool_call', 'permission_request', 'tool_result', ...Array(5).fill('text'), 'cost']);
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'shell', command: OK_COMMAND });
    expect(ofType(events, 'permission_request')[0]).toEqual({
      type: 'permission_request', id: 'perm-0', title: OK_COMMAND, tool: 'shell', command: OK_COMMAND,
      options: [
        { optionId: 'proceed_always', name: 'Allow for this session', kind: 'allow_always' },
        { optionId: 'proceed_once', name: 'Allow', kind: 'allow_once' },
        { optionId: 'cancel', name: 'Reject', kind: 'reject_once' },
      ],
    });
    // Gemini CLI reports a finished shell call with no output.
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: '', isError: false }]);
    expect(merged(events, 'text')).toEqual([['t1:text:1', FINAL_TEXT.tool]]);
    expect(ofType(events, 'text').every((t) => t.mode === 'append' && t.role === 'assistant')).toBe(true);
    expect(stops).toEqual(['end_turn']);
  });

  it('reports Gemini CLI tokens (from _meta.quota) with no cost figure', () => {
    const { lines, events } = replay('gemini', 'tool');
    const counts = lines.find((l) => l.msg.result?.stopReason)!.msg.result._meta.quota.token_count;
    expect(ofType(events, 'cost')).toEqual([{ type: 'cost', scope: 'sidecar', costUsd: null, inputTokens: counts.input_tokens, outputTokens: counts.output_tokens }]);
  });

  it('puts the edit diff on the permission request of a file write', () => {
    const { events } = replay('gemini', 'write');
    expect(ofType(events, 'permission_request')[0]!.diff).toEqual({ path: WRITE_PATH, oldText: '', newText: WRITE_FILE.content });
    expect(ofType(events, 'tool_call')[0]).toMatchObject({ name: 'edit', path: WRITE_PATH });
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ output: `wrote ${WRITE_PATH}`, isError: false });
  });

  it('gives the write\'s tool call the diff content as its edits, for both agents', () => {
    // Gemini CLI sends an empty old text for a new file; claude-agent-acp sends null, which is a file created from line 1.
    const gemini = ofType(replay('gemini', 'write').events, 'tool_call');
    expect(gemini.at(-1)!.edits).toEqual([{ path: WRITE_PATH, oldText: '', newText: WRITE_FILE.content }]);
    const claude = ofType(replay('claude', 'write').events, 'tool_call');
    expect(claude[0]!.edits).toBeUndefined();
    expect(claude.at(-1)!.edits).toEqual([{ path: WRITE_PATH, oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 }]);
    // Calls without diff content carry none.
    expect(ofType(replay('claude', 'tool').events, 'tool_call').every((c) => c.edits === undefined)).toBe(true);
  });

  it('closes a rejected call that the agent never finishes', () => {
    const { events } = replay('gemini', 'reject');
    const [call] = ofType(events, 'tool_call');
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'Not run', isError: true }]);
  });

  it('merges thought chunks into one thinking message', () => {
    const { events } = replay('gemini', 'thinking');
    expect(merged(events, 'thinking')).toEqual([['t1:thinking:1', `**${THOUGHT_SUBJECT}**\n${FINAL_TEXT.thinking}`]]);
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.thinkingIntro, FINAL_TEXT.tool]);
  });

  it('keeps what streamed before a cancel and ends with the cancelled stop reason', () => {
    const { events, stops } = replay('gemini', 'cancel');
    expect(merged(events, 'text')[0]![1]).toStartWith('tick 1 tick 2 ');
    expect(stops).toEqual(['cancelled']);
  });

  it('adds up tokens over the turns of one session, the turns\' messages apart', () => {
    const { events } = replay('gemini', 'two-turns');
    const costs = ofType(events, 'cost');
    expect(costs).toHaveLength(2);
    expect(costs[1]!.inputTokens).toBeGreaterThan(costs[0]!.inputTokens * 1.5);
    expect(merged(events, 'text').map(([id]) => id)).toEqual(['t1:text:1', 't2:text:2']);
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.text, FINAL_TEXT.text]);
  });

  it('unwraps the API error Gemini CLI passes through and classifies it', () => {
    const { lines } = replay('gemini', 'prompt-too-long');
    const error = lines.find((l) => l.msg.error)!.msg.error;
    const text = acpErrorText(error);
    expect(text).toBe('The input token count (250000) exceeds the maximum number of tokens allowed (200000).');
    expect(classifyAcpError(text)).toBe('prompt_too_long');
  });

  it('resumes with session/load, whose history replay is not shown again', () => {
    const { lines, events } = replay('gemini', 'resume');
    const load = lines.findIndex((l) => l.msg.method === 'session/load');
    const loaded = lines.findIndex((l, i) => i > load && l.dir === 'in' && l.msg.id === lines[load]!.msg.id);
    expect(lines[loaded]!.msg.result).toBeDefined();
    const prompt = lines.findIndex((l) => l.msg.method === 'session/prompt');
    const replayed = lines.slice(load, prompt).map((l) => l.msg.params?.update?.sessionUpdate);
    expect(replayed).toContain('user_message_chunk');
    expect(replayed).toContain('agent_message_chunk');
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.text]);
  });

  it('reads why Gemini CLI 0.61 could not load a session created in the same minute, then starts a new one', () => {
    const { lines, events } = replay('gemini', 'resume-same-minute');
    const load = lines.find((l) => l.msg.method === 'session/load')!;
    const error = lines.find((l) => l.dir === 'in' && !l.msg.method && l.msg.id === load.msg.id)!.msg.error;
    expect(acpErrorText(error)).toMatch(/^Internal error: (No previous sessions found for this project\.|Invalid session identifier)/);
    const created = lines.find((l) => l.msg.method === 'session/new');
    expect(created).toBeDefined();
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.text]);
  });
});

describe('ACP adapter on recorded claude-agent-acp 0.49 sessions', () => {
  it('updates one tool call in place as its input arrives, then adds its output', () => {
    const { events } = replay('claude', 'tool');
    const calls = ofType(events, 'tool_call');
    expect(new Set(calls.map((c) => c.id)).size).toBe(1);
    expect(calls[0]).toMatchObject({ name: 'Bash', input: { title: 'Terminal' } });
    expect(calls.at(-1)).toMatchObject({ name: 'Bash', command: OK_COMMAND, input: { command: OK_COMMAND } });
    expect(ofType(events, 'permission_request')[0]!.options.map((o) => o.kind)).toEqual(['allow_always', 'allow_once', 'reject_once']);
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: calls[0]!.id, output: 'corral-ok', isError: false }]);
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.tool]);
  });

  it('reports the agent\'s running cost in USD with the turn\'s tokens and the context in use', () => {
    const { lines, events } = replay('claude', 'tool');
    const usage = lines.find((l) => l.msg.result?.stopReason)!.msg.result.usage;
    const costUpdate = lines.filter((l) => l.msg.params?.update?.cost).at(-1)!.msg.params.update;
    const last = ofType(events, 'cost').at(-1)!;
    expect(last).toEqual({
      type: 'cost', scope: 'sidecar', costUsd: costUpdate.cost.amount,
      inputTokens: usage.inputTokens + usage.cachedReadTokens + usage.cachedWriteTokens, outputTokens: usage.outputTokens,
      contextTokens: costUpdate.used, contextWindow: costUpdate.size,
    });
    expect(last.costUsd!).toBeGreaterThan(0);
  });

  it('shows the write diff (no old text for a new file) and the rejection as a failed result', () => {
    expect(ofType(replay('claude', 'write').events, 'permission_request')[0]!.diff).toEqual({ path: WRITE_PATH, oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 });
    const { events } = replay('claude', 'reject');
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: ofType(events, 'tool_call')[0]!.id, output: 'User refused permission to run tool', isError: true }]);
  });

  it('keys streamed messages by the agent\'s message id, thinking apart from text', () => {
    const { events } = replay('claude', 'thinking');
    const thinking = merged(events, 'thinking');
    expect(thinking).toHaveLength(1);
    expect(thinking[0]![1]).toBe(FINAL_TEXT.thinking);
    expect(thinking[0]![0]).toMatch(/^t1:thinking:msg_/);
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.thinkingIntro, FINAL_TEXT.tool]);
  });

  it('grows cost and tokens over two turns', () => {
    const costs = ofType(replay('claude', 'two-turns').events, 'cost');
    const ends = [costs.findLast((c, i) => i < costs.length / 2)!, costs.at(-1)!];
    expect(ends[1]!.costUsd!).toBeGreaterThan(ends[0]!.costUsd!);
    expect(ends[1]!.inputTokens).toBeGreaterThan(ends[0]!.inputTokens);
  });

  it('classifies the agent\'s errors: a 500 is retryable, prompt too long is fatal', () => {
    const errorOf = (name: string) => acpErrorText(replay('claude', name).lines.find((l) => l.msg.error)!.msg.error);
    expect(errorOf('http500')).toStartWith('Internal error: API Error: 500');
    expect(classifyAcpError(errorOf('http500'))).toBeUndefined();
    expect(classifyAcpError(errorOf('prompt-too-long'))).toBe('prompt_too_long');
  });

  it('resumes with session/resume and the same session id', () => {
    const { lines, events } = replay('claude', 'resume');
    const resume = lines.find((l) => l.msg.method === 'session/resume')!;
    expect(lines.find((l) => l.dir === 'in' && l.msg.id === resume.msg.id)!.msg.result.sessionId).toBe(resume.msg.params.sessionId);
    expect(merged(events, 'text').map(([, t]) => t)).toEqual([FINAL_TEXT.text]);
  });
});

describe('ACP adapter on updates the recordings do not cover', () => {
  // Shapes from the ACP v1 schema (`Plan`, `Notice`, `CompactionUpdate`); neither recorded agent sent them offline.
  it('shows a plan as one checklist message replaced on each update', () => {
    const adapter = createAcpAdapter();
    adapter.startTurn('t1');
    const plan = (second: string) => ({ sessionUpdate: 'plan', entries: [{ content: 'Read', status: 'completed', priority: 'high' }, { content: 'Write', status: second, priority: 'medium' }] });
    expect(adapter.update(plan('in_progress'))).toEqual([{ type: 'text', id: 't1:plan', role: 'assistant', text: '- [x] Read\n- [ ] Write (in progress)', mode: 'replace' }]);
    expect(adapter.update(plan('completed'))).toEqual([{ type: 'text', id: 't1:plan', role: 'assistant', text: '- [x] Read\n- [x] Write', mode: 'replace' }]);
    expect(planChecklist([])).toBe('');
  });

  it('maps error notices to errors, compaction to a compaction event, and ignores junk', () => {
    const adapter = createAcpAdapter();
    expect(adapter.update({ sessionUpdate: 'notice', severity: 'error', title: 'Rate limited', description: 'wait' })).toEqual([{ type: 'error', message: 'Rate limited: wait' }]);
    expect(adapter.update({ sessionUpdate: 'compaction_update', compactionId: 'c1', status: 'completed', summary: [{ type: 'text', text: 'short' }] }))
      .toEqual([{ type: 'compaction', id: 'c1', summary: 'short' }]);
    for (const junk of [null, 1, {}, { sessionUpdate: 'tool_call' }, { sessionUpdate: 'agent_message_chunk', content: 5 }]) expect(adapter.update(junk)).toEqual([]);
    expect(adapter.permission('p', { options: 'x' })).toEqual([{ type: 'permission_request', id: 'p', title: 'a tool call', options: [] }]);
    expect(adapter.promptResult(null)).toEqual({ events: [], stopReason: undefined });
  });
});
