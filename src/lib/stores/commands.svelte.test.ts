import { describe, expect, it, vi } from 'vitest';
import { createCommandRegistry, rankCommands, type Command, type CommandKeyEvent } from './commands.svelte';

function keydown(key: string, mods: Partial<CommandKeyEvent> = {}) {
  const event = {
    key, code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, defaultPrevented: false, isComposing: false,
    preventDefault: vi.fn(), ...mods,
  };
  return event;
}

const cmd = (id: string, title: string, extra: Partial<Command> = {}): Command => ({ id, title, group: 'Test', run: () => {}, ...extra });

describe('rankCommands', () => {
  const list = [
    cmd('history', 'Show History', { group: 'View' }),
    cmd('stop', 'Stop the agent', { group: 'Session', keywords: ['cancel'] }),
    cmd('settings', 'Open Settings', { group: 'View' }),
    cmd('switch', 'Switch to alpha', { group: 'Project', keywords: ['/work/alpha'] }),
  ];

  it('keeps every command, in order, for an empty query', () => {
    expect(rankCommands(list, '  ').map((c) => c.id)).toEqual(['history', 'stop', 'settings', 'switch']);
  });

  it('needs every word somewhere in title, group or keywords, case-insensitively', () => {
    expect(rankCommands(list, 'CANCEL').map((c) => c.id)).toEqual(['stop']);
    expect(rankCommands(list, 'view set').map((c) => c.id)).toEqual(['settings']);
    expect(rankCommands(list, 'alpha work').map((c) => c.id)).toEqual(['switch']);
    expect(rankCommands(list, 'nothing like it')).toEqual([]);
  });

  it('puts titles starting with the query first, then titles with a word starting with it', () => {
    // "s" is in all four; "Show…", "Stop…", "Switch…" start with it, "Open Settings" has a word that does.
    expect(rankCommands(list, 's').map((c) => c.id)).toEqual(['history', 'stop', 'switch', 'settings']);
    expect(rankCommands(list, 'sett').map((c) => c.id)).toEqual(['settings']);
    expect(rankCommands([cmd('a', 'Reset layout'), cmd('b', 'Settings')], 'set').map((c) => c.id)).toEqual(['b', 'a']);
  });
});

describe('command registry', () => {
  it('lists what its sources give now, follows their state, and forgets a source removed', () => {
    const registry = createCommandRegistry({ mac: false });
    let running = $state(false);
    const offA = registry.register(() => [cmd('a', 'A')]);
    registry.register(() => (running ? [cmd('stop', 'Stop')] : []));
    expect(registry.commands.map((c) => c.id)).toEqual(['a']);
    running = true;
    expect(registry.commands.map((c) => c.id)).toEqual(['a', 'stop']);
    offA();
    expect(registry.commands.map((c) => c.id)).toEqual(['stop']);
  });

  it('keeps the first of two commands with one id', () => {
    const registry = createCommandRegistry({ mac: false });
    registry.register(() => [cmd('x', 'First')]);
    registry.register(() => [cmd('x', 'Second')]);
    expect(registry.commands.map((c) => c.title)).toEqual(['First']);
  });

  it('runs a command by id, and says when none applies', () => {
    const registry = createCommandRegistry({ mac: false });
    const run = vi.fn();
    registry.register(() => [cmd('go', 'Go', { run })]);
    expect(registry.run('go')).toBe(true);
    expect(run).toHaveBeenCalledTimes(1);
    expect(registry.run('missing')).toBe(false);
  });

  it('dispatches a shortcut to its command and prevents the browser default', () => {
    const registry = createCommandRegistry({ mac: false });
    const two = vi.fn();
    registry.register(() => [cmd('one', 'One', { shortcut: 'Mod+1' }), cmd('two', 'Two', { shortcut: 'Mod+2', run: two })]);
    const event = keydown('2', { ctrlKey: true });
    expect(registry.handleKeydown(event)).toBe(true);
    expect(two).toHaveBeenCalledTimes(1);
    expect(event.preventDefault).toHaveBeenCalled();

    const plain = keydown('2');
    expect(registry.handleKeydown(plain)).toBe(false);
    expect(plain.preventDefault).not.toHaveBeenCalled();
    // A field that handled the key itself (Ctrl+Enter in the prompt) keeps it.
    expect(registry.handleKeydown(keydown('2', { ctrlKey: true, defaultPrevented: true }))).toBe(false);
    expect(registry.handleKeydown(keydown('2', { ctrlKey: true, isComposing: true }))).toBe(false);
    expect(two).toHaveBeenCalledTimes(1);
  });

  it('toggles the palette on Ctrl/Cmd+K, and sends no other shortcut while it is open', () => {
    const registry = createCommandRegistry({ mac: true });
    const run = vi.fn();
    registry.register(() => [cmd('one', 'One', { shortcut: 'Mod+1', run })]);
    expect(registry.handleKeydown(keydown('k', { metaKey: true }))).toBe(true);
    expect(registry.paletteOpen).toBe(true);
    expect(registry.handleKeydown(keydown('1', { metaKey: true }))).toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(registry.handleKeydown(keydown('k', { ctrlKey: true }))).toBe(true);
    expect(registry.paletteOpen).toBe(false);
  });

  it('offers "Search all sessions" (Ctrl/Cmd+Shift+F) only once openSearch is set, and calls it', () => {
    const registry = createCommandRegistry({ mac: false });
    expect(registry.search('search')).toEqual([]);
    expect(registry.handleKeydown(keydown('F', { ctrlKey: true, shiftKey: true }))).toBe(false);
    const openSearch = vi.fn();
    registry.openSearch = openSearch;
    const [search] = registry.search('search');
    expect(search).toMatchObject({ title: 'Search all sessions', shortcut: 'Mod+Shift+F' });
    expect(registry.shortcutLabel(search.shortcut ?? '')).toBe('Ctrl+Shift+F');
    expect(registry.handleKeydown(keydown('F', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(openSearch).toHaveBeenCalledTimes(1);
  });

  it('reports a command that throws or rejects', async () => {
    const failures: string[] = [];
    const registry = createCommandRegistry({ mac: false, onError: (c, err) => failures.push(`${c.id}: ${(err as Error).message}`) });
    registry.register(() => [
      cmd('throws', 'Throws', { run: () => { throw new Error('boom'); } }),
      cmd('rejects', 'Rejects', { run: () => Promise.reject(new Error('later')) }),
    ]);
    registry.run('throws');
    registry.run('rejects');
    await Promise.resolve();
    await Promise.resolve();
    expect(failures).toEqual(['throws: boom', 'rejects: later']);
  });
});
