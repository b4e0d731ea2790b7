/** Real stores over a fake RPC and a fake clock, for component tests. */
import { APP_STORES, type AppStores } from '../app-context';
import { createFakeClock } from '../../shared/clock';
import { createCommandRegistry } from '../stores/commands.svelte';
import { createHistoryStore } from '../stores/history.svelte';
import { createOsNotifier } from '../stores/os-notifications.svelte';
import { createProjectsStore } from '../stores/projects.svelte';
import { createPromptQueueStore } from '../stores/prompt-queue.svelte';
import { createProvidersStore } from '../stores/providers.svelte';
import { createSearchStore } from '../stores/search.svelte';
import { createSessionStore } from '../stores/sessions.svelte';
import { createSettingsStore } from '../stores/settings.svelte';
import { createThemeStore } from '../stores/theme.svelte';
import { createToastStore } from '../stores/toasts.svelte';
import { createUsageStore } from '../stores/usage.svelte';
import { createWorktreeStore } from '../stores/worktrees.svelte';
import { createFakeRpc } from './fake-rpc';

/** Builds the stores the app would, plus the `context` map `render` takes. */
export function createTestStores() {
  const clock = createFakeClock();
  const rpc = createFakeRpc();
  const os = createOsNotifier({ isFocused: () => true });
  const toasts = createToastStore(clock, { onNotify: (t) => os.notify(t) });
  const projects = createProjectsStore({ rpc: rpc.client });
  const settings = createSettingsStore({
    rpc: rpc.client,
    onChange: (values) => {
      sessions.settingsChanged();
      providers.settingsChanged(values);
    },
  });
  const sessions = createSessionStore({
    rpc: rpc.client, clock, notify: toasts.notify, settings: () => settings.values, projectName: (id) => projects.get(id)?.name,
  });
  const providers = createProvidersStore({ rpc: rpc.client });
  const history = createHistoryStore({ rpc: rpc.client });
  const search = createSearchStore({ rpc: rpc.client, clock, onChoose: (target) => projects.select(target.projectId) });
  const commands = createCommandRegistry({ mac: false });
  commands.openSearch = () => search.show();
  const theme = createThemeStore({ preference: () => settings.values.theme, darkScheme: null });
  const queue = createPromptQueueStore({ rpc: rpc.client });
  const worktrees = createWorktreeStore({ rpc: rpc.client, notify: toasts.notify, projectName: (id) => projects.get(id)?.name });
  const stores: AppStores = { toasts, projects, sessions, providers, settings, history, search, os, clock, commands, theme, queue, usage: createUsageStore({ rpc: rpc.client }), worktrees };
  return { clock, rpc, stores, context: new Map<unknown, unknown>([[APP_STORES, stores]]) };
}
