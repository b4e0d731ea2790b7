/** RPC handlers of the `providers` domain. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';
import { listProviders } from '../providers/availability';

export const providersHandlers = (core: Core): Pick<Handlers, 'providers.list'> => ({
  'providers.list': () => listProviders(core.store.settings.getAll(), process.env),
});
