import { describe, expect, it } from 'vitest';
import { started } from '../testing/session-store-harness';
import { wire } from '../testing/wire';
import { BURN_WINDOW_MS, IDLE_AFTER_MS, burnRateUsdPerHour, contextPressure, recordCostSnapshot, sessionHealth, type CostSnapshot, type HealthSource } from './health';

const MIN = 60_000;
const T0 = 1_700_000_000_000;

function source(over: Partial<HealthSource> = {}): HealthSource {
  return {
    active: true, stalled: false, needsInput: false, activeTool: null, lastActivityAt: T0, costUsd: 0, costSnapshots: [],
    contextTokens: null, contextWindow: null, ...over,
  };
}

describe('health: burn rate', () => {
  it('is USD per hour over the last 5 minutes of cost snapshots', () => {
    const list: CostSnapshot[] = [];
    recordCostSnapshot(list, T0, 0);
    recordCostSnapshot(list, T0 + 1 * MIN, 0.1);
    recordCostSnapshot(list, T0 + 2 * MIN, 0.2);
    // Two minutes, 20 cents: six dollars an hour.
    expect(burnRateUsdPerHour(list, T0 + 2 * MIN)).toBeCloseTo(6, 6);
    recordCostSnapshot(list, T0 + 7 * MIN, 0.3);
    // Window [2, 7] min: from 0.20 (the baseline at its start) to 0.30 in 5 minutes.
    expect(burnRateUsdPerHour(list, T0 + 7 * MIN)).toBeCloseTo(1.2, 6);
    // Nothing spent in the last 5 minutes: zero.
    expect(burnRateUsdPerHour(list, T0 + 13 * MIN)).toBe(0);
  });

  it('keeps only the snapshots the window needs, plus its baseline', () => {
    const list: CostSnapshot[] = [];
    for (let m = 0; m <= 30; m++) recordCostSnapshot(list, T0 + m * MIN, m / 100);
    expect(list[0].at).toBe(T0 + 30 * MIN - BURN_WINDOW_MS);
    expect(list).toHaveLength(6);
  });

  it('divides by at least a minute, and is null without snapshots or when the provider reports no cost', () => {
    const list: CostSnapshot[] = [];
    recordCostSnapshot(list, T0, 0);
    recordCostSnapshot(list, T0 + 1000, 0.05);
    expect(burnRateUsdPerHour(list, T0 + 1000)).toBeCloseTo(3, 6);
    expect(burnRateUsdPerHour([], T0)).toBeNull();
    expect(sessionHealth(source({ costUsd: null, costSnapshots: list }), T0).burnRateUsdPerHour).toBeNull();
  });
});

describe('health: activity, tool, idle, context', () => {
  it('is inactive without a session or a turn, running when busy, idle after 30 quiet seconds, stalled when the stall timer fired', () => {
    expect(sessionHealth(undefined, T0).activity).toBe('inactive');
    expect(sessionHealth(source({ active: false }), T0)).toMatchObject({ activity: 'inactive', idleMs: null });
    expect(sessionHealth(source(), T0 + IDLE_AFTER_MS - 1)).toMatchObject({ activity: 'running', idleMs: IDLE_AFTER_MS - 1 });
    expect(sessionHealth(source(), T0 + IDLE_AFTER_MS)).toMatchObject({ activity: 'idle', idleMs: IDLE_AFTER_MS });
    expect(sessionHealth(source({ stalled: true }), T0 + 20 * MIN).activity).toBe('stalled');
    expect(sessionHealth(source({ needsInput: true }), T0)).toMatchObject({ activity: 'idle', needsInput: true });
  });

  it('context pressure is tokens in use over the window, where both are known', () => {
    expect(contextPressure(50_000, 200_000)).toBe(0.25);
    expect(contextPressure(50_000, null)).toBeNull();
    expect(contextPressure(null, 200_000)).toBeNull();
    expect(sessionHealth(source({ active: false, contextTokens: 1000, contextWindow: 4000 }), T0, false)).toMatchObject({ activity: 'inactive', contextPressure: 0.25, burnRateUsdPerHour: null });
  });

  it('the store tracks the active tool, cost snapshots and context from the live events', async () => {
    const { rpc, push, clock, store } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    push(wire(0, { type: 'tool_call', id: 'c1', name: 'Bash', input: {}, command: 'ls' }));
    expect(store.health('p1', clock.now()).activeTool).toBe('Bash');
    push(wire(1, { type: 'tool_call', id: 'c2', name: 'Read', input: {}, path: '/x' }));
    push(wire(2, { type: 'tool_result', id: 'c2', output: 'x', isError: false }));
    expect(store.health('p1', clock.now()).activeTool).toBe('Bash');
    push(wire(3, { type: 'tool_result', id: 'c1', output: 'ok', isError: false }));
    expect(store.health('p1', clock.now()).activeTool).toBeNull();
    clock.advance(2 * MIN);
    rpc.emit('agent.cost', { sessionId: 's1', costUsd: 0.2, inputTokens: 10, outputTokens: 5, contextTokens: 30_000, contextWindow: 200_000 });
    expect(store.health('p1', clock.now())).toMatchObject({ burnRateUsdPerHour: expect.closeTo(6, 6), contextPressure: 0.15, activity: 'idle', idleMs: 2 * MIN });
    rpc.emit('agent.cost', { sessionId: 's1', costUsd: 0.2, inputTokens: 10, outputTokens: 5, contextTokens: 50_000, contextWindow: 200_000 });
    expect(store.health('p1', clock.now()).contextPressure).toBe(0.25);
    push(wire(4, { type: 'tool_call', id: 'c3', name: 'Write', input: {} }));
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    expect(store.health('p1', clock.now())).toMatchObject({ activity: 'inactive', activeTool: null });
  });
});
