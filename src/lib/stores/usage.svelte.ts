/**
 * The Usage view's state: whether it is open, and the figures of the last
 * `usage.summary` (spend and tokens per project and provider for today, 7
 * and 30 days, from the main process's usage log). Opening it asks afresh.
 */
import type { UsageSummary } from '../../shared/rpc/usage';
import type { RpcClient } from '../rpc/types';

export interface UsageStore {
  readonly open: boolean;
  /** The last figures received; null before the first answer. */
  readonly summary: UsageSummary | null;
  readonly loading: boolean;
  /** Why the last request failed, if it did. */
  readonly error: string | null;
  /** Opens the view and loads the figures. */
  show(): Promise<void>;
  hide(): void;
  /** Asks for the figures again. */
  refresh(): Promise<void>;
}

export function createUsageStore(deps: { rpc: RpcClient }): UsageStore {
  let open = $state(false);
  let summary = $state.raw<UsageSummary | null>(null);
  let loading = $state(false);
  let error = $state<string | null>(null);

  async function refresh() {
    loading = true;
    try {
      summary = await deps.rpc.request('usage.summary', {});
      error = null;
    } catch (err) {
      error = `Could not load usage: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      loading = false;
    }
  }

  return {
    get open() { return open; },
    get summary() { return summary; },
    get loading() { return loading; },
    get error() { return error; },
    show() {
      open = true;
      return refresh();
    },
    hide() {
      open = false;
    },
    refresh,
  };
}
