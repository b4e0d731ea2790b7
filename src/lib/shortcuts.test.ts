import { describe, expect, it } from 'vitest';
import { formatShortcut, matchesShortcut, parseShortcut, type ShortcutEvent } from './shortcuts';

const key = (k: string, mods: Partial<ShortcutEvent> = {}, code = ''): ShortcutEvent => ({
  key: k, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods,
});

describe('shortcuts', () => {
  it('parses modifiers and the key, case-insensitively', () => {
    expect(parseShortcut('Mod+Shift+F')).toEqual({ mod: true, shift: true, alt: false, key: 'f' });
    expect(parseShortcut('mod+,')).toEqual({ mod: true, shift: false, alt: false, key: ',' });
    expect(parseShortcut('Alt+1')).toEqual({ mod: false, shift: false, alt: true, key: '1' });
  });

  it('refuses a shortcut without a key, with an unknown or a repeated modifier', () => {
    expect(() => parseShortcut('Mod+Shift')).toThrow('Shortcut "Mod+Shift" has no key');
    expect(() => parseShortcut('')).toThrow('has no key');
    expect(() => parseShortcut('Hyper+K')).toThrow('unknown modifier "Hyper" (use Mod, Shift or Alt)');
    expect(() => parseShortcut('Mod+Mod+K')).toThrow('names Mod twice');
  });

  it('matches Ctrl or Cmd for Mod, and exactly the modifiers named', () => {
    const s = parseShortcut('Mod+K');
    expect(matchesShortcut(s, key('k', { ctrlKey: true }))).toBe(true);
    expect(matchesShortcut(s, key('K', { metaKey: true }))).toBe(true);
    expect(matchesShortcut(s, key('k'))).toBe(false);
    expect(matchesShortcut(s, key('k', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesShortcut(s, key('k', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(matchesShortcut(s, key('j', { ctrlKey: true }))).toBe(false);
  });

  it('matches letters and digits by their physical key when the layout or Alt changes event.key', () => {
    expect(matchesShortcut(parseShortcut('Mod+Shift+F'), key('Ф', { ctrlKey: true, shiftKey: true }, 'KeyF'))).toBe(true);
    expect(matchesShortcut(parseShortcut('Mod+2'), key('é', { ctrlKey: true }, 'Digit2'))).toBe(true);
    expect(matchesShortcut(parseShortcut('Mod+2'), key('3', { ctrlKey: true }, 'Digit3'))).toBe(false);
  });

  it('shows shortcuts as Ctrl+… or the macOS symbols', () => {
    expect(formatShortcut('Mod+Shift+F', false)).toBe('Ctrl+Shift+F');
    expect(formatShortcut('Mod+Shift+F', true)).toBe('⌘⇧F');
    expect(formatShortcut('Mod+,', false)).toBe('Ctrl+,');
    expect(formatShortcut('Mod+Enter', true)).toBe('⌘Enter');
  });
});
