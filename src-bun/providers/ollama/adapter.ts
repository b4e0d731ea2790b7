/**
 * Pure adapter: Ollama `/api/chat` stream chunks (the `ChatResponse` objects
 * the `ollama` npm library yields) -> Corral {@link AgentEvent}s. No I/O, no
 * clock; anything it does not understand maps to `[]`.
 *
 * Source shapes (see test/fixtures/ollama/*.jsonl):
 *  - `{model, created_at, message:{role:'assistant', content, thinking?}, done:false}`: one token or a few;
 *  - `{…, message:{content:''}, done:true, done_reason:'stop'|'length'|'load', total_duration,
 *    load_duration, prompt_eval_count, prompt_eval_duration, eval_count, eval_duration}` (durations ns).
 *
 * Streamed pieces of one turn merge into one assistant message and one
 * thinking message (`mode:'append'` on a stable id per turn): the seed
 * design made one message per token.
 */
import type { AgentEvent } from '../../../src/shared/events';
import { ID_MAX, TEXT_MAX, clip, int, isObj, str } from '../raw-fields';

/** A stateful adapter for one Ollama conversation; no method throws or does I/O. */
export type OllamaAdapter = {
  /** Starts a turn: its text and thinking get ids `<prefix>:text` and `<prefix>:thinking`; the reply buffer empties. */
  startTurn(prefix: string): void;
  /** Maps one chat chunk. */
  adapt(chunk: unknown): AgentEvent[];
  /** The assistant message streamed so far this turn, for the conversation history the runner sends next time. */
  reply(): { role: 'assistant'; content: string; thinking?: string };
};

/**
 * Creates an adapter. Token totals grow over the conversation: input is the
 * sum of `prompt_eval_count` (each turn re-sends the history, and Ollama
 * evaluates it again unless cached), output the sum of `eval_count`; the
 * context in use is the last turn's prompt plus its output. Cost is 0 USD:
 * the model runs locally.
 */
export function createOllamaAdapter(): OllamaAdapter {
  let prefix = '';
  let content = '';
  let thinking = '';
  let inputTokens = 0;
  let outputTokens = 0;
  return {
    startTurn(p) {
      prefix = p ? `${p}:` : '';
      content = '';
      thinking = '';
    },
    adapt(chunk) {
      try {
        if (!isObj(chunk)) return [];
        const events: AgentEvent[] = [];
        const message = isObj(chunk.message) ? chunk.message : {};
        const thought = str(message.thinking);
        if (thought) {
          thinking += thought;
          events.push({ type: 'thinking', id: clip(`${prefix}thinking`, ID_MAX), text: clip(thought, TEXT_MAX), mode: 'append' });
        }
        const text = str(message.content);
        if (text) {
          content += text;
          events.push({ type: 'text', id: clip(`${prefix}text`, ID_MAX), role: 'assistant', text: clip(text, TEXT_MAX), mode: 'append' });
        }
        if (chunk.done === true) {
          const prompt = int(chunk.prompt_eval_count);
          const output = int(chunk.eval_count);
          inputTokens += prompt;
          outputTokens += output;
          events.push({ type: 'cost', scope: 'sidecar', costUsd: 0, inputTokens, outputTokens, ...(prompt + output > 0 ? { contextTokens: prompt + output } : {}) });
          if (chunk.done_reason === 'length') {
            events.push({ type: 'error', message: 'Ollama stopped the reply at the output token limit (num_predict or the context window)' });
          }
        }
        return events;
      } catch {
        // Defensive: a malformed chunk must never take the sidecar down.
        return [];
      }
    },
    reply() {
      return { role: 'assistant', content, ...(thinking ? { thinking } : {}) };
    },
  };
}
