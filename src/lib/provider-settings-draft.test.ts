import { describe, expect, it } from 'vitest';
import { applyProviderDrafts, providerDraftErrors, providerDraftsOf } from './provider-settings-draft';

describe('provider settings draft', () => {
  it('fills every provider from the stored settings, empty where unset', () => {
    const drafts = providerDraftsOf({ ollama: { host: 'http://gpu:11434', model: 'qwen3:0.6b' }, codex: { sandbox: 'read-only' } });
    expect(drafts.ollama).toEqual({ model: 'qwen3:0.6b', host: 'http://gpu:11434', command: '', sandbox: '' });
    expect(drafts.codex.sandbox).toBe('read-only');
    expect(drafts.acp).toEqual({ model: '', host: '', command: '', sandbox: '' });
  });

  it('sets trimmed fields, removes emptied ones, drops empty providers, and keeps keys the form does not edit', () => {
    const stored = { codex: { executable: '/opt/codex', sandbox: 'read-only' as const }, claude: { model: 'sonnet' } };
    const drafts = providerDraftsOf(stored);
    drafts.codex.sandbox = '';
    drafts.claude.model = '  ';
    drafts.acp.command = ' gemini --acp ';
    drafts.ollama.host = 'http://gpu:11434';
    expect(applyProviderDrafts(stored, drafts)).toEqual({
      codex: { executable: '/opt/codex' },
      acp: { command: 'gemini --acp' },
      ollama: { host: 'http://gpu:11434' },
    });
  });

  it('applies only the fields a provider has in the form', () => {
    const drafts = providerDraftsOf({});
    drafts.claude.host = 'http://ignored:1';
    drafts.claude.sandbox = 'read-only';
    expect(applyProviderDrafts({}, drafts)).toEqual({});
  });

  it('refuses an Ollama host that is not an http(s) URL or host:port', () => {
    const drafts = providerDraftsOf({});
    for (const ok of ['http://127.0.0.1:11434', 'https://ollama.example.com', 'gpu-box:11434', '']) {
      drafts.ollama.host = ok;
      expect(providerDraftErrors(drafts)).toEqual({});
    }
    for (const bad of ['ftp://gpu:11434', 'http://', 'gpu box:11434']) {
      drafts.ollama.host = bad;
      expect(providerDraftErrors(drafts)).toEqual({ 'ollama.host': 'Enter a URL like http://127.0.0.1:11434' });
    }
  });
});
