/** The handler table both entries bind: one file per RPC domain. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';
import { agentHandlers } from './agent';
import { projectsHandlers } from './projects';
import { providersHandlers } from './providers';
import { sessionHandlers } from './session';
import { settingsHandlers } from './settings';

export const createHandlers = (core: Core): Handlers => ({
  ...projectsHandlers(core),
  ...agentHandlers(core),
  ...sessionHandlers(core),
  ...settingsHandlers(core),
  ...providersHandlers(core),
});
