import { describe, expect, it } from 'bun:test';
import { retentionLimits, sessionsToPurge, type RetainedSession } from './retention';

const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_700_000_000_000;
const s = (id: string, ageDays: number, status: RetainedSession['status'] = 'done'): RetainedSession => ({ id, status, updatedAt: NOW - ageDays * DAY });

describe('retention rule', () => {
  it('keeps the newest N finished sessions and none older than D days, never a starting or running one', () => {
    const newestFirst = [s('run', 40, 'running'), s('a', 0), s('b', 1), s('start', 50, 'starting'), s('c', 2), s('old', 31), s('err', 3, 'error')];
    expect(sessionsToPurge(newestFirst, NOW, { retention_count: 2, retention_days: 30 })).toEqual(['c', 'old', 'err']);
    expect(sessionsToPurge(newestFirst, NOW, { retention_count: 5, retention_days: 30 })).toEqual(['old']);
  });

  it('clamps the settings to 1–50 sessions and 1–365 days', () => {
    expect(retentionLimits({ retention_count: 0, retention_days: 0 })).toEqual({ keep: 1, maxAgeMs: DAY });
    expect(retentionLimits({ retention_count: 500, retention_days: 5000 })).toEqual({ keep: 50, maxAgeMs: 365 * DAY });
  });

  it('on a subset of the stored sessions it never purges one the whole set keeps', () => {
    const all = Array.from({ length: 12 }, (_, i) => s(`s${i}`, i * 0.5));
    const settings = { retention_count: 5, retention_days: 4 };
    const purgedFromAll = new Set(sessionsToPurge(all, NOW, settings));
    for (let mask = 1; mask < 1 << 12; mask += 37) {
      const subset = all.filter((_, i) => mask & (1 << i));
      for (const id of sessionsToPurge(subset, NOW, settings)) expect(purgedFromAll.has(id)).toBe(true);
    }
  });
});
