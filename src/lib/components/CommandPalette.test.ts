import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../stores/commands.svelte';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import CommandPalette from './CommandPalette.svelte';

// jsdom lays nothing out and has no scrollIntoView; the palette calls it to keep the active option in view.
const scrolled = vi.fn();
beforeEach(() => {
  Element.prototype.scrollIntoView = scrolled;
  // The "outside" button of the previous test.
  document.body.replaceChildren();
});

function setup() {
  const t = createTestStores();
  // Only this test's commands: the app's search hook is covered by the registry and App tests.
  t.stores.commands.openSearch = null;
  const ran: string[] = [];
  const command = (id: string, title: string, extra: Partial<Command> = {}): Command => ({ id, title, group: 'Test', run: () => void ran.push(id), ...extra });
  t.stores.commands.register(() => [
    command('prompt', 'Focus the prompt', { group: 'Session' }),
    command('stop', 'Stop the agent', { group: 'Session', shortcut: 'Mod+.' }),
    command('settings', 'Open Settings', { group: 'View', shortcut: 'Mod+,' }),
  ]);
  const outside = document.createElement('button');
  outside.textContent = 'outside';
  document.body.append(outside);
  render(CommandPalette, { context: t.context });
  return { ...t, ran, outside };
}

function open(stores: ReturnType<typeof setup>['stores'], from: HTMLElement) {
  from.focus();
  stores.commands.openPalette();
  flushSync();
  return screen.getByRole('combobox', { name: 'Command' });
}

const options = () => within(screen.getByRole('listbox', { name: 'Commands' })).getAllByRole('option');
const selected = () => options().find((o) => o.getAttribute('aria-selected') === 'true');

describe('CommandPalette', () => {
  it('shows nothing until opened, then every command with its group and shortcut, the filter box focused', () => {
    const { stores, outside } = setup();
    expect(screen.queryByRole('dialog')).toBeNull();
    const box = open(stores, outside);
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeInstanceOf(HTMLElement);
    expect(document.activeElement).toBe(box);
    expect(options().map((o) => o.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Focus the prompt Session',
      'Stop the agent Session Ctrl+.',
      'Open Settings View Ctrl+,',
    ]);
    expect(box.getAttribute('aria-activedescendant')).toBe(options()[0].id);
  });

  it('filters as the user types, and says when nothing matches', async () => {
    const { stores, outside } = setup();
    const box = open(stores, outside);
    await fireEvent.input(box, { target: { value: 'stop' } });
    expect(options().map((o) => o.querySelector('.title')?.textContent)).toEqual(['Stop the agent']);
    await fireEvent.input(box, { target: { value: 'zzz' } });
    expect(screen.queryAllByRole('option')).toEqual([]);
    expect(screen.getByRole('status').textContent).toBe('No command matches “zzz”.');
    expect(box.getAttribute('aria-activedescendant')).toBeNull();
  });

  it('moves with the arrow keys (wrapping), Home and End, and keeps the active option in view', async () => {
    const { stores, outside } = setup();
    const box = open(stores, outside);
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(selected()?.textContent).toContain('Stop the agent');
    expect(box.getAttribute('aria-activedescendant')).toBe(selected()?.id);
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(selected()?.textContent).toContain('Focus the prompt');
    await fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(selected()?.textContent).toContain('Open Settings');
    await fireEvent.keyDown(box, { key: 'Home' });
    expect(selected()?.textContent).toContain('Focus the prompt');
    await fireEvent.keyDown(box, { key: 'End' });
    expect(selected()?.textContent).toContain('Open Settings');
    await settle();
    expect(scrolled).toHaveBeenCalledWith({ block: 'nearest' });
  });

  it('runs the active command on Enter after closing and giving focus back', async () => {
    const { stores, outside, ran } = setup();
    let focusedWhenRun: Element | null = null;
    stores.commands.register(() => [{ id: 'probe', title: 'Probe focus', group: 'Test', run: () => void (focusedWhenRun = document.activeElement) }]);
    const box = open(stores, outside);
    await fireEvent.input(box, { target: { value: 'open' } });
    await fireEvent.keyDown(box, { key: 'Enter' });
    await settle();
    expect(ran).toEqual(['settings']);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(stores.commands.paletteOpen).toBe(false);

    const again = open(stores, outside);
    await fireEvent.input(again, { target: { value: 'probe' } });
    await fireEvent.keyDown(again, { key: 'Enter' });
    await settle();
    expect(focusedWhenRun).toBe(outside);
  });

  it('closes on Escape with focus back where it was, and opens empty next time', async () => {
    const { stores, outside, ran } = setup();
    const box = open(stores, outside);
    await fireEvent.input(box, { target: { value: 'stop' } });
    await fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(outside);
    expect(ran).toEqual([]);
    const reopened = open(stores, outside);
    expect((reopened as HTMLInputElement).value).toBe('');
    expect(options()).toHaveLength(3);
  });

  it('keeps Tab in the filter box, and runs an option that is clicked', async () => {
    const { stores, outside, ran } = setup();
    const box = open(stores, outside);
    const tab = await fireEvent.keyDown(box, { key: 'Tab' });
    expect(tab).toBe(false); // default prevented
    await fireEvent.click(options()[1]);
    await settle();
    expect(ran).toEqual(['stop']);
  });
});
