import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AgentEvent } from '../../src/shared/events';
import { EDIT_FILE, WRITE_FILE } from '../../test/model-server/scenarios';
import { createAcpAdapter } from '../providers/acp/adapter';
import { createClaudeAdapter } from '../providers/claude/adapter';
import { createCodexAppServerAdapter } from '../providers/codex/app-server-adapter';
import { createConflictWarnings, createWriteConflictDetector, writtenPaths } from './write-conflicts';

// Every fixture was recorded with the agent in this folder.
const CWD = '/tmp/corral-fixture/proj';
const FIXTURES = resolve(import.meta.dir, '../../test/fixtures');
const lines = (path: string): Record<string, any>[] =>
  readFileSync(resolve(FIXTURES, path), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

/** The tool calls of a recorded stream, through the provider's own adapter (as the sidecar maps them). */
function toolCalls(provider: 'claude' | 'codex' | 'acp-claude' | 'acp-gemini', name: string): AgentEvent[] {
  let events: AgentEvent[] = [];
  if (provider === 'claude') {
    const adapter = createClaudeAdapter();
    events = lines(`claude/${name}.jsonl`).flatMap((raw) => adapter.adapt(raw));
  } else if (provider === 'codex') {
    const adapter = createCodexAppServerAdapter();
    adapter.startTurn('t1');
    for (const { dir, msg } of lines(`codex-app-server/${name}.jsonl`)) {
      if (dir === 'in' && typeof msg.method === 'string' && msg.id === undefined) events.push(...adapter.notification(msg.method, msg.params));
    }
  } else {
    const adapter = createAcpAdapter();
    adapter.startTurn('t1');
    for (const { dir, msg } of lines(`acp/${provider.slice(4)}/${name}.jsonl`)) {
      if (dir === 'in' && msg.method === 'session/update') events.push(...adapter.update(msg.params.update));
    }
  }
  return events.filter((e) => e.type === 'tool_call');
}

const WRITTEN = `${CWD}/${WRITE_FILE.name}`;
const session = (id: string, isolated = false) => ({ id, cwd: CWD, isolated });

describe('write-conflict detector on recorded tool calls', () => {
  it('finds the written file in each CLI’s own tool calls, and none in a shell command or a Read', () => {
    const paths = (events: AgentEvent[]) => [...new Set(events.flatMap((e) => (e.type === 'tool_call' ? writtenPaths(e, CWD) : [])))];
    expect(paths(toolCalls('claude', 'write'))).toEqual([WRITTEN]);
    expect(paths(toolCalls('codex', 'write'))).toEqual([WRITTEN]);
    expect(paths(toolCalls('acp-claude', 'write'))).toEqual([WRITTEN]);
    expect(paths(toolCalls('acp-gemini', 'write'))).toEqual([WRITTEN]);
    // Claude's edit turn reads the file, then edits it (the Edit's call comes again with its edits placed): only the Edit writes.
    const edit = toolCalls('claude', 'edit');
    expect([...new Set(edit.map((e) => (e.type === 'tool_call' ? e.name : '')))]).toEqual(['Read', 'Edit']);
    expect(paths(edit)).toEqual([`${CWD}/${EDIT_FILE.name}`]);
    expect(paths(toolCalls('claude', 'tool'))).toEqual([]);
    expect(paths(toolCalls('codex', 'tool'))).toEqual([]);
  });

  it('warns once when a Claude Code and a Codex session running in one checkout write the same file', () => {
    const detector = createWriteConflictDetector();
    for (const e of toolCalls('claude', 'write')) expect(detector.note(session('claude-1'), e)).toEqual([]);
    const found = toolCalls('codex', 'write').flatMap((e) => detector.note(session('codex-1'), e));
    expect(found).toEqual([{ path: WRITTEN, sessionIds: ['codex-1', 'claude-1'] }]);
    // The same writes again (a tool call updated in place, a retry) raise nothing new.
    expect([...toolCalls('claude', 'write'), ...toolCalls('codex', 'write')].flatMap((e) => detector.note(session('claude-1'), e))).toEqual([]);
  });

  it('says nothing when the first session’s turn ended before the other wrote, or when the writes are to different files', () => {
    const detector = createWriteConflictDetector();
    for (const e of toolCalls('acp-claude', 'write')) detector.note(session('a'), e);
    detector.turnEnded('a');
    expect(toolCalls('acp-gemini', 'write').flatMap((e) => detector.note(session('b'), e))).toEqual([]);
    expect(toolCalls('claude', 'edit').flatMap((e) => detector.note(session('c'), e))).toEqual([]);
    // b's turn still runs: a new turn of a that writes the same file is a conflict again.
    expect(toolCalls('acp-claude', 'write').flatMap((e) => detector.note(session('a'), e))).toEqual([{ path: WRITTEN, sessionIds: ['a', 'b'] }]);
  });

  it('never warns about a session in its own worktree', () => {
    const detector = createWriteConflictDetector();
    for (const e of toolCalls('claude', 'write')) detector.note(session('shared'), e);
    expect(toolCalls('codex', 'write').flatMap((e) => detector.note(session('isolated', true), e))).toEqual([]);
  });

  it('resolves a relative tool path against the session’s cwd, so two spellings of one file meet', () => {
    const detector = createWriteConflictDetector();
    detector.note(session('x'), { type: 'tool_call', id: 'w1', name: 'Write', input: {}, path: 'src/a.ts' });
    expect(detector.note({ id: 'y', cwd: '/elsewhere', isolated: false }, { type: 'tool_call', id: 'w2', name: 'Edit', input: {}, path: `${CWD}/src/../src/a.ts` }))
      .toEqual([{ path: `${CWD}/src/a.ts`, sessionIds: ['y', 'x'] }]);
  });

  it('puts a warning in both transcripts and tells the UI once; a status that ends a turn forgets its writes', () => {
    const notes: { sessionId: string; event: AgentEvent }[] = [];
    const published: unknown[] = [];
    const warnings = createConflictWarnings({
      admit: (sessionId, event) => notes.push({ sessionId, event }),
      projectOf: (id) => (id === 's1' ? 'p1' : 'p1'),
      isolated: () => false,
      publish: (p) => published.push(p),
    });
    for (const e of toolCalls('claude', 'write')) warnings.note({ id: 's1', cwd: CWD }, e);
    warnings.note({ id: 's1', cwd: CWD }, { type: 'status', status: 'done' });
    for (const e of toolCalls('codex', 'write')) warnings.note({ id: 's2', cwd: CWD }, e);
    expect(notes).toEqual([]);
    for (const e of toolCalls('claude', 'write')) warnings.note({ id: 's1', cwd: CWD }, e);
    expect(notes.map((n) => n.sessionId)).toEqual(['s1', 's2']);
    expect(notes[0]!.event).toEqual({ type: 'error', message: expect.stringContaining(`session s2 also wrote ${WRITTEN}`) });
    expect(notes[1]!.event).toEqual({ type: 'error', message: expect.stringContaining(`session s1 also wrote ${WRITTEN}`) });
    expect(published).toEqual([{ projectIds: ['p1'], sessionIds: ['s1', 's2'], path: WRITTEN }]);
  });

  it('asks whether a session has its own worktree only for a tool call that writes (the lookup costs a store read per event)', () => {
    const asked: string[] = [];
    const warnings = createConflictWarnings({
      admit: () => {}, projectOf: () => 'p1', publish: () => {},
      isolated: (id) => (asked.push(id), false),
    });
    for (const e of [...toolCalls('claude', 'tool'), ...toolCalls('codex', 'tool')]) warnings.note({ id: 'reader', cwd: CWD }, e);
    expect(asked).toEqual([]);
    for (const e of toolCalls('claude', 'write')) warnings.note({ id: 'writer', cwd: CWD }, e);
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['writer']));
  });
});
