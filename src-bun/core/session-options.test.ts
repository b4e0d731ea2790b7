import { describe, expect, it } from 'bun:test';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { resolveOptions, runnerConfig } from './session-options';

const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over });

describe('resolveOptions: Codex sandbox', () => {
  it('falls back to the Codex sandbox setting when the start names none', () => {
    const s = settings({ provider_settings: { codex: { sandbox: 'read-only' } } });
    expect(resolveOptions('codex', undefined, s).sandbox).toBe('read-only');
    expect(resolveOptions('codex', { model: 'gpt-5' }, s)).toMatchObject({ model: 'gpt-5', sandbox: 'read-only' });
  });

  it('lets the start override the setting', () => {
    const s = settings({ provider_settings: { codex: { sandbox: 'read-only' } } });
    expect(resolveOptions('codex', { sandbox: 'workspace-write' }, s).sandbox).toBe('workspace-write');
  });

  it('leaves the sandbox unset (derived from the permission mode) without a setting, and for other providers', () => {
    expect('sandbox' in resolveOptions('codex', undefined, settings())).toBe(false);
    const s = settings({ provider_settings: { codex: { sandbox: 'read-only' }, claude: { sandbox: 'read-only' } } });
    expect('sandbox' in resolveOptions('claude', undefined, s)).toBe(false);
    expect('sandbox' in resolveOptions('ollama', undefined, s)).toBe(false);
  });

  it('hands the resolved sandbox to the Codex runner', () => {
    const s = settings({ provider_settings: { codex: { sandbox: 'danger-full-access' } } });
    const options = resolveOptions('codex', undefined, s);
    expect(runnerConfig({ provider: 'codex', cwd: '/p', options, settings: s, baseEnv: {}, resumeId: null }).sandbox).toBe('danger-full-access');
  });
});
