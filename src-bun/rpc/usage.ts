/** RPC handlers of the `usage` domain: the Usage view's figures, as of the main process's clock. */
import type { Core } from '../core/core';
import type { Handlers } from '../../src/shared/rpc';

export const usageHandlers = (core: Core): Pick<Handlers, 'usage.summary'> => ({
  'usage.summary': () => core.usageSummary(),
});
