/** Picks the runner for a provider. Runners are loaded lazily so a sidecar only loads its own SDK. */
import type { ProviderRunner, RunnerConfig } from './types';
import { ProviderError } from './types';

/** Creates the runner for `config.provider`; throws {@link ProviderError} for a provider this build cannot run. */
export async function createRunner(config: RunnerConfig): Promise<ProviderRunner> {
  switch (config.provider) {
    case 'claude': {
      const { createClaudeRunner } = await import('./claude/runner');
      return createClaudeRunner(config);
    }
    default:
      throw new ProviderError(`Provider ${config.provider} is not available in this version of Corral`);
  }
}
