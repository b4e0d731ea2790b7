import { describe, expect, it } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { FINAL_TEXT } from '../../../test/model-server/main';
import { createOllamaAdapter } from './adapter';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/ollama');
const load = (name: string): Array<Record<string, any>> =>
  readFileSync(resolve(FIXTURES, `${name}.jsonl`), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

function adapt(adapter: ReturnType<typeof createOllamaAdapter>, name: string, prefix: string): AgentEvent[] {
  adapter.startTurn(prefix);
  const events = load(name).flatMap((chunk) => adapter.adapt(chunk));
  for (const event of events) expect(AgentEventSchema.parse(event)).toEqual(event);
  return events;
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

describe('Ollama adapter on recorded /api/chat streams', () => {
  it('merges a streamed reply into one assistant message, not one per token', () => {
    const adapter = createOllamaAdapter();
    const chunks = load('text');
    const events = adapt(adapter, 'text', 't1');
    const texts = ofType(events, 'text');
    expect(texts.length).toBe(chunks.length - 1);
    expect(new Set(texts.map((t) => t.id))).toEqual(new Set(['t1:text']));
    expect(texts.every((t) => t.mode === 'append' && t.role === 'assistant')).toBe(true);
    expect(texts.map((t) => t.text).join('')).toBe(FINAL_TEXT.text);
    expect(adapter.reply()).toEqual({ role: 'assistant', content: FINAL_TEXT.text });
  });

  it('reports prompt_eval_count and eval_count as tokens at a local cost of 0 USD', () => {
    const done = load('text').at(-1)!;
    const [cost] = ofType(adapt(createOllamaAdapter(), 'text', 't1'), 'cost');
    expect(cost).toEqual({
      type: 'cost', scope: 'sidecar', costUsd: 0, inputTokens: done.prompt_eval_count, outputTokens: done.eval_count,
      contextTokens: done.prompt_eval_count + done.eval_count,
    });
  });

  it('merges thinking into one thinking message beside the answer', () => {
    const adapter = createOllamaAdapter();
    const events = adapt(adapter, 'thinking', 't1');
    const thinking = ofType(events, 'thinking');
    expect(new Set(thinking.map((t) => t.id))).toEqual(new Set(['t1:thinking']));
    expect(thinking.map((t) => t.text).join('')).toBe(FINAL_TEXT.thinking);
    expect(ofType(events, 'text').map((t) => t.text).join('')).toBe(`${FINAL_TEXT.thinkingIntro}${FINAL_TEXT.noTool}`);
    expect(adapter.reply().thinking).toBe(FINAL_TEXT.thinking);
  });

  it('keeps running totals over turns, and each turn\'s messages apart', () => {
    const adapter = createOllamaAdapter();
    const first = adapt(adapter, 'text', 't1');
    const second = adapt(adapter, 'follow-up', 't2');
    const [a, b] = [ofType(first, 'cost')[0]!, ofType(second, 'cost')[0]!];
    const followUp = load('follow-up').at(-1)!;
    expect(b.inputTokens).toBe(a.inputTokens + followUp.prompt_eval_count);
    expect(b.outputTokens).toBe(a.outputTokens + followUp.eval_count);
    expect(b.contextTokens).toBe(followUp.prompt_eval_count + followUp.eval_count);
    expect(ofType(second, 'text')[0]!.id).toBe('t2:text');
    expect(adapter.reply()).toEqual({ role: 'assistant', content: FINAL_TEXT.text });
  });

  it('says when the reply was cut at the token limit, and ignores junk', () => {
    const adapter = createOllamaAdapter();
    adapter.startTurn('t1');
    expect(ofType(adapter.adapt({ message: { content: '' }, done: true, done_reason: 'length', prompt_eval_count: 5, eval_count: 9 }), 'error')).toHaveLength(1);
    for (const junk of [null, 'x', { message: 5 }, { message: { content: 7 } }]) expect(adapter.adapt(junk)).toEqual([]);
  });
});
