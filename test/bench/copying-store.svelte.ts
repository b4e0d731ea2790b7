/**
 * The reference the ingest benchmark compares against: a store that keeps a
 * session's messages in deep Svelte `$state` and appends a batch by copying
 * the whole array (`messages = [...messages, ...batch]`). Every batch costs
 * O(messages so far), through the state proxy.
 */
import type { WireMessage } from '../../src/shared/events';

/** A copying store; `ingest` appends one batch. */
export function createCopyingStore() {
  let messages = $state<WireMessage[]>([]);
  return {
    ingest(batch: readonly WireMessage[]) {
      messages = [...messages, ...batch];
    },
    get length() {
      return messages.length;
    },
  };
}
