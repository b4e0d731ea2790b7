import { describe, expect, it, vi } from 'vitest';
import type { ProviderInfo } from '../../shared/rpc/providers';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { createFakeRpc, deferred } from '../testing/fake-rpc';
import { createProvidersStore } from './providers.svelte';

const info = (id: ProviderInfo['id'], available: boolean, over: Partial<ProviderInfo> = {}): ProviderInfo => ({
  id, label: id, available, version: available ? `${id} 1.0` : null, reason: available ? null : `${id} not found`, models: [], ...over,
});
const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over });

describe('providers store', () => {
  it('offers only Claude Code until providers.list answers, then what it reports', async () => {
    const rpc = createFakeRpc({ 'providers.list': () => [info('claude', true), info('codex', true), info('ollama', false)] });
    const store = createProvidersStore({ rpc: rpc.client });
    expect([store.available('claude'), store.available('codex'), store.loaded]).toEqual([true, false, false]);
    await store.load();
    expect(store.loaded).toBe(true);
    expect([store.available('codex'), store.available('ollama'), store.available('acp')]).toEqual([true, false, false]);
    expect(store.reason('ollama')).toBe('ollama not found');
    expect(store.info('codex')?.version).toBe('codex 1.0');
    expect(store.info('acp')).toBeUndefined();
  });

  it('keeps the last list when a refresh fails, and says why until one succeeds', async () => {
    const rpc = createFakeRpc({ 'providers.list': () => [info('codex', true)] });
    const store = createProvidersStore({ rpc: rpc.client });
    await store.load();
    rpc.handle('providers.list', () => Promise.reject(new Error('connection lost')));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await store.load();
    expect(warn).toHaveBeenCalledWith('providers.list failed: connection lost');
    warn.mockRestore();
    expect(store.error).toBe('connection lost');
    expect(store.available('codex')).toBe(true);
    rpc.handle('providers.list', () => [info('codex', false)]);
    await store.load();
    expect([store.error, store.available('codex')]).toEqual([null, false]);
  });

  it('is loading while a request is in flight, and keeps only the newest answer', async () => {
    const rpc = createFakeRpc();
    const store = createProvidersStore({ rpc: rpc.client });
    const older = deferred<ProviderInfo[]>();
    const newer = deferred<ProviderInfo[]>();
    rpc.handle('providers.list', () => older.promise);
    const first = store.load();
    rpc.handle('providers.list', () => newer.promise);
    const second = store.load();
    expect(store.loading).toBe(true);
    newer.resolve([info('ollama', true, { models: ['qwen3:0.6b'] })]);
    await second;
    older.resolve([info('ollama', false)]);
    await first;
    expect(store.loading).toBe(false);
    expect(store.available('ollama')).toBe(true);
    expect(store.info('ollama')?.models).toEqual(['qwen3:0.6b']);
  });

  it('fetches again when the provider settings change, not on the first load nor on unrelated changes', async () => {
    const rpc = createFakeRpc();
    const store = createProvidersStore({ rpc: rpc.client });
    store.settingsChanged(settings());
    store.settingsChanged(settings({ retention_count: 9 }));
    expect(rpc.callsOf('providers.list')).toHaveLength(0);
    store.settingsChanged(settings({ provider_settings: { ollama: { host: 'http://gpu-box:11434' } } }));
    store.settingsChanged(settings({ provider_settings: { ollama: { host: 'http://gpu-box:11434' } }, stall_timeout_min: 3 }));
    expect(rpc.callsOf('providers.list')).toHaveLength(1);
    store.settingsChanged(settings({ provider_settings: { ollama: { host: 'http://gpu-box:11434' } }, claude_executable: '/opt/claude' }));
    expect(rpc.callsOf('providers.list')).toHaveLength(2);
  });
});
