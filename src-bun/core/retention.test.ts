import { describe, expect, it } from 'bun:test';
import type { SessionStatus } from '../../src/shared/events';
import { sessionsToPurge } from './retention';
import type { StoredSession } from './store';

const DAY = 86_400_000;
const now = 1_800_000_000_000;
const s = (id: string, ageDays: number, status: SessionStatus = 'done'): StoredSession => ({
  id, projectId: 'p', provider: 'claude', status, reason: null, error: null, providerSessionId: null, model: null, costUsd: null,
  inputTokens: 0, outputTokens: 0, createdAt: now - ageDays * DAY, updatedAt: now - ageDays * DAY, cwd: '/', optionsJson: '{}', sidecarPid: null, sidecarStartTicks: null,
});

describe('retention', () => {
  it('keeps the newest N finished sessions', () => {
    const list = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => s(id, i));
    expect(sessionsToPurge(list, now, { retention_count: 5, retention_days: 30 })).toEqual(['f']);
  });
  it('drops finished sessions older than D days', () => {
    expect(sessionsToPurge([s('new', 1), s('old', 31)], now, { retention_count: 5, retention_days: 30 })).toEqual(['old']);
  });
  it('never purges a running or starting session, and does not count it', () => {
    const list = [s('run', 40, 'running'), s('start', 0, 'starting'), s('a', 1), s('b', 2)];
    expect(sessionsToPurge(list, now, { retention_count: 1, retention_days: 30 })).toEqual(['b']);
  });
  it('clamps settings to 1–50 sessions and 1–365 days', () => {
    const list = Array.from({ length: 60 }, (_, i) => s(`s${i}`, 0));
    expect(sessionsToPurge(list, now, { retention_count: 500, retention_days: 30 })).toHaveLength(10);
    expect(sessionsToPurge(list, now, { retention_count: 0, retention_days: 30 })).toHaveLength(59);
    expect(sessionsToPurge([s('x', 2)], now, { retention_count: 5, retention_days: 0 })).toEqual(['x']);
  });
});
