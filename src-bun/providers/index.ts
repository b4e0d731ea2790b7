/** Picks the runner for a provider. Runners are loaded lazily so a sidecar only loads its own SDK. */
import type { ProviderRunner, RunnerConfig } from './types';

/** Creates the runner for `config.provider`; a runner that cannot start reports it on its first turn as a {@link ProviderError}. */
export async function createRunner(config: RunnerConfig): Promise<ProviderRunner> {
  switch (config.provider) {
    case 'claude': {
      const { createClaudeRunner } = await import('./claude/runner');
      return createClaudeRunner(config);
    }
    case 'codex': {
      const { createCodexRunner } = await import('./codex/runner');
      return createCodexRunner(config);
    }
    case 'ollama': {
      const { createOllamaRunner } = await import('./ollama/runner');
      return createOllamaRunner(config);
    }
    case 'acp': {
      const { createAcpRunner } = await import('./acp/runner');
      return createAcpRunner(config);
    }
  }
}
