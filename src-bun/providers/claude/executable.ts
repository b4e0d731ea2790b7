/**
 * Where Claude Code is: a path from Settings, else the native binary the
 * Agent SDK bundles for this platform
 * (`@anthropic-ai/claude-agent-sdk-<platform>-<arch>/claude`), which is what
 * the SDK runs when no executable is given.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Settings } from '../../../src/shared/settings';

const require = createRequire(import.meta.url);

/** The bundled Claude Code binary for this platform, or null when its package is missing. */
export function bundledClaudeExecutable(platform: string = process.platform, arch: string = process.arch): string | null {
  try {
    const root = dirname(require.resolve(`@anthropic-ai/claude-agent-sdk-${platform}-${arch}/package.json`));
    const binary = join(root, platform === 'win32' ? 'claude.exe' : 'claude');
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** The executable sessions run: the configured one when set (null if it does not exist), else the bundled one. */
export function claudeExecutable(settings: Settings): string | null {
  const custom = settings.claude_executable || settings.provider_settings.claude?.executable;
  if (custom) return existsSync(custom) ? custom : null;
  return bundledClaudeExecutable();
}
