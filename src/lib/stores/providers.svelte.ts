/**
 * Which providers can run on this machine (`providers.list`), for the
 * provider picker. For a provider the list does not mention (it has not
 * arrived, could not be fetched, or skips one), only Claude Code is offered:
 * it ships with Corral.
 */
import type { ProviderId } from '../../shared/providers';
import type { ProviderInfo } from '../../shared/rpc/providers';
import type { RpcClient } from '../rpc/types';

/** Offered before `providers.list` answers. */
const FALLBACK_AVAILABLE: ReadonlySet<ProviderId> = new Set(['claude']);

/** The providers store's public face. */
export interface ProvidersStore {
  readonly list: readonly ProviderInfo[];
  readonly loaded: boolean;
  /** Fetches availability; failures keep the fallback and are only logged. */
  load(): Promise<void>;
  /** True when the provider can start a session here. */
  available(id: ProviderId): boolean;
  /** Why a provider is unavailable, when known. */
  reason(id: ProviderId): string | null;
}

/** Creates the store; nothing is fetched until {@link ProvidersStore.load}. */
export function createProvidersStore(deps: { rpc: RpcClient }): ProvidersStore {
  let list = $state.raw<ProviderInfo[]>([]);
  let loaded = $state(false);
  const find = (id: ProviderId) => list.find((p) => p.id === id);

  return {
    get list() {
      return list;
    },
    get loaded() {
      return loaded;
    },
    async load() {
      try {
        list = await deps.rpc.request('providers.list', {});
        loaded = true;
      } catch (err) {
        console.warn(`providers.list failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    available: (id) => find(id)?.available ?? FALLBACK_AVAILABLE.has(id),
    reason: (id) => find(id)?.reason ?? null,
  };
}
