import { describe, expect, it } from 'bun:test';
import { createFakeClock } from '../../src/shared/clock';
import { createStore, type StoredSession } from './store';
import { recoveryDecision, reapOrphans, startReaper, watchForZombie } from './supervisor';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('recovery guard', () => {
  it('recovers three times with 1, 2 and 4 s backoff, then gives up', () => {
    expect([1, 2, 3].map((n) => recoveryDecision(n, false))).toEqual([
      { recover: true, delayMs: 1000 }, { recover: true, delayMs: 2000 }, { recover: true, delayMs: 4000 },
    ]);
    expect(recoveryDecision(4, false)).toEqual({ recover: false, why: 'recovery gave up after 3 attempts' });
  });
  it('never recovers after a fatal provider error', () => {
    expect(recoveryDecision(1, true)).toMatchObject({ recover: false });
  });
});

describe('zombie watch', () => {
  function setup(cpu: () => number | null) {
    const clock = createFakeClock();
    let lastOutputAt = clock.now();
    let zombies = 0;
    const watch = watchForZombie({ clock, idleMs: 30 * 60_000, pgid: 1, lastOutputAt: () => lastOutputAt, cpuTicks: cpu, onZombie: () => zombies++ });
    return { clock, watch, zombies: () => zombies, output: () => { lastOutputAt = clock.now(); } };
  }

  it('fires when the sidecar is silent and its group used no CPU for the whole window', () => {
    const t = setup(() => 500);
    t.clock.advance(30 * 60_000 - 1);
    expect(t.zombies()).toBe(0);
    t.clock.advance(1);
    expect(t.zombies()).toBe(1);
  });

  it('does not kill a long tool run that keeps using CPU', () => {
    let ticks = 0;
    const t = setup(() => (ticks += 1000));
    t.clock.advance(3 * 60 * 60_000);
    expect(t.zombies()).toBe(0);
  });

  it('counts the window from the last output', () => {
    const t = setup(() => 7);
    t.clock.advance(20 * 60_000);
    t.output();
    t.clock.advance(20 * 60_000);
    expect(t.zombies()).toBe(0);
    t.clock.advance(10 * 60_000);
    expect(t.zombies()).toBe(1);
  });

  it('never kills on silence alone when CPU cannot be read', () => {
    const t = setup(() => null);
    t.clock.advance(5 * 60 * 60_000);
    expect(t.zombies()).toBe(0);
  });

  it('is disabled by 0 and can be cancelled', () => {
    const clock = createFakeClock();
    let fired = 0;
    watchForZombie({ clock, idleMs: 0, pgid: 1, lastOutputAt: () => 0, cpuTicks: () => 1, onZombie: () => fired++ });
    const w = watchForZombie({ clock, idleMs: 1000, pgid: 1, lastOutputAt: () => 0, cpuTicks: () => 1, onZombie: () => fired++ });
    w.cancel();
    clock.advance(10_000);
    expect(fired).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});

describe('reaper ticks', () => {
  it('ticks on the interval and re-reads it, pausing while it is 0', () => {
    const clock = createFakeClock();
    let interval = 60_000;
    let ticks = 0;
    const reaper = startReaper(clock, () => interval, () => ticks++);
    clock.advance(180_000);
    expect(ticks).toBe(3);
    interval = 0;
    clock.advance(600_000);
    expect(ticks).toBe(3);
    reaper.stop();
    expect(clock.pending()).toBe(0);
  });
});

describe('orphan reaping', () => {
  const row = (id: string, pid: number, startTicks: number): StoredSession => ({
    id, projectId: 'p', provider: 'claude', status: 'running', reason: null, error: null, providerSessionId: null, model: null, costUsd: null,
    inputTokens: 0, outputTokens: 0, createdAt: 1, updatedAt: 1, cwd: '/', optionsJson: '{}', sidecarPid: pid, sidecarStartTicks: startTicks,
  });

  it('kills a recorded group only when its start time matches, and clears every record', async () => {
    const proc = Bun.spawn(['sleep', '30'], { detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
    const store = createStore(':memory:');
    store.projects.insert({ id: 'p', name: 'p', path: '/p', createdAt: 1 });
    const { readStat } = await import('./process-tree');
    const start = readStat(proc.pid)!.startTicks;
    store.sessions.insert(row('ours', proc.pid, start));
    store.sessions.insert(row('reused', process.pid, 1)); // a live pid whose start time differs: never touched
    const killed = reapOrphans(store, quiet);
    expect(killed).toEqual([proc.pid]);
    expect(await proc.exited).not.toBe(0);
    expect(store.sessions.withSidecar()).toEqual([]);
  });
});
