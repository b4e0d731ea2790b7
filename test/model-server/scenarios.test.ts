import { describe, expect, it } from 'bun:test';
import { APPEND_COMMAND, replyFor } from './scenarios';
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
