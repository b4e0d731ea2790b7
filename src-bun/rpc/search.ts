/** RPC handlers of the `search` domain: full-text search across every stored session. */
import type { Core } from '../core/core';
import { searchSessions } from '../core/search-query';
import type { Handlers } from '../../src/shared/rpc';

export const searchHandlers = (core: Core): Pick<Handlers, 'search.query'> => ({
  'search.query': ({ query, limit }) => searchSessions(core.store, query, limit),
});
