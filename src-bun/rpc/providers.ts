/** RPC handlers of the `providers` domain: availability and sign-in, and the login flows. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';
import { listProviders } from '../providers/availability';

type ProvidersMethods = 'providers.list' | 'providers.loginStart' | 'providers.loginInput' | 'providers.loginCancel';
const refused = (error: string) => ({ ok: false as const, error });

export const providersHandlers = (core: Core): Pick<Handlers, ProvidersMethods> => ({
  'providers.list': () => listProviders(core.store.settings.getAll(), process.env),
  'providers.loginStart': ({ flow }) => core.logins.start(flow),
  'providers.loginInput': ({ loginId, text }) => (core.logins.input(loginId, text) ? { ok: true } : refused('That login is not running')),
  'providers.loginCancel': async ({ loginId }) => ((await core.logins.cancel(loginId)) ? { ok: true } : refused('That login is not running')),
});
