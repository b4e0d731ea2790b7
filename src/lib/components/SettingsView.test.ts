import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import SettingsView from './SettingsView.svelte';

async function renderSettings(initial: Partial<Settings> = {}) {
  const t = createTestStores();
  let stored: Settings = { ...DEFAULT_SETTINGS, ...initial };
  t.rpc.handle('settings.getAll', () => stored);
  t.rpc.handle('settings.set', ({ key, value }) => (stored = { ...stored, [key]: value }));
  await t.stores.settings.load();
  let closed = 0;
  render(SettingsView, { props: { onClose: () => closed++ }, context: t.context });
  flushSync();
  return { ...t, stored: () => stored, closed: () => closed };
}

const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

async function typeInto(label: string, value: string) {
  await fireEvent.input(field(label), { target: { value } });
  flushSync();
}

async function save() {
  await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  // The first save loads the settings schemas (a chunk of their own): wait for its result line.
  await vi.waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/saved|Nothing/));
  await settle();
  flushSync();
}

describe('SettingsView', () => {
  it('has the labelled inputs, filled with the current settings', async () => {
    await renderSettings({ stall_timeout_min: 20, retention_count: 7, retention_days: 10, permission_mode: 'plan', system_prompt_template: 'Be brief', provider_settings: { claude: { model: 'sonnet' } } });
    expect(screen.getByRole('region', { name: 'Settings' })).toBeInstanceOf(HTMLElement);
    expect(field('Stall timeout (minutes)').value).toBe('20');
    expect(field('Keep sessions per project').value).toBe('7');
    expect(field('Keep sessions for (days)').value).toBe('10');
    expect((screen.getByLabelText('Default permission mode') as HTMLSelectElement).value).toBe('plan');
    expect((screen.getByLabelText('System prompt template') as HTMLTextAreaElement).value).toBe('Be brief');
    const claude = screen.getByRole('group', { name: 'Claude Code' });
    expect((within(claude).getByLabelText('Default model') as HTMLInputElement).value).toBe('sonnet');
    expect(screen.getAllByLabelText('Default model')).toHaveLength(4);
  });

  it('shows the message of an out-of-range value at once, and saves nothing while one is wrong', async () => {
    const { rpc } = await renderSettings();
    await typeInto('Stall timeout (minutes)', '0');
    expect(screen.getByRole('alert').textContent).toBe('Stall timeout must be at least 1 minute');
    expect(field('Stall timeout (minutes)').getAttribute('aria-invalid')).toBe('true');
    await typeInto('Keep sessions per project', '51');
    await typeInto('Keep sessions for (days)', '366');
    await save();
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([
      'Stall timeout must be at least 1 minute', 'Keep at most 50 sessions', 'Keep sessions at most 365 days',
    ]);
    expect(rpc.callsOf('settings.set')).toEqual([]);
    expect(screen.getByRole('status').textContent).toContain('Nothing saved');
    await typeInto('Stall timeout (minutes)', '');
    expect(screen.getAllByRole('alert')[0].textContent).toBe('Enter a whole number');
  });

  it('saves changed values through settings.set, and the stores see them at once', async () => {
    const { rpc, stores, stored } = await renderSettings();
    await typeInto('Stall timeout (minutes)', '1');
    await typeInto('Keep sessions per project', '5');
    await typeInto('Keep sessions for (days)', '3');
    await fireEvent.change(screen.getByLabelText('Default permission mode'), { target: { value: 'default' } });
    await fireEvent.input(screen.getByLabelText('System prompt template'), { target: { value: 'Answer in French' } });
    await fireEvent.input(within(screen.getByRole('group', { name: 'Codex' })).getByLabelText('Default model'), { target: { value: 'gpt-5-codex' } });
    await save();
    expect(rpc.callsOf('settings.set')).toEqual([
      { key: 'stall_timeout_min', value: 1 },
      { key: 'retention_days', value: 3 },
      { key: 'permission_mode', value: 'default' },
      { key: 'system_prompt_template', value: 'Answer in French' },
      { key: 'provider_settings', value: { codex: { model: 'gpt-5-codex' } } },
    ]);
    expect(stored()).toMatchObject({ stall_timeout_min: 1, retention_days: 3, provider_settings: { codex: { model: 'gpt-5-codex' } } });
    expect(stores.settings.values.stall_timeout_min).toBe(1);
    expect(screen.getByRole('status').textContent).toBe('Settings saved.');
  });

  it('shows a refusal from the main process next to the field', async () => {
    const { rpc } = await renderSettings();
    rpc.handle('settings.set', () => Promise.reject(new Error('Invalid value for retention_count: Keep at most 50 sessions')));
    await typeInto('Keep sessions per project', '9');
    await save();
    expect(screen.getByRole('alert').textContent).toBe('Keep at most 50 sessions');
    expect(screen.getByRole('status').textContent).toBe('Some values were not saved.');
  });

  it('closes', async () => {
    const { closed } = await renderSettings();
    await fireEvent.click(screen.getByRole('button', { name: 'Close settings' }));
    expect(closed()).toBe(1);
  });
});

describe('SettingsView notifications', () => {
  it('says when the desktop cannot show OS notifications, with the reason, and nothing while they work', async () => {
    const t = await renderSettings();
    expect(screen.queryByRole('note')).toBeNull();
    t.stores.os.hostUnavailable('notify-send was not found; install libnotify-bin (apt-get install libnotify-bin)');
    flushSync();
    expect(screen.getByRole('note').textContent).toBe(
      'OS notifications are unavailable: notify-send was not found; install libnotify-bin (apt-get install libnotify-bin). In-app toasts and the notification center keep working.',
    );
  });
});
