import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { CODEX_SANDBOX_MODES, DEFAULT_OLLAMA_HOST } from '../../shared/providers';
import type { ProviderInfo } from '../../shared/rpc/providers';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import SettingsView from './SettingsView.svelte';

const PRESETS = [
  { id: 'gemini', label: 'Gemini CLI', command: 'gemini --acp', installed: true },
  { id: 'claude-agent-acp', label: 'Claude Code (ACP adapter)', command: 'claude-agent-acp', installed: true },
  { id: 'codex-acp', label: 'Codex (ACP adapter)', command: 'codex-acp', installed: false },
  { id: 'qwen', label: 'Qwen Code', command: 'qwen --acp', installed: false },
];

function listFor(settings: Settings): ProviderInfo[] {
  const host = settings.provider_settings.ollama?.host;
  const reachable = host === 'http://gpu-box:11434';
  return [
    { id: 'claude', label: 'Claude Code', available: true, version: 'Agent SDK 0.3.330', reason: null, models: [] },
    { id: 'codex', label: 'Codex', available: true, version: 'codex-cli 0.169.0', reason: null, models: [] },
    reachable
      ? { id: 'ollama', label: 'Ollama', available: true, version: 'Ollama 0.12.0', reason: null, models: ['llama3.2:1b', 'qwen3:0.6b'] }
      : { id: 'ollama', label: 'Ollama', available: false, version: null, reason: `Ollama is not running at ${host ?? DEFAULT_OLLAMA_HOST}`, models: [] },
    { id: 'acp', label: 'ACP agent', available: Boolean(settings.provider_settings.acp?.command), version: null, reason: 'No ACP agent command set in Settings', models: [], presets: PRESETS },
  ];
}

/** Settings over a fake main process whose providers.list answers from the stored settings, as the real one does. */
async function renderSettings(initial: Partial<Settings> = {}) {
  const t = createTestStores();
  let stored: Settings = { ...DEFAULT_SETTINGS, ...initial };
  t.rpc.handle('settings.getAll', () => stored);
  t.rpc.handle('settings.set', ({ key, value }) => (stored = { ...stored, [key]: value }));
  t.rpc.handle('providers.list', () => listFor(stored));
  await Promise.all([t.stores.providers.load(), t.stores.settings.load()]);
  render(SettingsView, { props: { onClose: () => {} }, context: t.context });
  flushSync();
  const group = (name: string) => within(screen.getByRole('group', { name }));
  const save = async () => {
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await settle();
    flushSync();
  };
  return { ...t, stored: () => stored, group, save };
}

const input = (el: HTMLElement) => el as HTMLInputElement;
const select = (el: HTMLElement) => el as HTMLSelectElement;

describe('SettingsView: providers', () => {
  it('shows whether each provider can run here', async () => {
    const { group } = await renderSettings();
    expect(group('Codex').getByText('Available: codex-cli 0.169.0')).toBeInstanceOf(HTMLElement);
    expect(group('Ollama').getByText(`Unavailable: Ollama is not running at ${DEFAULT_OLLAMA_HOST}`)).toBeInstanceOf(HTMLElement);
  });

  it('saves a new Ollama host, checks availability again, and offers the installed models as the default model', async () => {
    const { group, save, stored, rpc, stores } = await renderSettings();
    const host = input(group('Ollama').getByLabelText('Ollama host'));
    expect([host.value, host.placeholder]).toEqual(['', DEFAULT_OLLAMA_HOST]);
    expect(group('Ollama').getByLabelText('Default model').getAttribute('list')).toBeNull();
    await fireEvent.input(host, { target: { value: ' http://gpu-box:11434 ' } });
    await save();
    expect(stored().provider_settings).toEqual({ ollama: { host: 'http://gpu-box:11434' } });
    expect(rpc.callsOf('providers.list')).toHaveLength(2);
    expect(stores.providers.available('ollama')).toBe(true);
    flushSync();
    expect(group('Ollama').getByText('Available: Ollama 0.12.0')).toBeInstanceOf(HTMLElement);
    const model = input(group('Ollama').getByLabelText('Default model'));
    const datalist = document.getElementById(model.getAttribute('list')!) as HTMLDataListElement;
    expect([...datalist.options].map((o) => o.value)).toEqual(['llama3.2:1b', 'qwen3:0.6b']);
    await fireEvent.input(model, { target: { value: 'qwen3:0.6b' } });
    await save();
    expect(stored().provider_settings).toEqual({ ollama: { host: 'http://gpu-box:11434', model: 'qwen3:0.6b' } });
  });

  it('refuses a malformed Ollama host next to the field, and saves nothing', async () => {
    const { group, save, rpc } = await renderSettings();
    const host = input(group('Ollama').getByLabelText('Ollama host'));
    await fireEvent.input(host, { target: { value: 'ftp://gpu-box' } });
    flushSync();
    expect(group('Ollama').getByRole('alert').textContent).toBe('Enter a URL like http://127.0.0.1:11434');
    expect(host.getAttribute('aria-invalid')).toBe('true');
    await save();
    expect(rpc.callsOf('settings.set')).toEqual([]);
    expect(screen.getByRole('status').textContent).toContain('Nothing saved');
  });

  it('offers the ACP presets marked installed or not; picking one fills the command, which stays editable', async () => {
    const { group, save, stored } = await renderSettings();
    const preset = select(group('ACP agent').getByLabelText('ACP agent preset'));
    const command = input(group('ACP agent').getByLabelText('ACP agent command'));
    expect([...preset.options].map((o) => o.textContent)).toEqual([
      'Custom command',
      'Gemini CLI: gemini --acp (installed)',
      'Claude Code (ACP adapter): claude-agent-acp (installed)',
      'Codex (ACP adapter): codex-acp (not installed)',
      'Qwen Code: qwen --acp (not installed)',
    ]);
    expect(preset.value).toBe('');
    await fireEvent.change(preset, { target: { value: 'gemini' } });
    flushSync();
    expect(command.value).toBe('gemini --acp');
    await fireEvent.input(command, { target: { value: 'gemini --acp --model gemini-2.5-flash' } });
    flushSync();
    expect(preset.value).toBe('');
    await save();
    expect(stored().provider_settings).toEqual({ acp: { command: 'gemini --acp --model gemini-2.5-flash' } });
  });

  it('selects the preset of a stored command', async () => {
    const { group } = await renderSettings({ provider_settings: { acp: { command: 'claude-agent-acp' } } });
    expect(select(group('ACP agent').getByLabelText('ACP agent preset')).value).toBe('claude-agent-acp');
  });

  it('sets the Codex sandbox default, or leaves it to the permission mode, keeping the executable', async () => {
    const { group, save, stored } = await renderSettings({ provider_settings: { codex: { executable: '/opt/codex' } } });
    const sandbox = select(group('Codex').getByLabelText('Codex sandbox'));
    expect([...sandbox.options].map((o) => o.value)).toEqual(['', ...CODEX_SANDBOX_MODES]);
    expect([sandbox.value, sandbox.selectedOptions[0]!.textContent]).toEqual(['', 'From the permission mode']);
    await fireEvent.change(sandbox, { target: { value: 'read-only' } });
    await save();
    expect(stored().provider_settings).toEqual({ codex: { executable: '/opt/codex', sandbox: 'read-only' } });
    await fireEvent.change(sandbox, { target: { value: '' } });
    await save();
    expect(stored().provider_settings).toEqual({ codex: { executable: '/opt/codex' } });
    expect(screen.getByRole('status').textContent).toBe('Settings saved.');
  });
});
