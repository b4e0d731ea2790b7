/**
 * Runs `fn` once the page is idle (`requestIdleCallback`, at the latest after
 * `timeoutMs`), for work a first paint must not wait on, such as asking
 * whether a folder is a git repository, which starts a process. Where the
 * page has no idle callback (jsdom), it runs at once.
 */
export function whenIdle(fn: () => void, timeoutMs = 2000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout: timeoutMs });
  else fn();
}
