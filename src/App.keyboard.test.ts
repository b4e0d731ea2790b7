import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from './App.svelte';
import type { Project } from './shared/records';
import { createFakeClock } from './shared/clock';
import { DEFAULT_SETTINGS, type Settings } from './shared/settings';
import { createFakeConnection } from './lib/testing/fake-connection';
import { createFakeRpc } from './lib/testing/fake-rpc';
import { settle } from './lib/testing/settle';

const alpha: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const beta: Project = { id: 'p2', name: 'beta', path: '/work/beta', createdAt: 2 };

beforeEach(() => {
  Element.prototype.scrollIntoView = vi.fn();
});

async function boot() {
  let stored: Settings = { ...DEFAULT_SETTINGS, theme: 'dark' };
  const rpc = createFakeRpc({
    'projects.list': () => [alpha, beta],
    'settings.getAll': () => stored,
    'settings.set': ({ key, value }) => (stored = { ...stored, [key]: value }),
  });
  render(App, { props: { rpc: rpc.client, connection: createFakeConnection().connection, clock: createFakeClock() } });
  await settle();
  flushSync();
  return { rpc };
}

/** Presses a key on whatever has focus, as the browser would (the event bubbles to the window). */
async function press(key: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}) {
  await fireEvent.keyDown(document.activeElement ?? document.body, { key, ...mods });
  await settle();
  flushSync();
}

async function paletteRun(query: string) {
  await press('k', { ctrlKey: true });
  const box = screen.getByRole('combobox', { name: 'Command' });
  await fireEvent.input(box, { target: { value: query } });
  await press('Enter');
}

const promptOf = (name: string) => within(screen.getByRole('region', { name })).getByRole('textbox', { name: 'Prompt' });

describe('App by keyboard', () => {
  it('switches project with Ctrl+2 and Ctrl+1, putting focus in the shown prompt', async () => {
    await boot();
    await press('2', { ctrlKey: true });
    expect(screen.getByRole('region', { name: 'beta' }).hidden).toBe(false);
    expect(document.activeElement).toBe(promptOf('beta'));
    await press('1', { ctrlKey: true });
    expect(document.activeElement).toBe(promptOf('alpha'));
  });

  it('lists the commands that apply, with shortcuts, in the palette', async () => {
    await boot();
    await press('k', { ctrlKey: true });
    const titles = within(screen.getByRole('listbox', { name: 'Commands' })).getAllByRole('option').map((o) => o.textContent?.replace(/\s+/g, ' ').trim());
    expect(titles).toEqual([
      'Add project Project',
      'Switch to alpha Project Ctrl+1',
      'Switch to beta Project Ctrl+2',
      'Show usage and spend View',
      'Open Settings View Ctrl+,',
      'Theme: follow the system Theme',
      'Theme: light Theme',
      'Focus the prompt Session',
      'Show History View',
      'Search all sessions Search Ctrl+Shift+F',
    ]);
    await press('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens Settings (focus on its heading) and History from the palette and by shortcut', async () => {
    await boot();
    await press(',', { ctrlKey: true });
    // Settings is a chunk of its own, loaded when it first opens.
    const settings = await screen.findByRole('region', { name: 'Settings' });
    expect(document.activeElement).toBe(within(settings).getByRole('heading', { name: 'Settings' }));
    await paletteRun('close settings');
    expect(screen.queryByRole('region', { name: 'Settings' })).toBeNull();

    await paletteRun('history');
    const pane = screen.getByRole('region', { name: 'alpha' });
    expect(document.activeElement).toBe(within(pane).getByRole('heading', { name: 'History' }));
    await paletteRun('back to the session');
    expect(document.activeElement).toBe(promptOf('alpha'));
  });

  it('sets the theme from the palette: saved through settings.set and applied to <html> at once', async () => {
    const { rpc } = await boot();
    expect(document.documentElement.dataset.theme).toBe('dark');
    await paletteRun('theme light');
    // The settings schemas load with the first save.
    await vi.waitFor(() => expect(rpc.callsOf('settings.set')).toEqual([{ key: 'theme', value: 'light' }]));
    await settle();
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('saves and applies the theme picked in Settings at once, without the Save button', async () => {
    const { rpc } = await boot();
    await press(',', { ctrlKey: true });
    const select = within(await screen.findByRole('region', { name: 'Settings' })).getByRole('combobox', { name: 'Theme' }) as HTMLSelectElement;
    expect(select.value).toBe('dark');
    await fireEvent.change(select, { target: { value: 'system' } });
    await vi.waitFor(() => expect(rpc.callsOf('settings.set')).toEqual([{ key: 'theme', value: 'system' }]));
    await settle();
    flushSync();
    // jsdom has no matchMedia: "system" is dark there.
    expect(document.documentElement.dataset.theme).toBe('dark');
    await fireEvent.change(select, { target: { value: 'light' } });
    await settle();
    flushSync();
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('adds a project from the palette: the path field takes focus', async () => {
    await boot();
    await paletteRun('add project');
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Project path' }));
  });
});
