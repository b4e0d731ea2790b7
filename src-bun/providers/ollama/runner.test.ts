// Runs the Ollama runner (the `ollama` npm library) against the scripted model server's Ollama API.
import { describe, expect, it } from 'bun:test';
import type { AgentEvent } from '../../../src/shared/events';
import { FINAL_TEXT, startModelServer } from '../../../test/model-server/main';
import { OLLAMA_VERSION } from '../../../test/model-server/ollama';
import { collectTurn as turn, ofType, runnerSuite } from '../../../test/runner-suite';
import { ProviderError, type RunnerConfig } from '../types';
import { ollamaHost } from './probe';
import { NO_HISTORY_NOTE, createOllamaRunner } from './runner';

const suite = runnerSuite({ server: { slowDeltaMs: 50 } });

const config = (extra: Partial<RunnerConfig> = {}): RunnerConfig => ({
  provider: 'ollama', cwd: '/tmp', permissionMode: 'default', env: { PATH: '/usr/bin' }, host: suite.server.url, model: 'llama3.2:1b', ...extra,
});

const chats = (from: number) => suite.server.requests.slice(from).filter((r) => r.path === '/api/chat');

describe('Ollama runner', () => {
  it('holds a multi-turn conversation: each follow-up sends the history', async () => {
    const runner = createOllamaRunner(config());
    const before = suite.server.requests.length;
    const first = await turn(runner, '[scenario:text] Hello.');
    expect(first.error).toBeUndefined();
    expect(ofType(first.events, 'init')).toEqual([{ type: 'init', providerSessionId: expect.stringMatching(/^ollama-/), model: 'llama3.2:1b', version: OLLAMA_VERSION }]);
    expect(new Set(ofType(first.events, 'text').map((t) => t.id)).size).toBe(1);
    expect(ofType(first.events, 'text').map((t) => t.text).join('')).toBe(FINAL_TEXT.text);
    const second = await turn(runner, '[scenario:text] Again.');
    expect(ofType(second.events, 'init')).toEqual([]);
    expect(chats(before).map((r) => r.historyTurns)).toEqual([0, 1]);
    const [a, b] = [ofType(first.events, 'cost')[0]!, ofType(second.events, 'cost')[0]!];
    expect(a.costUsd).toBe(0);
    expect(b.inputTokens).toBeGreaterThan(a.inputTokens);
    expect(ofType(second.events, 'text')[0]!.id).not.toBe(ofType(first.events, 'text')[0]!.id);
  });

  it('turns thinking on only for a model that can think', async () => {
    const thinker = await turn(createOllamaRunner(config({ model: 'qwen3:0.6b' })), '[scenario:thinking] Think.');
    expect(thinker.error).toBeUndefined();
    expect(ofType(thinker.events, 'thinking').map((t) => t.text).join('')).toBe(FINAL_TEXT.thinking);
    // The scripted server answers 400 to `think` for a model without the capability, as Ollama does.
    const plain = await turn(createOllamaRunner(config()), '[scenario:thinking] Think.');
    expect(plain.error).toBeUndefined();
    expect(ofType(plain.events, 'thinking')).toEqual([]);
  });

  it('fails fast with a clear error when Ollama is not running', async () => {
    const closed = await startModelServer();
    const url = closed.url;
    await closed.stop();
    const started = performance.now();
    const { error, events } = await turn(createOllamaRunner(config({ host: url })), 'Hello.');
    expect(performance.now() - started).toBeLessThan(3_500);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toStartWith(`Ollama is not running at ${url}`);
    expect(events).toEqual([]);
  });

  it('names a missing model, and a server error leaves the history as it was', async () => {
    const missing = await turn(createOllamaRunner(config({ model: 'nope:1b' })), 'Hello.');
    expect((missing.error as Error).message).toContain('ollama pull nope:1b');
    const runner = createOllamaRunner(config());
    const failed = await turn(runner, '[scenario:http500] Anything.');
    expect(failed.error).toBeInstanceOf(ProviderError);
    const before = suite.server.requests.length;
    await turn(runner, '[scenario:text] Hello.');
    expect(chats(before).map((r) => r.historyTurns)).toEqual([0]);
  });

  it('stops a streaming reply promptly and keeps the partial reply in the history', async () => {
    const runner = createOllamaRunner(config());
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const running = runner.runTurn({ prompt: '[scenario:slow:20] Go slowly.', signal: controller.signal }, (e) => {
      events.push(e);
      if (e.type === 'text' && e.text.startsWith('tick 3')) controller.abort(new Error('stop'));
    });
    await running;
    const text = ofType(events, 'text').map((t) => t.text).join('');
    expect(text).toStartWith('tick 1 tick 2 tick 3 ');
    // Left alone the stream runs 20 s to "tick 100": the stop cut it short.
    expect(Math.max(...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])))).toBeLessThan(100);
    const before = suite.server.requests.length;
    await turn(runner, '[scenario:text] Still there?');
    expect(chats(before).map((r) => r.historyTurns)).toEqual([1]);
  });

  it('says that a restarted session starts without its history, under the same id', async () => {
    const { events } = await turn(createOllamaRunner(config({ resumeId: 'ollama-abc' })), '[scenario:text] Hello again.');
    expect(ofType(events, 'init')[0]!.providerSessionId).toBe('ollama-abc');
    expect(ofType(events, 'text')[0]!.text).toBe(NO_HISTORY_NOTE);
  });

  it('takes the host from the setting, else OLLAMA_HOST, else the default', () => {
    expect(ollamaHost('http://box:1', { OLLAMA_HOST: 'http://env:2' })).toBe('http://box:1');
    expect(ollamaHost(undefined, { OLLAMA_HOST: 'http://env:2' })).toBe('http://env:2');
    expect(ollamaHost('', {})).toBe('http://127.0.0.1:11434');
  });
});
