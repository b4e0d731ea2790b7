/**
 * The history parsers on files recorded from the real CLIs
 * (test/fixtures/history, see test/fixtures/record-history.ts): Claude Code
 * 2.1.330 and codex-cli 0.169.0, each with a shell tool call and a resumed
 * second turn.
 */
import { describe, expect, it } from 'bun:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { createClaudeHistoryMapper } from './claude-history';
import { createCodexHistoryMapper, shellOutput } from './codex-history';
import type { HistoryMapper } from './history-mapper';
import { readHistoryPages, type ReadStats } from './history-reader';

const FIXTURES = join(import.meta.dir, '../../../test/fixtures/history');

async function mapFile(path: string, mapper: HistoryMapper, pageLines?: number) {
  const stats: ReadStats = { lines: 0, badLines: 0, bytes: 0 };
  const events: { event: AgentEvent; ts?: number }[] = [];
  let pages = 0;
  for await (const page of readHistoryPages(path, stats, pageLines)) {
    pages++;
    for (const line of page) events.push(...mapper.map(line.value));
  }
  return { stats, events, pages };
}

/** What a transcript row shows of each event: kind, role or tool, and text. */
function rows(events: { event: AgentEvent }[]): string[] {
  return events.map(({ event: e }) => {
    if (e.type === 'text') return `${e.role}: ${e.text}`;
    if (e.type === 'tool_call') return `call ${e.name}: ${e.command}`;
    if (e.type === 'tool_result') return `result${e.isError ? ' (error)' : ''}: ${e.output}`;
    return e.type;
  });
}

const TRANSCRIPT = [
  'user: Check the shell works.',
  'call {tool}: echo corral-ok > corral-ok.txt && cat corral-ok.txt',
  'result: corral-ok',
  'assistant: Done: the command printed corral-ok.',
  'user: [scenario:text] What did you just do?',
  'assistant: Hello from the scripted model.',
];

describe('Claude Code history (2.1.330)', () => {
  it('maps the prompts, the tool call with its result and the answers, in file order, once each', async () => {
    const mapper = createClaudeHistoryMapper();
    const { stats, events } = await mapFile(join(FIXTURES, 'claude.jsonl'), mapper);
    expect(rows(events)).toEqual(TRANSCRIPT.map((r) => r.replace('{tool}', 'Bash')));
    for (const { event } of events) expect(AgentEventSchema.parse(event)).toEqual(event);
    expect(new Set(events.map(({ event }) => (event as { id: string }).id)).size).toBe(5); // call and result share an id
    const times = events.map(({ ts }) => ts ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(stats).toMatchObject({ lines: 37, badLines: 0 });
  });

  it('reads the session id, folder, version, model and cost, and counts what it leaves out', async () => {
    const mapper = createClaudeHistoryMapper();
    await mapFile(join(FIXTURES, 'claude.jsonl'), mapper);
    expect(mapper.meta).toMatchObject({
      providerSessionId: '9344f7aa-9a5e-4a24-8259-d0ed678affeb', cwd: '/tmp/corral-fixture/proj', version: '2.1.330', model: 'claude-opus-5-5',
    });
    expect(mapper.meta.costUsd).toBeCloseTo(0.089798, 6);
    expect(mapper.meta.outputTokens).toBe(110);
    expect(Object.fromEntries(mapper.skipped)).toEqual({
      'queue-operation': 4, attachment: 10, 'atis-latch': 3, 'api-request-shape': 1, 'api-request-blob': 2, 'api-request': 3, 'tools-used': 2, 'last-prompt': 3, mode: 1,
    });
  });

  it('leaves out sidechain and meta lines and shows a synthetic API error as an error', () => {
    const mapper = createClaudeHistoryMapper();
    const base = { sessionId: 's', uuid: 'u1', timestamp: '2026-01-01T00:00:00Z' };
    expect(mapper.map({ ...base, type: 'user', isSidechain: true, message: { role: 'user', content: 'subagent task' } })).toEqual([]);
    expect(mapper.map({ ...base, type: 'user', isMeta: true, message: { role: 'user', content: '<local-command-caveat>…' } })).toEqual([]);
    const error = mapper.map({ ...base, type: 'assistant', error: 'server_error', message: { model: '<synthetic>', content: [{ type: 'text', text: 'API Error: 500' }] } });
    expect(error.map((e) => e.event)).toEqual([{ type: 'error', message: 'API Error: 500' }]);
    expect(Object.fromEntries(mapper.skipped)).toEqual({ 'sidechain (subagent)': 1, 'meta (injected by Claude Code)': 1 });
  });
});

describe('Codex rollout (0.169.0)', () => {
  it('maps the prompts, the shell call with its output and the answers, in file order, once each', async () => {
    const mapper = createCodexHistoryMapper();
    const { events } = await mapFile(join(FIXTURES, 'codex.jsonl'), mapper);
    expect(rows(events)).toEqual(TRANSCRIPT.map((r) => r.replace('{tool}', 'shell')));
    for (const { event } of events) expect(AgentEventSchema.parse(event)).toEqual(event);
    expect(mapper.meta).toMatchObject({
      providerSessionId: '01a23af1-779c-7f92-a8b3-e016bc12ac1a', cwd: '/tmp/corral-fixture/proj', version: '0.169.0', model: 'gpt-5.5', outputTokens: 57,
    });
    expect(mapper.meta.costUsd).toBeUndefined(); // Codex reports no cost
    expect(mapper.skipped.get('developer message')).toBe(1);
    expect(mapper.skipped.get('user context (injected by Codex)')).toBe(1);
    expect(mapper.skipped.get('event_msg')).toBe(13);
  });

  it('keeps readable reasoning, skips encrypted reasoning, and reads both shell output formats', () => {
    const mapper = createCodexHistoryMapper();
    const thinking = mapper.map({ type: 'response_item', payload: { type: 'reasoning', id: 'r1', summary: [{ type: 'summary_text', text: 'Plan it.' }] } });
    expect(thinking.map((e) => e.event)).toEqual([{ type: 'thinking', id: 'r1', text: 'Plan it.', mode: 'replace' }]);
    expect(mapper.map({ type: 'response_item', payload: { type: 'reasoning', summary: [], encrypted_content: 'gAAA' } })).toEqual([]);
    expect(mapper.skipped.get('encrypted reasoning')).toBe(1);
    expect(shellOutput('{"output":"nope\\n","metadata":{"exit_code":1}}')).toEqual({ output: 'nope\n', exitCode: 1 });
    expect(shellOutput('Chunk ID: x\nProcess exited with code 2\nOutput:\nboom\n')).toEqual({ output: 'boom\n', exitCode: 2 });
  });
});

describe('history reader', () => {
  it('skips and counts lines that are not JSON objects, and pages the rest in order', async () => {
    const good = readFileSync(join(FIXTURES, 'claude.jsonl'), 'utf8').split('\n').filter(Boolean);
    const path = join(mkdtempSync(join(tmpdir(), 'corral-history-')), 'bad.jsonl');
    writeFileSync(path, [good[0], '{"truncated": ', good.slice(1, 20).join('\n'), '[1,2]', '', 'plain text', good.slice(20).join('\n')].join('\n'));
    const { stats, events, pages } = await mapFile(path, createClaudeHistoryMapper(), 5);
    expect(stats.badLines).toBe(3);
    expect(stats.lines).toBe(37 + 3);
    expect(pages).toBe(8); // 37 good lines in pages of 5
    expect(rows(events)).toEqual(TRANSCRIPT.map((r) => r.replace('{tool}', 'Bash')));
  });
});
