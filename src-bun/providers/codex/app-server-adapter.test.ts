import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { FAILING_COMMAND, FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../../../test/model-server/main';
import { EDIT_FILE } from '../../../test/model-server/scenarios';
import { classifyCodexError, createCodexAppServerAdapter, fileChangeEdits, unwrapShellCommand } from './app-server-adapter';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/codex-app-server');
const PROJECT = '/tmp/corral-fixture/proj';

type Raw = Record<string, any>;
type Line = { dir: 'in' | 'out'; msg: Raw };

function load(name: string): Line[] {
  return readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * Replays a recorded session through one adapter as the runner does: Codex's
 * notifications, and its server requests as cards with id `perm-<rpc id>`;
 * every event is checked against the schema.
 */
function replay(name: string, prefix = 't1'): { lines: Line[]; events: AgentEvent[]; kinds: string[] } {
  const lines = load(name);
  const adapter = createCodexAppServerAdapter();
  adapter.startTurn(prefix);
  const events: AgentEvent[] = [];
  const kinds: string[] = [];
  for (const { dir, msg } of lines) {
    if (dir !== 'in' || typeof msg.method !== 'string') continue;
    if (msg.id !== undefined) {
      const card = adapter.approval(`perm-${msg.id}`, msg.method, msg.params);
      if (card) {
        events.push(card.request);
        kinds.push(card.kind);
      }
    } else events.push(...adapter.notification(msg.method, msg.params));
  }
  for (const event of events) expect(AgentEventSchema.parse(event)).toEqual(event);
  return { lines, events, kinds };
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

/** The decision Corral sent for each server request of a recording. */
const decisions = (lines: Line[]) => lines.filter((l) => l.dir === 'out' && l.msg.result?.decision).map((l) => l.msg.result.decision);

/** Folds text events the way the pane does: `append` adds to the message with that id, `replace` swaps it. */
function fold(events: AgentEvent[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'text' && e.type !== 'thinking') continue;
    texts.set(e.id, e.mode === 'append' ? (texts.get(e.id) ?? '') + e.text : e.text);
  }
  return texts;
}

describe('Codex app-server adapter on recorded sessions', () => {
  it('shows a command once: a tool call from item/started, its result from item/completed', () => {
    const { lines, events } = replay('tool');
    expect(lines.filter((l) => l.msg.params?.item?.type === 'commandExecution').map((l) => l.msg.method)).toEqual(['item/started', 'item/completed']);
    const [call] = ofType(events, 'tool_call');
    expect(ofType(events, 'tool_call')).toHaveLength(1);
    expect(call).toMatchObject({ name: 'shell', command: OK_COMMAND, input: { command: `/bin/bash -lc '${OK_COMMAND}'` } });
    expect(call!.id).toStartWith('t1:call_');
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'corral-ok', isError: false }]);
    expect(ofType(events, 'permission_request')).toEqual([]);
  });

  it('streams the answer as deltas into one message, which the completed item then replaces with the same text', () => {
    const { events } = replay('tool');
    const texts = ofType(events, 'text');
    expect(new Set(texts.map((t) => t.id)).size).toBe(1);
    expect(texts.filter((t) => t.mode === 'append').length).toBeGreaterThan(1);
    expect(texts.at(-1)).toMatchObject({ mode: 'replace', text: FINAL_TEXT.tool });
    expect([...fold(texts).values()]).toEqual([FINAL_TEXT.tool]);
    // The streamed deltas alone already spell the whole answer.
    expect(texts.filter((t) => t.mode === 'append').map((t) => t.text).join('')).toBe(FINAL_TEXT.tool);
  });

  it('reports the thread\'s token totals with no USD figure, and the context in use', () => {
    const { lines, events } = replay('tool');
    const usage = lines.filter((l) => l.msg.method === 'thread/tokenUsage/updated').at(-1)!.msg.params.tokenUsage;
    expect(ofType(events, 'cost')).toEqual([{
      type: 'cost', costUsd: null, inputTokens: usage.total.inputTokens, outputTokens: usage.total.outputTokens,
      contextTokens: usage.last.inputTokens + usage.last.outputTokens, contextWindow: usage.modelContextWindow,
    }]);
    expect(usage.total.inputTokens).toBeGreaterThan(usage.last.inputTokens);
  });

  it('turns a command approval request into a card with the command and three answers', () => {
    const { lines, events, kinds } = replay('approval-accepted');
    const [card] = ofType(events, 'permission_request');
    expect(kinds).toEqual(['command']);
    expect(card).toEqual({
      type: 'permission_request', id: 'perm-0', title: `Run a command: ${OK_COMMAND}`, tool: 'shell', command: OK_COMMAND,
      options: [
        { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
        { optionId: 'allow_session', name: 'Allow for this session', kind: 'allow_always' },
        { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
      ],
    });
    expect(decisions(lines)).toEqual(['accept']);
    expect(events.map((e) => e.type)).toEqual(['tool_call', 'permission_request', 'tool_result', ...Array(6).fill('text'), 'cost']);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ output: 'corral-ok', isError: false });
  });

  it('shows a declined command as an error result that says it did not run; the turn still completes', () => {
    const { lines, events } = replay('approval-declined');
    expect(decisions(lines)).toEqual(['decline']);
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: ofType(events, 'tool_call')[0]!.id, output: 'Declined: the command did not run.', isError: true }]);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'cost')).toHaveLength(1);
  });

  it('plan mode: Corral declines the command Codex asks about', () => {
    const { lines, events } = replay('plan');
    expect(decisions(lines)).toEqual(['decline']);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ isError: true, output: 'Declined: the command did not run.' });
  });

  it('turns a file change approval into a card with the path and the new file\'s text, from the item it names', () => {
    const { lines, events, kinds } = replay('write');
    const path = `${PROJECT}/${WRITE_FILE.name}`;
    expect(kinds).toEqual(['edit']);
    const [card] = ofType(events, 'permission_request');
    expect(card).toMatchObject({ title: `Create ${path}`, tool: 'apply_patch', path, diff: { path, oldText: null, newText: WRITE_FILE.content } });
    expect(decisions(lines)).toEqual(['accept']);
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'apply_patch', path, input: { path, kind: 'add', diff: WRITE_FILE.content } });
    expect(call!.edits).toEqual([{ path, oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 }]);
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: `added ${path}`, isError: false }]);
    expect([...fold(events).values()]).toEqual([FINAL_TEXT.write]);
  });

  it('shows an edit of an existing file on its card and its call as the changed lines before and after, at the lines of Codex\'s unified diff', () => {
    const { lines, events } = replay('edit');
    const path = `${PROJECT}/${EDIT_FILE.name}`;
    const started = lines.find((l) => l.msg.method === 'item/started' && l.msg.params.item.type === 'fileChange')!.msg.params.item;
    expect(started.changes[0].diff).toStartWith('@@ -3,3 +3,4 @@');
    const edit = { path, oldText: 'charlie\ndelta\necho\n', newText: 'charlie\nDELTA\ndelta two\necho\n', oldStart: 3, newStart: 3 };
    const [card] = ofType(events, 'permission_request');
    expect(card).toMatchObject({ title: `Edit ${path}`, path });
    expect(card!.diff).toEqual(edit);
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'apply_patch', path, input: { kind: 'update', diff: started.changes[0].diff } });
    expect(call!.edits).toEqual([edit]);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ output: `updated ${path}`, isError: false });
    expect([...fold(events).values()]).toEqual([FINAL_TEXT.edit]);
  });

  it('shows a declined file change as an error result', () => {
    const { lines, events } = replay('write-declined');
    expect(decisions(lines)).toEqual(['decline']);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ isError: true, output: `Declined: ${PROJECT}/${WRITE_FILE.name} was not changed.` });
  });

  it('streams reasoning summary deltas into one thinking message before the intro text and the command', () => {
    const { events } = replay('thinking', 'bypass');
    const order = [...new Set(events.filter((e) => e.type !== 'cost').map((e) => e.type))];
    expect(order).toEqual(['thinking', 'text', 'tool_call', 'tool_result']);
    const thinking = ofType(events, 'thinking');
    expect(new Set(thinking.map((t) => t.id)).size).toBe(1);
    expect(fold(thinking).get(thinking[0]!.id)).toBe(FINAL_TEXT.thinking);
    expect([...fold(ofType(events, 'text')).values()]).toEqual([FINAL_TEXT.thinkingIntro, FINAL_TEXT.tool]);
  });

  it('flags a failing command\'s result as an error', () => {
    const { events } = replay('tool-error');
    expect(ofType(events, 'tool_call')[0]!.command).toBe(FAILING_COMMAND);
    const [result] = ofType(events, 'tool_result');
    expect(result!.isError).toBe(true);
    expect(result!.output).toContain('No such file or directory');
  });

  it('maps a web search to a web_search call with a result', () => {
    const { events } = replay('web-search');
    const [call] = ofType(events, 'tool_call');
    expect(call).toMatchObject({ name: 'web_search', input: { query: 'corral scripted search' } });
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', id: call!.id, output: 'Searched the web for "corral scripted search"', isError: false }]);
  });

  it('reports an HTTP 500 once, retryable, although Codex says it twice', () => {
    const { lines, events } = replay('http500');
    const said = lines.filter((l) => l.msg.method === 'error' || l.msg.method === 'turn/completed');
    expect(said.map((l) => l.msg.params.error?.message ?? l.msg.params.turn.error.message)).toEqual(Array(2).fill(said[0]!.msg.params.error.message));
    expect(ofType(events, 'error')).toEqual([{ type: 'error', message: said[0]!.msg.params.error.message }]);
    expect(ofType(events, 'cost')).toEqual([]);
  });

  it('classifies context window, quota and auth failures as fatal', () => {
    expect(ofType(replay('prompt-too-long').events, 'error')).toEqual([expect.objectContaining({ fatal: 'prompt_too_long', message: expect.stringContaining('context window') })]);
    expect(ofType(replay('quota').events, 'error')).toEqual([expect.objectContaining({ fatal: 'quota', message: expect.stringContaining('Quota exceeded') })]);
    expect(ofType(replay('auth').events, 'error')).toEqual([expect.objectContaining({ fatal: 'auth', message: expect.stringContaining('401 Unauthorized') })]);
  });

  it('resumes the same thread in a new process, whose totals include the earlier turn', () => {
    const first = load('tool');
    const resumed = load('resume');
    const threadOf = (lines: Line[]) => lines.find((l) => l.msg.result?.thread)!.msg.result.thread.id;
    expect(resumed.find((l) => l.dir === 'out' && l.msg.method === 'thread/resume')!.msg.params.threadId).toBe(threadOf(first));
    expect(threadOf(resumed)).toBe(threadOf(first));
    const before = ofType(replay('tool').events, 'cost')[0]!;
    const after = ofType(replay('resume').events, 'cost')[0]!;
    expect(after.inputTokens).toBeGreaterThan(before.inputTokens);
    expect([...fold(replay('resume').events).values()]).toEqual([FINAL_TEXT.text]);
  });

  it('gives an interrupted turn its streamed text and no error', () => {
    const { lines, events } = replay('interrupted');
    expect(lines.filter((l) => l.dir === 'out').map((l) => l.msg.method)).toContain('turn/interrupt');
    expect(lines.at(-1)!.msg.params.turn.status).toBe('interrupted');
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'text').length).toBeGreaterThan(0);
  });

  it('keeps ids of two turns apart', () => {
    const ids = (events: AgentEvent[]) => events.flatMap((e) => ('id' in e ? [e.id] : []));
    const a = ids(replay('tool', 't1-aa').events);
    const b = ids(replay('tool', 't2-bb').events);
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });
});

describe('Codex app-server adapter on shapes the recordings do not cover', () => {
  // Shapes from `codex app-server generate-ts` (0.169): no offline MCP server, plan tool or compaction produced them.
  it('maps an mcpToolCall to server.tool with its result text, and a failed one as an error', () => {
    const adapter = createCodexAppServerAdapter();
    const item = { id: 'm1', type: 'mcpToolCall', server: 'docs', tool: 'search', arguments: { q: 'x' }, status: 'inProgress', result: null, error: null };
    expect(adapter.notification('item/started', { item })).toEqual([{ type: 'tool_call', id: 'm1', name: 'docs.search', input: { q: 'x' } }]);
    expect(adapter.notification('item/completed', { item: { ...item, status: 'completed', result: { content: [{ type: 'text', text: 'found' }] } } }))
      .toEqual([{ type: 'tool_result', id: 'm1', output: 'found', isError: false }]);
    expect(adapter.notification('item/completed', { item: { ...item, id: 'm2', status: 'failed', error: { message: 'boom' } } }))
      .toEqual([{ type: 'tool_call', id: 'm2', name: 'docs.search', input: { q: 'x' } }, { type: 'tool_result', id: 'm2', output: 'boom', isError: true }]);
  });

  it('maps turn/plan/updated to one checklist updated in place, and a compaction to a compaction event', () => {
    const adapter = createCodexAppServerAdapter();
    adapter.startTurn('t1');
    const plan = (done: string) => ({ explanation: null, plan: [{ step: 'read', status: 'completed' }, { step: 'write', status: done }] });
    expect(adapter.notification('turn/plan/updated', plan('inProgress'))).toEqual([{ type: 'text', id: 't1:plan', role: 'assistant', text: '- [x] read\n- [ ] write', mode: 'replace' }]);
    expect(adapter.notification('turn/plan/updated', plan('completed'))[0]).toMatchObject({ id: 't1:plan', text: '- [x] read\n- [x] write' });
    expect(adapter.notification('item/completed', { item: { id: 'c1', type: 'contextCompaction' } })).toEqual([{ type: 'compaction', id: 't1:c1' }]);
  });

  it('builds one edit per hunk of an update\'s unified diff, placed at the hunk\'s lines; an added or deleted file whole, from line 1', () => {
    const diff = '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -9,2 +9,3 @@\n x\n+y\n z\n';
    expect(fileChangeEdits({ path: '/p/f.txt', kind: { type: 'update', move_path: null }, diff })).toEqual([
      { path: '/p/f.txt', oldText: 'a\nb\nc\n', newText: 'a\nB\nc\n', oldStart: 1, newStart: 1 },
      { path: '/p/f.txt', oldText: 'x\nz\n', newText: 'x\ny\nz\n', oldStart: 9, newStart: 9 },
    ]);
    // A hunk that only removes lines: the new side is empty, and unified diff's count-0 start (the line before) is moved to the line itself.
    expect(fileChangeEdits({ path: '/p/f.txt', kind: { type: 'update' }, diff: '@@ -4,2 +3,0 @@\n-d\n-e\n' })).toEqual([
      { path: '/p/f.txt', oldText: 'd\ne\n', newText: '', oldStart: 4, newStart: 4 },
    ]);
    expect(fileChangeEdits({ path: '/p/n.txt', kind: { type: 'add' }, diff: 'new\n' })).toEqual([{ path: '/p/n.txt', oldText: null, newText: 'new\n', oldStart: 1, newStart: 1 }]);
    expect(fileChangeEdits({ path: '/p/f.txt', kind: { type: 'delete' }, diff: 'gone\n' })).toEqual([{ path: '/p/f.txt', oldText: 'gone\n', newText: '', oldStart: 1, newStart: 1 }]);
    expect(fileChangeEdits({ path: '/p/f.txt', kind: { type: 'update' }, diff: 'not a diff' })).toEqual([]);
    expect(fileChangeEdits({ kind: { type: 'add' }, diff: 'x\n' })).toEqual([]);
  });

  it('shows an update of several hunks on its card as the hunks joined by a … line, without line numbers, and on its call hunk by hunk', () => {
    const adapter = createCodexAppServerAdapter();
    adapter.startTurn('t1');
    const change = { path: '/p/f.txt', kind: { type: 'update', move_path: null }, diff: '@@ -1,2 +1,2 @@\n-a\n+A\n b\n@@ -9,1 +9,2 @@\n x\n+y\n' };
    const [call] = adapter.notification('item/started', { item: { id: 'fc1', type: 'fileChange', status: 'inProgress', changes: [change] } });
    expect(call).toMatchObject({ type: 'tool_call', edits: [{ oldStart: 1, newStart: 1 }, { oldStart: 9, newStart: 9 }] });
    expect(adapter.approval('p1', 'item/fileChange/requestApproval', { itemId: 'fc1' })!.request.diff).toEqual({
      path: '/p/f.txt', oldText: 'a\nb\n…\nx\n', newText: 'A\nb\n…\nx\ny\n',
    });
  });

  it('refuses to build a card for requests it does not know, and ignores malformed messages', () => {
    const adapter = createCodexAppServerAdapter();
    expect(adapter.approval('p', 'item/tool/requestUserInput', { itemId: 'x' })).toBeUndefined();
    expect(adapter.approval('p', 'item/commandExecution/requestApproval', null)).toBeUndefined();
    for (const [method, params] of [['item/completed', {}], ['item/completed', { item: { type: 'agentMessage' } }], ['turn/completed', null], ['error', { willRetry: true, error: { message: 'retrying' } }], ['x', 42]] as const) {
      expect(adapter.notification(method, params)).toEqual([]);
    }
  });
});

describe('Codex error and command helpers', () => {
  it('unwraps the login shell around a command, quotes included', () => {
    expect(unwrapShellCommand(`/bin/bash -lc 'echo a && cat b'`)).toBe('echo a && cat b');
    expect(unwrapShellCommand(`bash -c 'echo '\\''hi'\\'''`)).toBe(`echo 'hi'`);
    expect(unwrapShellCommand('ls -la')).toBe('ls -la');
  });

  it('prefers Codex\'s structured error info, and does not classify ordinary failures as fatal', () => {
    expect(classifyCodexError('anything', 'contextWindowExceeded')).toBe('prompt_too_long');
    expect(classifyCodexError('anything', 'usageLimitExceeded')).toBe('quota');
    expect(classifyCodexError('anything', 'unauthorized')).toBe('auth');
    expect(classifyCodexError('We’re currently experiencing high demand, which may cause temporary errors.', 'internalServerError')).toBeUndefined();
    expect(classifyCodexError('stream disconnected before completion')).toBeUndefined();
    expect(classifyCodexError('unexpected status 403 Forbidden: nope')).toBe('auth');
  });
});
