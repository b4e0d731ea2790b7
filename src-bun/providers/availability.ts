/**
 * Which providers can run here, for the Provider picker (`providers.list`).
 * Claude runs through the Agent SDK's bundled Claude Code; the others are
 * added by their own modules.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ProviderInfo } from '../../src/shared/rpc/providers';
import type { Settings } from '../../src/shared/settings';

const require = createRequire(import.meta.url);

/** Version of an installed npm package, or null. */
export function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

function claudeInfo(settings: Settings): ProviderInfo {
  const custom = settings.claude_executable || settings.provider_settings.claude?.executable;
  if (custom) {
    return existsSync(custom)
      ? { id: 'claude', label: 'Claude Code', available: true, version: null, reason: null, models: [] }
      : { id: 'claude', label: 'Claude Code', available: false, version: null, reason: `claude executable not found at ${custom}`, models: [] };
  }
  const sdk = packageVersion('@anthropic-ai/claude-agent-sdk');
  let bundled = false;
  try {
    bundled = existsSync(join(dirname(require.resolve(`@anthropic-ai/claude-agent-sdk-${process.platform}-${process.arch}/package.json`)), process.platform === 'win32' ? 'claude.exe' : 'claude'));
  } catch {
    bundled = false;
  }
  if (!sdk) return { id: 'claude', label: 'Claude Code', available: false, version: null, reason: '@anthropic-ai/claude-agent-sdk is not installed (run npm install)', models: [] };
  return bundled
    ? { id: 'claude', label: 'Claude Code', available: true, version: `Agent SDK ${sdk}`, reason: null, models: [] }
    : { id: 'claude', label: 'Claude Code', available: false, version: null, reason: `the Agent SDK has no bundled Claude Code for ${process.platform}-${process.arch}; set a claude executable in Settings`, models: [] };
}

/** Availability of every provider. Never throws: a failing probe becomes `available:false` with its reason. */
export async function listProviders(settings: Settings, _env: Record<string, string | undefined>): Promise<ProviderInfo[]> {
  return [
    claudeInfo(settings),
    { id: 'codex', label: 'Codex', available: false, version: null, reason: 'not supported in this version yet', models: [] },
    { id: 'ollama', label: 'Ollama', available: false, version: null, reason: 'not supported in this version yet', models: [] },
    { id: 'acp', label: 'ACP agent', available: false, version: null, reason: 'not supported in this version yet', models: [] },
  ];
}
