/** RPC handlers of the `settings` domain. */
import type { Core } from '../core/core';
import { SettingsSchema } from '../../src/shared/settings';
import type { Handlers } from '../../src/shared/rpc';
import { describeIssues } from './dispatch';

export const settingsHandlers = (core: Core): Pick<Handlers, 'settings.getAll' | 'settings.set'> => ({
  'settings.getAll': () => core.store.settings.getAll(),
  'settings.set': ({ key, value }) => {
    const parsed = SettingsSchema.shape[key].safeParse(value);
    if (!parsed.success) throw new Error(`Invalid value for ${key}: ${describeIssues(parsed.error)}`);
    core.setSetting(key, parsed.data);
    return core.store.settings.getAll();
  },
});
