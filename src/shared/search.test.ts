import { describe, expect, it } from 'vitest';
import { Transcript } from '../lib/stores/transcript';
import { wire } from '../lib/testing/wire';
import type { AgentEvent } from './events';
import { searchDocUpdate } from './search';

describe('searchDocUpdate', () => {
  it('keys every searchable event as the transcript keys the display message it lands in', () => {
    const events: AgentEvent[] = [
      { type: 'text', id: 'u', role: 'user', text: 'prompt', mode: 'replace' },
      { type: 'thinking', id: 't', text: 'hmm', mode: 'append' },
      { type: 'tool_call', id: 'c', name: 'Bash', input: {}, command: 'ls' },
      { type: 'tool_result', id: 'c', output: 'a.txt', isError: false },
      { type: 'text', id: 'a', role: 'assistant', text: 'done', mode: 'append' },
    ];
    const t = Transcript.fromStored(events.map((e, i) => wire(i, e)));
    expect(events.map((e) => searchDocUpdate(e)?.key)).toEqual(t.messages.map((m) => m.key));
    expect(events.map((e) => searchDocUpdate(e)?.role)).toEqual(t.messages.map((m) => m.role));
  });

  it('has nothing to index for events without searchable text', () => {
    const none: AgentEvent[] = [
      { type: 'status', status: 'done' },
      { type: 'cost', costUsd: 1, inputTokens: 1, outputTokens: 1 },
      { type: 'error', message: 'boom' },
      { type: 'tool_call', id: 'c', name: 'TodoWrite', input: { todos: [] } },
    ];
    expect(none.map(searchDocUpdate)).toEqual([null, null, null, null]);
  });
});
