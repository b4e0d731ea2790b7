import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import type { ProviderInfo } from '../../shared/rpc/providers';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { createTestStores } from '../testing/app-stores';
import { deferred } from '../testing/fake-rpc';
import { settle } from '../testing/settle';
import AgentPane from './AgentPane.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const OLLAMA_DOWN = 'Ollama is not running at http://127.0.0.1:11434 (fetch failed). Start it with `ollama serve`, or set the Ollama host in Settings.';

const LIST: ProviderInfo[] = [
  { id: 'claude', label: 'Claude Code', available: true, version: 'Agent SDK 0.3.330', reason: null, models: [] },
  { id: 'codex', label: 'Codex', available: true, version: 'codex-cli 0.169.0', reason: null, models: [] },
  { id: 'ollama', label: 'Ollama', available: true, version: 'Ollama 0.12.0', reason: null, models: ['llama3.2:1b', 'qwen3:0.6b'] },
  { id: 'acp', label: 'ACP agent', available: false, version: null, reason: 'No ACP agent command set in Settings (installed here: gemini --acp)', models: [] },
];

async function renderPane(opts: { list?: ProviderInfo[]; settings?: Partial<Settings> } = {}) {
  const t = createTestStores();
  t.rpc.handle('providers.list', () => opts.list ?? LIST);
  t.rpc.handle('settings.getAll', () => ({ ...DEFAULT_SETTINGS, ...opts.settings }));
  await t.stores.settings.load();
  await t.stores.providers.load();
  render(AgentPane, { props: { project }, context: t.context });
  flushSync();
  const q = within(screen.getByRole('region', { name: 'alpha' }));
  const picker = () => q.getByRole('combobox', { name: 'Provider' }) as HTMLSelectElement;
  const choose = async (id: string) => {
    await fireEvent.change(picker(), { target: { value: id } });
    flushSync();
  };
  const send = async (text: string) => {
    await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: text } });
    await fireEvent.click(q.getByRole('button', { name: 'Send' }));
    await settle();
    flushSync();
  };
  return { ...t, q, picker, choose, send };
}

/** The text that describes the picked provider (its aria-describedby target). */
const description = (select: HTMLElement) => document.getElementById(select.getAttribute('aria-describedby')!)!.textContent!.trim();

describe('AgentPane: provider picker', () => {
  it('shows each provider with its version, or why it cannot run, in the option text itself', async () => {
    const { picker } = await renderPane();
    expect([...picker().options].map((o) => [o.value, o.textContent!.trim(), o.disabled])).toEqual([
      ['claude', 'Claude Code — Agent SDK 0.3.330', false],
      ['codex', 'Codex — codex-cli 0.169.0', false],
      ['ollama', 'Ollama — Ollama 0.12.0', false],
      ['acp', 'ACP agent — unavailable: No ACP agent command set in Settings (installed here: gemini --acp)', true],
    ]);
  });

  it('describes the picked provider under the picker, with the whole reason when it cannot run', async () => {
    const list = LIST.map((p) => (p.id === 'claude' ? { ...p, available: false, version: null, reason: 'claude executable not found at /opt/claude' } : p));
    const { picker, choose } = await renderPane({ list });
    expect(description(picker())).toBe('Unavailable: claude executable not found at /opt/claude');
    await choose('codex');
    expect(picker().value).toBe('codex');
    expect(description(picker())).toBe('Available: codex-cli 0.169.0');
  });

  it('clips a long reason in the option, and keeps it whole in the option title', async () => {
    const { picker } = await renderPane({ list: LIST.map((p) => (p.id === 'ollama' ? { ...p, available: false, version: null, reason: OLLAMA_DOWN, models: [] } : p)) });
    const ollama = [...picker().options].find((o) => o.value === 'ollama')!;
    expect(ollama.disabled).toBe(true);
    expect(ollama.textContent!.trim().endsWith('…')).toBe(true);
    expect(ollama.textContent!.startsWith('Ollama — unavailable: Ollama is not running at http://127.0.0.1:11434')).toBe(true);
    expect(ollama.title).toBe(OLLAMA_DOWN);
  });

  it('checks again on Refresh providers, busy while the request runs', async () => {
    const { q, rpc, picker } = await renderPane();
    const answer = deferred<ProviderInfo[]>();
    rpc.handle('providers.list', () => answer.promise);
    const refresh = q.getByRole('button', { name: 'Refresh providers' }) as HTMLButtonElement;
    await fireEvent.click(refresh);
    flushSync();
    expect(rpc.callsOf('providers.list')).toHaveLength(2);
    expect([refresh.disabled, refresh.getAttribute('aria-busy')]).toEqual([true, 'true']);
    answer.resolve(LIST.map((p) => (p.id === 'acp' ? { ...p, available: true, version: 'gemini 0.61.0', reason: null } : p)));
    await settle();
    flushSync();
    expect(refresh.disabled).toBe(false);
    const acp = [...picker().options].find((o) => o.value === 'acp')!;
    expect([acp.textContent!.trim(), acp.disabled]).toEqual(['ACP agent — gemini 0.61.0', false]);
  });

  it('starts Claude Code and Codex without options, and locks the picker to the session provider', async () => {
    const { rpc, picker, choose, send, q } = await renderPane();
    await choose('codex');
    expect(q.queryByRole('combobox', { name: 'Model' })).toBeNull();
    await send('hi');
    expect(rpc.callsOf('agent.start')).toEqual([{ projectId: 'p1', provider: 'codex', prompt: 'hi' }]);
    expect([picker().value, picker().disabled]).toEqual(['codex', true]);
  });
});

describe('AgentPane: Ollama model picker', () => {
  it('defaults to the first installed model and sends it on start', async () => {
    const { q, rpc, choose, send } = await renderPane();
    expect(q.queryByRole('combobox', { name: 'Model' })).toBeNull();
    await choose('ollama');
    const model = q.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    expect([...model.options].map((o) => o.value)).toEqual(['llama3.2:1b', 'qwen3:0.6b']);
    expect(model.value).toBe('llama3.2:1b');
    await send('hello');
    expect(rpc.callsOf('agent.start')).toEqual([{ projectId: 'p1', provider: 'ollama', prompt: 'hello', options: { model: 'llama3.2:1b' } }]);
  });

  it('defaults to the model from Settings, and sends the one picked instead', async () => {
    const { q, rpc, choose, send } = await renderPane({ settings: { provider_settings: { ollama: { model: 'qwen3:0.6b' } } } });
    await choose('ollama');
    const model = q.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    expect(model.value).toBe('qwen3:0.6b');
    expect(model.selectedOptions[0]!.textContent).toBe('qwen3:0.6b (default)');
    await fireEvent.change(model, { target: { value: 'llama3.2:1b' } });
    flushSync();
    await send('hello');
    expect(rpc.callsOf('agent.start')[0]!.options).toEqual({ model: 'llama3.2:1b' });
  });

  it('keeps a default from Settings that the server does not have, marked so', async () => {
    const { q, choose } = await renderPane({ settings: { provider_settings: { ollama: { model: 'mistral:7b' } } } });
    await choose('ollama');
    const model = q.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    expect([...model.options].map((o) => o.textContent)).toEqual(['mistral:7b (default, not installed)', 'llama3.2:1b', 'qwen3:0.6b']);
    expect(model.value).toBe('mistral:7b');
  });

  it('shows the session model, locked, once the session reported it; a follow-up sends no options', async () => {
    const { q, rpc, choose, send } = await renderPane();
    await choose('ollama');
    await send('first');
    rpc.emit('agent.message', { sessionId: 's1', messages: [{ seqId: 0, ts: 1, event: { type: 'init', providerSessionId: 'o-1', model: 'llama3.2:1b' } }] });
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    flushSync();
    const model = q.getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    expect([model.value, model.disabled]).toEqual(['llama3.2:1b', true]);
    await send('second');
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 's1', prompt: 'second' }]);
  });
});
