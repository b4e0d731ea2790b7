/**
 * Stores handed down through Svelte context. The keys are exported so
 * component tests can provide their own stores via `render(..., { context })`.
 */
import { getContext, setContext } from 'svelte';
import type { Clock } from '../shared/clock';
import type { CommandRegistry } from './stores/commands.svelte';
import type { HistoryStore } from './stores/history.svelte';
import type { OsNotifier } from './stores/os-notifications.svelte';
import type { ProjectsStore } from './stores/projects.svelte';
import type { PromptQueueStore } from './stores/prompt-queue.svelte';
import type { ProvidersStore } from './stores/providers.svelte';
import type { SearchStore } from './stores/search.svelte';
import type { SessionStore } from './stores/sessions.svelte';
import type { SettingsStore } from './stores/settings.svelte';
import type { ThemeStore } from './stores/theme.svelte';
import type { ToastStore } from './stores/toasts.svelte';
import type { UsageStore } from './stores/usage.svelte';
import type { WorktreeStore } from './stores/worktrees.svelte';

/** Everything the components reach through context. */
export interface AppStores {
  sessions: SessionStore;
  projects: ProjectsStore;
  providers: ProvidersStore;
  toasts: ToastStore;
  settings: SettingsStore;
  history: HistoryStore;
  /** Search across every session; `search.show()` opens the search box. */
  search: SearchStore;
  /** OS notifications while the app is not focused (and the browser permission behind them). */
  os: OsNotifier;
  /** The clock the stores run on; components tick with it (idle durations). */
  clock: Clock;
  /** Every keyboard-reachable action: components register theirs, the palette lists them. */
  commands: CommandRegistry;
  /** Prompts queued on each session while its turn runs, and Steer. */
  queue: PromptQueueStore;
  /** Light, dark or the system's theme, from Settings. */
  theme: ThemeStore;
  /** The Usage view (spend and tokens per project and provider); `usage.show()` opens it. */
  usage: UsageStore;
  /** Sessions in their own git worktrees: branch, changes, Merge, Discard. */
  worktrees: WorktreeStore;
}

/** The one context key; its value is {@link AppStores}. */
export const APP_STORES = Symbol('corral.stores');

/** Provides the stores to the component tree (call during App init). */
export function provideStores(stores: AppStores): AppStores {
  return setContext(APP_STORES, stores);
}

/** The stores provided by an ancestor; throws when none was. */
export function useStores(): AppStores {
  const stores = getContext<AppStores | undefined>(APP_STORES);
  if (!stores) throw new Error('Corral stores are not in context: render inside <App> or pass { context } in tests');
  return stores;
}
