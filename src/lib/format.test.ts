import { describe, expect, it } from 'vitest';
import { formatCount, formatTokens } from './format';

describe('formatCount', () => {
  it('groups thousands with commas, as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, -4_200]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
  });
  it('formats token counts for the pane header', () => {
    expect(formatTokens(1200, 345)).toBe('1,200 in / 345 out');
  });
});
