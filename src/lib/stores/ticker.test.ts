import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { createTicker } from './ticker.svelte';

describe('ticker', () => {
  it('moves once a second on the clock while started, and holds no timer when stopped', () => {
    const clock = createFakeClock();
    const ticker = createTicker(clock);
    const t0 = clock.now();
    clock.advance(5000);
    expect(ticker.now).toBe(t0);
    ticker.start();
    ticker.start();
    expect(clock.pending()).toBe(1);
    clock.advance(2500);
    expect(ticker.now).toBe(t0 + 7000);
    ticker.stop();
    expect(clock.pending()).toBe(0);
    expect(ticker.now).toBe(t0 + 7500);
  });
});
