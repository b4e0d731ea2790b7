import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { createFakeRpc } from '../testing/fake-rpc';
import { setup } from '../testing/session-store-harness';
import { validateSetting } from '../setting-validation';
import { createSettingsStore } from './settings.svelte';

describe('settings: validation', () => {
  it('gives the rule broken when a value is out of range', () => {
    expect(validateSetting('stall_timeout_min', 0)).toEqual({ ok: false, error: 'Stall timeout must be at least 1 minute' });
    expect(validateSetting('stall_timeout_min', 121)).toEqual({ ok: false, error: 'Stall timeout must be at most 120 minutes' });
    expect(validateSetting('retention_count', 51)).toEqual({ ok: false, error: 'Keep at most 50 sessions' });
    expect(validateSetting('retention_count', 0)).toEqual({ ok: false, error: 'Keep at least 1 session' });
    expect(validateSetting('retention_days', 366)).toEqual({ ok: false, error: 'Keep sessions at most 365 days' });
    expect(validateSetting('retention_days', 2.5)).toEqual({ ok: false, error: 'Enter a whole number' });
    expect(validateSetting('stall_timeout_min', Number.NaN)).toEqual({ ok: false, error: 'Enter a whole number' });
    expect(validateSetting('permission_mode', 'yolo')).toMatchObject({ ok: false });
    expect(validateSetting('retention_days', 365)).toEqual({ ok: true, value: 365 });
    expect(validateSetting('theme', 'light')).toEqual({ ok: true, value: 'light' });
    expect(validateSetting('theme', 'purple')).toMatchObject({ ok: false });
    expect(validateSetting('provider_settings', { claude: { model: 'sonnet' } })).toEqual({ ok: true, value: { claude: { model: 'sonnet' } } });
  });
});

describe('settings store', () => {
  it('loads, and saves a valid value through settings.set, keeping what the main process answers', async () => {
    let stored: Settings = { ...DEFAULT_SETTINGS, stall_timeout_min: 20 };
    const rpc = createFakeRpc({
      'settings.getAll': () => stored,
      'settings.set': ({ key, value }) => (stored = { ...stored, [key]: value }),
    });
    const changes: number[] = [];
    const settings = createSettingsStore({ rpc: rpc.client, onChange: (v) => changes.push(v.stall_timeout_min) });
    expect(settings.values.stall_timeout_min).toBe(15);
    await settings.load();
    expect([settings.loaded, settings.values.stall_timeout_min]).toEqual([true, 20]);
    expect(await settings.save('stall_timeout_min', 1)).toEqual({ ok: true, value: 1 });
    expect(rpc.callsOf('settings.set')).toEqual([{ key: 'stall_timeout_min', value: 1 }]);
    expect(changes).toEqual([20, 1]);
  });

  it('does not send an invalid value, and shows the main process refusal without the key prefix', async () => {
    const rpc = createFakeRpc({ 'settings.set': () => Promise.reject(new Error('Invalid value for retention_count: Keep at most 50 sessions')) });
    const settings = createSettingsStore({ rpc: rpc.client });
    expect(await settings.save('retention_count', 99)).toEqual({ ok: false, error: 'Keep at most 50 sessions' });
    expect(rpc.callsOf('settings.set')).toEqual([]);
    expect(await settings.save('retention_count', 7)).toEqual({ ok: false, error: 'Keep at most 50 sessions' });
    expect(settings.values.retention_count).toBe(5);
  });

  it('feeds the session store through a getter: a saved stall timeout applies to the next arming without a restart', async () => {
    const ctx = setup();
    const settings = createSettingsStore({ rpc: ctx.rpc.client });
    Object.assign(ctx.settings, settings.values);
    await settings.save('stall_timeout_min', 1);
    Object.assign(ctx.settings, settings.values);
    await ctx.store.send('p1', 'hi', 'claude');
    ctx.clock.advance(60_000);
    expect(ctx.toasts.map((t) => t.message)).toContain('Agent stalled on alpha (no activity for 1 min)');
  });
});
