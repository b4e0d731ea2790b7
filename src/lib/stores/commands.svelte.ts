/**
 * The command registry: every action the keyboard reaches. Components
 * register a source, a function that returns the commands that apply now; a
 * source may read runes, so the list follows the app's state (the selected
 * project's Stop is there only while it runs). The command palette lists and
 * filters them, and one window `keydown` listener dispatches their shortcuts
 * (see ../shortcuts.ts for how a shortcut is written and matched).
 */
import { untrack } from 'svelte';
import { formatShortcut, matchesShortcut, parseShortcut, type ShortcutEvent } from '../shortcuts';

/** One action. */
export interface Command {
  /** Stable id, e.g. `prompt.focus`; {@link CommandRegistry.run} takes it. When two sources give one id, the first wins. */
  id: string;
  /** What the palette shows, e.g. "Stop the agent". */
  title: string;
  /** What it acts on, shown beside the title and searched: `Project`, `Session`, `View`, `Theme`. */
  group: string;
  /** e.g. `Mod+1`; dispatched from anywhere in the page. */
  shortcut?: string;
  /** More words the palette search matches. */
  keywords?: readonly string[];
  run(): void | Promise<unknown>;
}

/** Returns the commands that apply now. */
export type CommandSource = () => readonly Command[];

/** A `keydown` event as {@link CommandRegistry.handleKeydown} reads it. */
export type CommandKeyEvent = ShortcutEvent & Pick<KeyboardEvent, 'defaultPrevented' | 'isComposing' | 'preventDefault'>;

/** The registry's public face. */
export interface CommandRegistry {
  /** Every command that applies now, in registration order. */
  readonly commands: readonly Command[];
  /** The command palette is showing. */
  readonly paletteOpen: boolean;
  openPalette(): void;
  closePalette(): void;
  /**
   * Opens search across all sessions; while unset, "Search all sessions" is
   * not offered and its shortcut does nothing.
   */
  openSearch: (() => void) | null;
  /** Adds a source; returns the function that removes it (an `onMount` cleanup). */
  register(source: CommandSource): () => void;
  /** Runs the command with this id; false when none applies now. */
  run(id: string): boolean;
  /** Commands whose title, group or keywords contain every word of `query`, best first (see {@link rankCommands}). */
  search(query: string): Command[];
  /** Runs the command whose shortcut `event` is, or toggles the palette on {@link PALETTE_SHORTCUT}; true when it did. */
  handleKeydown(event: CommandKeyEvent): boolean;
  /** A shortcut as this platform shows it (`Ctrl+K`, `⌘K`). */
  shortcutLabel(shortcut: string): string;
}

/** Options of {@link createCommandRegistry}. */
export interface CommandRegistryDeps {
  /** Show shortcuts the macOS way (⌘). */
  mac: boolean;
  /** A command that threw or rejected; by default logged. */
  onError?: (command: Command, err: unknown) => void;
}

/** Opens and closes the command palette. */
export const PALETTE_SHORTCUT = 'Mod+K';
/** Opens search across all sessions (through {@link CommandRegistry.openSearch}). */
export const SEARCH_SHORTCUT = 'Mod+Shift+F';

const PALETTE = parseShortcut(PALETTE_SHORTCUT);

/**
 * Filters and orders commands for a query: each word of `query` must occur
 * (case-insensitively) in the title, group or keywords. Titles that start
 * with the query come first, then titles with a word starting with its
 * first word, then the rest; ties keep their order. An empty query gives
 * every command.
 */
export function rankCommands(commands: readonly Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...commands];
  const whole = words.join(' ');
  const rank = (c: Command): number => {
    const title = c.title.toLowerCase();
    if (title.startsWith(whole)) return 0;
    return title.split(/[\s:]+/).some((w) => w.startsWith(words[0])) ? 1 : 2;
  };
  return commands
    .filter((c) => {
      const text = [c.title, c.group, ...(c.keywords ?? [])].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .map((c, i) => ({ c, i, r: rank(c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.c);
}

/** Creates an empty registry; "Search all sessions" appears once {@link CommandRegistry.openSearch} is set. */
export function createCommandRegistry(deps: CommandRegistryDeps): CommandRegistry {
  let sources = $state.raw<CommandSource[]>([]);
  let paletteOpen = $state(false);
  let openSearch = $state.raw<(() => void) | null>(null);
  const onError = deps.onError ?? ((command, err) => console.error(`Command "${command.title}" failed:`, err));

  const searchSource: CommandSource = () => {
    const open = openSearch;
    return open ? [{ id: 'search.open', title: 'Search all sessions', group: 'Search', shortcut: SEARCH_SHORTCUT, keywords: ['find', 'history'], run: open }] : [];
  };

  const commands = $derived.by(() => {
    const seen = new Set<string>();
    const out: Command[] = [];
    for (const source of [...sources, searchSource]) {
      for (const command of source()) {
        if (seen.has(command.id)) continue;
        seen.add(command.id);
        out.push(command);
      }
    }
    return out;
  });

  function invoke(command: Command) {
    try {
      void Promise.resolve(command.run()).catch((err: unknown) => onError(command, err));
    } catch (err) {
      onError(command, err);
    }
  }

  return {
    get commands() {
      return commands;
    },
    get paletteOpen() {
      return paletteOpen;
    },
    openPalette: () => (paletteOpen = true),
    closePalette: () => (paletteOpen = false),
    get openSearch() {
      return openSearch;
    },
    set openSearch(fn) {
      openSearch = fn;
    },
    register(source) {
      // Registering from an effect must not make it depend on the list it changes.
      untrack(() => (sources = [...sources, source]));
      return () => untrack(() => (sources = sources.filter((s) => s !== source)));
    },
    run(id) {
      const command = commands.find((c) => c.id === id);
      if (command) invoke(command);
      return command !== undefined;
    },
    search: (query) => rankCommands(commands, query),
    handleKeydown(event) {
      if (event.defaultPrevented || event.isComposing) return false;
      if (matchesShortcut(PALETTE, event)) {
        event.preventDefault();
        paletteOpen = !paletteOpen;
        return true;
      }
      // The palette is modal: its own keys (arrows, Enter, Escape) are handled there.
      if (paletteOpen) return false;
      const command = commands.find((c) => c.shortcut !== undefined && matchesShortcut(parseShortcut(c.shortcut), event));
      if (!command) return false;
      event.preventDefault();
      invoke(command);
      return true;
    },
    shortcutLabel: (shortcut) => formatShortcut(shortcut, deps.mac),
  };
}
