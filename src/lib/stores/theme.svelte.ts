/**
 * The theme store: which palette the UI shows. The preference is the
 * `theme` setting (system, light or dark); `system` follows the OS's
 * `prefers-color-scheme` and changes along with it. {@link ThemeStore.attach}
 * writes the theme in use to `data-theme` on the document root, where
 * app.css picks the palette, so a saved preference applies at once.
 */
import type { ThemePreference } from '../../shared/settings';
import type { Command } from './commands.svelte';

/** A palette app.css defines. */
export type Theme = 'light' | 'dark';

/** The part of `matchMedia('(prefers-color-scheme: dark)')` the store uses. */
export interface DarkSchemeQuery {
  readonly matches: boolean;
  addEventListener(type: 'change', listener: (event: { matches: boolean }) => void): void;
  removeEventListener(type: 'change', listener: (event: { matches: boolean }) => void): void;
}

/** The theme store's public face. */
export interface ThemeStore {
  /** The setting: what the user chose. */
  readonly preference: ThemePreference;
  /** The palette in use: the preference, with `system` resolved through the OS. */
  readonly theme: Theme;
  /** Keeps `root`'s `data-theme` equal to {@link theme} and follows OS changes; returns the function that stops it. */
  attach(root: HTMLElement): () => void;
}

/** Options of {@link createThemeStore}. */
export interface ThemeStoreDeps {
  /** The current setting (`settings.values.theme`); read reactively. */
  preference: () => ThemePreference;
  /** The OS's dark preference; null where there is none (then `system` is dark). */
  darkScheme: DarkSchemeQuery | null;
}

/** Creates the store; nothing is written until {@link ThemeStore.attach}. */
export function createThemeStore(deps: ThemeStoreDeps): ThemeStore {
  let systemDark = $state(deps.darkScheme?.matches ?? true);
  const theme = $derived.by((): Theme => {
    const preference = deps.preference();
    if (preference !== 'system') return preference;
    return systemDark ? 'dark' : 'light';
  });

  return {
    get preference() {
      return deps.preference();
    },
    get theme() {
      return theme;
    },
    attach(root) {
      const onChange = (event: { matches: boolean }) => (systemDark = event.matches);
      deps.darkScheme?.addEventListener('change', onChange);
      systemDark = deps.darkScheme?.matches ?? true;
      const stop = $effect.root(() => {
        $effect(() => {
          root.dataset.theme = theme;
        });
      });
      return () => {
        deps.darkScheme?.removeEventListener('change', onChange);
        stop();
      };
    },
  };
}

const THEME_TITLES: Record<ThemePreference, string> = { system: 'Theme: follow the system', light: 'Theme: light', dark: 'Theme: dark' };

/** Palette commands that set the theme setting through `save`; the one in effect is left out. */
export function themeCommands(preference: ThemePreference, save: (preference: ThemePreference) => Promise<unknown>): Command[] {
  return (Object.keys(THEME_TITLES) as ThemePreference[])
    .filter((p) => p !== preference)
    .map((p) => ({ id: `theme.${p}`, title: THEME_TITLES[p], group: 'Theme', keywords: ['appearance', 'colour', 'color', 'mode'], run: () => save(p) }));
}
