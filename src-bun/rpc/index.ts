/** The handler table both entries bind: one file per RPC domain. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';
import { agentHandlers } from './agent';
import { historyHandlers } from './history';
import { appHandlers, type HostInfo, type Notifier } from './app';
import { projectsHandlers } from './projects';
import { providersHandlers } from './providers';
import { queueHandlers } from './queue';
import { searchHandlers } from './search';
import { sessionHandlers } from './session';
import { settingsHandlers } from './settings';
import { usageHandlers } from './usage';
import { worktreeHandlers } from './worktree';

/** Host services an entry may provide; the web mode provides none. */
export type HostServices = { notify?: Notifier; info?: HostInfo };

/** The full handler table over `core`; `host` adds what only an entry can do (desktop notifications). */
export const createHandlers = (core: Core, host: HostServices = {}): Handlers => ({
  ...projectsHandlers(core),
  ...agentHandlers(core),
  ...sessionHandlers(core),
  ...settingsHandlers(core),
  ...providersHandlers(core),
  ...appHandlers(host.notify, host.info),
  ...searchHandlers(core),
  ...queueHandlers(core),
  ...usageHandlers(core),
  ...worktreeHandlers(core),
  ...historyHandlers(core),
});
