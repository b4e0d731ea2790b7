import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { EDIT_FILE, WRITE_FILE } from '../../../test/model-server/main';
import { createClaudeAdapter } from './adapter';
import { claudeCallEdits, claudeResultEdits } from './edits';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/claude');

/** A recorded fixture through one adapter; every event checked against the schema. */
function adapt(name: string): AgentEvent[] {
  const adapter = createClaudeAdapter();
  const lines = readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim());
  const events = lines.flatMap((l) => adapter.adapt(JSON.parse(l)));
  for (const event of events) expect(AgentEventSchema.parse(event)).toEqual(event);
  return events;
}
const calls = (events: AgentEvent[]) => events.filter((e): e is Extract<AgentEvent, { type: 'tool_call' }> => e.type === 'tool_call');

describe('Claude file edits on recorded streams', () => {
  it('shows an Edit as its snippets at once, then placed in the file by the structuredPatch of its result', () => {
    const events = adapt('edit');
    const path = `/tmp/corral-fixture/proj/${EDIT_FILE.name}`;
    const edits = calls(events).filter((c) => c.name === 'Edit');
    expect(edits).toHaveLength(2);
    expect(edits[0]!.id).toBe(edits[1]!.id);
    expect(edits[0]!.edits).toEqual([{ path, oldText: EDIT_FILE.oldString, newText: EDIT_FILE.newString }]);
    expect(edits[1]!.edits).toEqual([{
      path, oldStart: 1, newStart: 1,
      oldText: 'alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\ngolf\n',
      newText: 'alpha\nbravo\ncharlie\nDELTA\ndelta two\necho\nfoxtrot\ngolf\n',
    }]);
    // The refined call comes before its result, so the pane never shows a result ahead of the diff.
    const order = events.filter((e) => 'id' in e && e.id === edits[0]!.id).map((e) => e.type);
    expect(order).toEqual(['tool_call', 'tool_call', 'tool_result']);
    // Read is no edit.
    expect(calls(events).find((c) => c.name === 'Read')!.edits).toBeUndefined();
  });

  it('shows a Write that created a file as the whole new file, once its result says it created it', () => {
    const events = adapt('write');
    const writes = calls(events).filter((c) => c.name === 'Write');
    expect(writes).toHaveLength(2);
    expect(writes[0]!.edits).toBeUndefined();
    expect(writes[1]!.edits).toEqual([{ path: `/tmp/corral-fixture/proj/${WRITE_FILE.name}`, oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 }]);
  });

  it('adds no edits to other tools, nor to a failed edit', () => {
    expect(calls(adapt('tool')).every((c) => c.edits === undefined)).toBe(true);
    const adapter = createClaudeAdapter();
    adapter.adapt({ type: 'assistant', message: { id: 'm1', content: [{ type: 'tool_use', id: 't1', name: 'Edit', input: { file_path: '/p/a', old_string: 'x', new_string: 'y' } }] } });
    const failed = adapter.adapt({
      type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: 't1', content: 'String to replace not found', is_error: true }] },
      tool_use_result: 'Error: String to replace not found',
    });
    expect(failed.map((e) => e.type)).toEqual(['tool_result']);
  });
});

describe('claudeCallEdits / claudeResultEdits', () => {
  it('maps MultiEdit to one edit per change, and nothing for Write or a missing path', () => {
    expect(claudeCallEdits('MultiEdit', { file_path: '/p/a', edits: [{ old_string: 'a', new_string: 'b' }, { old_string: 'c', new_string: '' }] })).toEqual([
      { path: '/p/a', oldText: 'a', newText: 'b' }, { path: '/p/a', oldText: 'c', newText: '' },
    ]);
    expect(claudeCallEdits('Write', { file_path: '/p/a', content: 'x' })).toBeUndefined();
    expect(claudeCallEdits('Edit', { old_string: 'a', new_string: 'b' })).toBeUndefined();
  });

  it('places each hunk of a Write that replaced a file, and ignores a result without a patch', () => {
    expect(claudeResultEdits({
      type: 'update', filePath: '/p/a', content: 'x\nY\n', originalFile: 'x\ny\n',
      structuredPatch: [{ oldStart: 1, oldLines: 2, newStart: 1, newLines: 2, lines: [' x', '-y', '+Y'] }, { oldStart: 40, newStart: 41, lines: ['-z', '\\ No newline at end of file'] }],
    })).toEqual([
      { path: '/p/a', oldText: 'x\ny\n', newText: 'x\nY\n', oldStart: 1, newStart: 1 },
      { path: '/p/a', oldText: 'z\n', newText: '', oldStart: 40, newStart: 41 },
    ]);
    expect(claudeResultEdits({ filePath: '/p/a', structuredPatch: [] })).toBeUndefined();
    expect(claudeResultEdits('done')).toBeUndefined();
  });
});
