import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ThemePreference } from '../../shared/settings';
import { createThemeStore, themeCommands, type DarkSchemeQuery } from './theme.svelte';

/** A `prefers-color-scheme: dark` query the test flips. */
function fakeDarkScheme(initial: boolean) {
  let matches = initial;
  const listeners = new Set<(e: { matches: boolean }) => void>();
  return {
    get matches() {
      return matches;
    },
    addEventListener: (_type: 'change', fn: (e: { matches: boolean }) => void) => void listeners.add(fn),
    removeEventListener: (_type: 'change', fn: (e: { matches: boolean }) => void) => void listeners.delete(fn),
    flip(to: boolean) {
      matches = to;
      for (const fn of listeners) fn({ matches: to });
    },
    listeners,
  } satisfies DarkSchemeQuery & Record<string, unknown>;
}

describe('theme store', () => {
  it('uses the chosen theme, and the OS scheme for "system"', () => {
    let preference = $state<ThemePreference>('system');
    const store = createThemeStore({ preference: () => preference, darkScheme: fakeDarkScheme(false) });
    expect(store.theme).toBe('light');
    preference = 'dark';
    expect(store.theme).toBe('dark');
    preference = 'light';
    expect(store.theme).toBe('light');
    expect(store.preference).toBe('light');
  });

  it('is dark for "system" where the OS says nothing', () => {
    expect(createThemeStore({ preference: () => 'system', darkScheme: null }).theme).toBe('dark');
  });

  it('writes data-theme on the root at once, follows an OS change while on "system", and stops when detached', () => {
    let preference = $state<ThemePreference>('system');
    const scheme = fakeDarkScheme(true);
    const store = createThemeStore({ preference: () => preference, darkScheme: scheme });
    const root = document.createElement('html');
    const detach = store.attach(root);
    flushSync();
    expect(root.dataset.theme).toBe('dark');
    scheme.flip(false);
    flushSync();
    expect(root.dataset.theme).toBe('light');
    preference = 'dark';
    flushSync();
    expect(root.dataset.theme).toBe('dark');
    detach();
    expect(scheme.listeners.size).toBe(0);
    preference = 'light';
    flushSync();
    expect(root.dataset.theme).toBe('dark');
  });

  it('offers the two themes not in effect as commands that save the setting', () => {
    const save = vi.fn(() => Promise.resolve());
    const commands = themeCommands('dark', save);
    expect(commands.map((c) => c.title)).toEqual(['Theme: follow the system', 'Theme: light']);
    void commands[1].run();
    expect(save).toHaveBeenCalledWith('light');
  });
});
