/**
 * The Ollama provider runner: a multi-turn chat with a local model through
 * the `ollama` npm library. Ollama keeps no conversation on its side, so
 * the runner keeps the history (system prompt, then user/assistant pairs)
 * and sends it with every turn. I/O only; the mapping is the pure adapter's.
 */
import { Ollama, type Message } from 'ollama';
import type { AgentEvent } from '../../../src/shared/events';
import { ProviderError, type ProviderRunner, type RunnerConfig, type Turn } from '../types';
import { createOllamaAdapter } from './adapter';
import { ollamaHost, probeOllama } from './probe';

/** The text shown when a restarted session continues without the history (Ollama holds none). */
export const NO_HISTORY_NOTE =
  'Corral restarted this Ollama session: the model does not see the earlier messages of this pane (Ollama keeps no conversation itself). This prompt starts a fresh conversation.';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Creates the Ollama runner. Each turn first probes the server (a stopped
 * Ollama is reported within seconds), picks the model (`config.model`, else
 * the first installed one), turns `think` on when `/api/show` lists the
 * `thinking` capability, then streams `/api/chat` with the whole history.
 * The provider session id is a conversation id Corral makes up (or
 * `config.resumeId`). An abort ends the stream and keeps the partial reply in
 * the history.
 */
export function createOllamaRunner(config: RunnerConfig): ProviderRunner {
  const host = ollamaHost(config.host, config.env);
  const client = new Ollama({ host });
  const adapter = createOllamaAdapter();
  const history: Message[] = config.systemPrompt ? [{ role: 'system', content: config.systemPrompt }] : [];
  const conversationId = config.resumeId ?? `ollama-${crypto.randomUUID()}`;
  const thinks = new Map<string, boolean>();
  let turnCount = 0;
  let running = false;

  async function canThink(model: string): Promise<boolean> {
    const known = thinks.get(model);
    if (known !== undefined) return known;
    let capable = false;
    try {
      capable = (await client.show({ model })).capabilities?.includes('thinking') === true;
    } catch (e) {
      throw new ProviderError(`Ollama has no model ${model}: ${message(e)}. Pull it with \`ollama pull ${model}\`, or pick an installed model.`);
    }
    thinks.set(model, capable);
    return capable;
  }

  async function runTurn(turn: Turn, emit: (event: AgentEvent) => void): Promise<void> {
    if (turn.signal.aborted) return;
    if (running) throw new ProviderError('an Ollama turn is already running');
    running = true;
    const prefix = `t${++turnCount}-${crypto.randomUUID().slice(0, 8)}`;
    adapter.startTurn(prefix);
    try {
      let probe;
      try {
        probe = await probeOllama(host);
      } catch (e) {
        throw new ProviderError(message(e));
      }
      const model = config.model ?? probe.models[0];
      if (!model) throw new ProviderError(`Ollama at ${host} has no models installed: pull one with \`ollama pull <model>\``);
      const think = await canThink(model);
      if (turnCount === 1) {
        emit({ type: 'init', providerSessionId: conversationId, model, version: probe.version.slice(0, 64) });
        if (config.resumeId) emit({ type: 'text', id: `${prefix}:note`, role: 'assistant', text: NO_HISTORY_NOTE, mode: 'replace' });
      }
      if (turn.signal.aborted) return;
      history.push({ role: 'user', content: turn.prompt });
      let stream;
      try {
        stream = await client.chat({ model, messages: history, stream: true, ...(think ? { think: true } : {}) });
      } catch (e) {
        history.pop();
        throw new ProviderError(`Ollama refused the chat: ${message(e)}`);
      }
      const onAbort = () => stream.abort();
      turn.signal.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const chunk of stream) for (const event of adapter.adapt(chunk)) emit(event);
      } catch (e) {
        if (!turn.signal.aborted) {
          history.pop();
          throw new ProviderError(`Ollama stream failed: ${message(e)}`);
        }
      } finally {
        turn.signal.removeEventListener('abort', onAbort);
      }
      // Also after a stop: the partial reply is what the user saw, so the model sees it too.
      const reply = adapter.reply();
      history.push({ role: 'assistant', content: reply.content, ...(reply.thinking ? { thinking: reply.thinking } : {}) });
    } finally {
      running = false;
    }
  }

  return {
    runTurn,
    async close() {
      client.abort();
    },
  };
}
