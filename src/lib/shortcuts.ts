/**
 * Keyboard shortcuts as written in the command registry: `Mod+K`,
 * `Mod+Shift+F`, `Mod+1`, `Mod+,`. `Mod` is Ctrl or Cmd (either is
 * accepted on every platform, so Ctrl+K works on a Mac keyboard too); the
 * last part is the key, compared case-insensitively with `KeyboardEvent.key`
 * and, for letters and digits, with `KeyboardEvent.code` (so Alt or a
 * non-Latin layout still match).
 */

/** A parsed shortcut. */
export interface ParsedShortcut {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  /** Lower-case key, e.g. `k`, `1`, `,`, `enter`. */
  key: string;
}

/** The parts of a keyboard event a shortcut is matched on. */
export type ShortcutEvent = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

const MODIFIERS = new Set(['mod', 'shift', 'alt']);

/**
 * Parses `Mod+Shift+F` style text.
 * @throws Error naming the shortcut when it has no key, an unknown modifier, or a modifier twice.
 */
export function parseShortcut(text: string): ParsedShortcut {
  const parts = text.split('+');
  const key = parts.pop()?.toLowerCase() ?? '';
  if (key === '' || MODIFIERS.has(key)) throw new Error(`Shortcut "${text}" has no key`);
  const seen = new Set<string>();
  for (const part of parts) {
    const m = part.toLowerCase();
    if (!MODIFIERS.has(m)) throw new Error(`Shortcut "${text}" has an unknown modifier "${part}" (use Mod, Shift or Alt)`);
    if (seen.has(m)) throw new Error(`Shortcut "${text}" names ${part} twice`);
    seen.add(m);
  }
  return { mod: seen.has('mod'), shift: seen.has('shift'), alt: seen.has('alt'), key };
}

/** The key a physical `code` stands for, for letters and digits (`KeyF` → `f`, `Digit1` → `1`). */
function keyOfCode(code: string): string | null {
  const m = /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(code);
  return m ? (m[1] ?? m[2] ?? m[3]).toLowerCase() : null;
}

/** True when `event` is exactly `shortcut`: the same modifiers (Ctrl or Cmd for Mod) and key. */
export function matchesShortcut(shortcut: ParsedShortcut, event: ShortcutEvent): boolean {
  if ((event.ctrlKey || event.metaKey) !== shortcut.mod) return false;
  if (event.shiftKey !== shortcut.shift || event.altKey !== shortcut.alt) return false;
  return event.key.toLowerCase() === shortcut.key || keyOfCode(event.code) === shortcut.key;
}

const KEY_LABELS: Record<string, string> = { enter: 'Enter', escape: 'Esc', ',': ',', '.': '.' };

/**
 * How a shortcut is shown: `Ctrl+Shift+F` elsewhere, `⌘⇧F` on macOS.
 * @throws Error as {@link parseShortcut} does.
 */
export function formatShortcut(text: string, mac: boolean): string {
  const s = parseShortcut(text);
  const key = KEY_LABELS[s.key] ?? s.key.toUpperCase();
  if (mac) return `${s.mod ? '⌘' : ''}${s.alt ? '⌥' : ''}${s.shift ? '⇧' : ''}${key}`;
  return [s.mod && 'Ctrl', s.alt && 'Alt', s.shift && 'Shift', key].filter(Boolean).join('+');
}
