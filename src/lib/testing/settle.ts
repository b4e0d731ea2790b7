/** Lets queued promise callbacks run; no timers are involved, so it is not a sleep. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
