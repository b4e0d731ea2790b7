import { describe, expect, it } from 'bun:test';
import { APPEND_COMMAND, EDIT_FILE, EDIT_PATCH, FINAL_TEXT, replyFor } from './scenarios';
import type { ParsedTurn } from './types';

const turn = (over: Partial<ParsedTurn>): ParsedTurn => ({
  scenario: { name: 'append-then-stall' }, toolNames: ['Bash', 'Write'], isToolResultFollowUp: false, model: 'm', promptTokens: 10, historyTurns: 0, ...over,
});

describe('append-then-stall scenario', () => {
  it('runs one Bash command that appends a line, then hangs the turn once the result comes back', () => {
    expect(replyFor(turn({}))).toEqual({
      kind: 'stream', stop: 'tool_use',
      blocks: [{ type: 'tool_use', name: 'Bash', input: { command: APPEND_COMMAND, description: 'Append a line to a file' } }],
    });
    expect(replyFor(turn({ isToolResultFollowUp: true }))).toEqual({ kind: 'stream', blocks: [], stop: 'end_turn', stall: true });
  });
});

describe('edit scenario', () => {
  const edit = (over: Partial<ParsedTurn>) => replyFor(turn({ scenario: { name: 'edit' }, cwd: '/p', ...over }));
  it('has Claude Code read the file, then Edit it, then report', () => {
    const claude = { toolNames: ['Bash', 'Read', 'Edit', 'Write'] };
    expect(edit(claude)).toMatchObject({ stop: 'tool_use', blocks: [{ name: 'Read', input: { file_path: `/p/${EDIT_FILE.name}` } }] });
    expect(edit({ ...claude, isToolResultFollowUp: true, historyTurns: 1 })).toMatchObject({
      stop: 'tool_use', blocks: [{ name: 'Edit', input: { file_path: `/p/${EDIT_FILE.name}`, old_string: EDIT_FILE.oldString, new_string: EDIT_FILE.newString } }],
    });
    expect(edit({ ...claude, isToolResultFollowUp: true, historyTurns: 2 })).toEqual({ kind: 'stream', blocks: [{ type: 'text', text: FINAL_TEXT.edit }], stop: 'end_turn' });
    expect(EDIT_FILE.before.replace(EDIT_FILE.oldString, EDIT_FILE.newString)).toBe(EDIT_FILE.after);
  });

  it('has Codex apply one patch, then report', () => {
    expect(edit({ toolNames: ['exec_command', 'apply_patch'] })).toMatchObject({ stop: 'tool_use', blocks: [{ name: 'apply_patch', freeform: EDIT_PATCH }] });
    expect(edit({ toolNames: ['exec_command', 'apply_patch'], isToolResultFollowUp: true, historyTurns: 1 })).toMatchObject({ blocks: [{ type: 'text', text: FINAL_TEXT.edit }] });
  });
});
