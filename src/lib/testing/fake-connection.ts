/** A Connection whose state the test sets. */
import type { Connection, ConnectionState } from '../rpc/types';

/** A connection starting in `initial`; `set` changes the state and notifies subscribers. */
export function createFakeConnection(initial: ConnectionState = 'open') {
  let state = initial;
  const subs = new Set<(s: ConnectionState) => void>();
  let retries = 0;
  const connection: Connection = {
    get state() {
      return state;
    },
    detail: null,
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    retryNow: () => void retries++,
    close: () => {},
  };
  return {
    connection,
    retries: () => retries,
    set(next: ConnectionState) {
      state = next;
      for (const fn of subs) fn(next);
    },
  };
}
