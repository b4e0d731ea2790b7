import { describe, expect, it } from 'vitest';
import { ACP_PRESETS } from '../shared/providers';
import type { ProviderInfo } from '../shared/rpc/providers';
import { OPTION_REASON_CHARS, availabilitySummary, presetIdForCommand, providerOptionText } from './provider-display';

const info = (over: Partial<ProviderInfo>): ProviderInfo => ({ id: 'codex', label: 'Codex', available: true, version: null, reason: null, models: [], ...over });

describe('provider display', () => {
  it('names an available provider with its version', () => {
    const view = { available: true, info: info({ version: 'codex-cli 0.169.0' }), checking: false };
    expect(providerOptionText('codex', view)).toBe('Codex — codex-cli 0.169.0');
    expect(availabilitySummary(view)).toBe('Available: codex-cli 0.169.0');
    expect(providerOptionText('claude', { available: true, info: undefined, checking: true })).toBe('Claude Code');
  });

  it('says why a provider is unavailable, clipping a long reason in the option but not in the summary', () => {
    const reason = 'Ollama is not running at http://127.0.0.1:11434 (fetch failed). Start it with `ollama serve`, or set the Ollama host in Settings.';
    const view = { available: false, info: info({ id: 'ollama', available: false, reason }), checking: false };
    const option = providerOptionText('ollama', view);
    expect(option.startsWith('Ollama — unavailable: Ollama is not running at http://127.0.0.1:11434')).toBe(true);
    expect(option.endsWith('…')).toBe(true);
    expect(option.length).toBe('Ollama — unavailable: '.length + OPTION_REASON_CHARS);
    expect(availabilitySummary(view)).toBe(`Unavailable: ${reason}`);
  });

  it('says it is checking before providers.list answered', () => {
    const view = { available: false, info: undefined, checking: true };
    expect(providerOptionText('acp', view)).toBe('ACP agent — checking…');
    expect(availabilitySummary(view)).toBe('Checking availability…');
    expect(providerOptionText('acp', { ...view, checking: false })).toBe('ACP agent — unavailable: not reported by this Corral');
  });

  it('finds the preset of a command line, spacing aside', () => {
    expect(presetIdForCommand('  gemini   --acp ', ACP_PRESETS)).toBe('gemini');
    expect(presetIdForCommand('codex-acp', ACP_PRESETS)).toBe('codex-acp');
    expect(presetIdForCommand('gemini --acp --debug', ACP_PRESETS)).toBeUndefined();
    expect(presetIdForCommand('', ACP_PRESETS)).toBeUndefined();
  });
});
