/**
 * Resolves what a session runs with: the start request's options over the
 * user's settings, over provider defaults.
 */
import type { ProviderId, SessionOptions } from '../../src/shared/providers';
import type { Settings } from '../../src/shared/settings';
import type { RunnerConfig } from '../providers/types';
import { buildSidecarEnv } from './sidecar-env';

/** Options as stored with the session (JSON in `sessions.options_json`) and replayed when it resumes. */
export type ResolvedOptions = Omit<SessionOptions, 'cwd'> & { permissionMode: NonNullable<SessionOptions['permissionMode']> };

export function resolveOptions(provider: ProviderId, options: SessionOptions | undefined, settings: Settings): ResolvedOptions {
  const providerDefaults = settings.provider_settings[provider] ?? {};
  const systemPrompt = options?.systemPrompt ?? (settings.system_prompt_template || undefined);
  // Only Codex has a sandbox; the stored setting is its default for new sessions.
  const sandbox = options?.sandbox ?? (provider === 'codex' ? providerDefaults.sandbox : undefined);
  return {
    model: options?.model ?? providerDefaults.model,
    permissionMode: options?.permissionMode ?? settings.permission_mode,
    ...(systemPrompt ? { systemPrompt } : {}),
    ...(options?.maxTurns ? { maxTurns: options.maxTurns } : {}),
    ...(options?.extraEnv ? { extraEnv: options.extraEnv } : {}),
    ...(sandbox ? { sandbox } : {}),
  };
}

/** The sidecar's start config for a session. */
export function runnerConfig(args: {
  provider: ProviderId; cwd: string; options: ResolvedOptions; settings: Settings;
  baseEnv: Record<string, string | undefined>; resumeId: string | null;
}): RunnerConfig {
  const { provider, options, settings } = args;
  const executable = provider === 'claude' ? settings.claude_executable || settings.provider_settings.claude?.executable : settings.provider_settings[provider]?.executable;
  return {
    provider,
    cwd: args.cwd,
    permissionMode: options.permissionMode,
    env: buildSidecarEnv(args.baseEnv, options.extraEnv),
    ...(options.model ? { model: options.model } : {}),
    ...(options.systemPrompt ? { systemPrompt: options.systemPrompt } : {}),
    ...(options.maxTurns ? { maxTurns: options.maxTurns } : {}),
    ...(args.resumeId ? { resumeId: args.resumeId } : {}),
    ...(executable ? { executable } : {}),
    ...(provider === 'ollama' && settings.provider_settings.ollama?.host ? { host: settings.provider_settings.ollama.host } : {}),
    ...(provider === 'acp' && settings.provider_settings.acp?.command ? { command: settings.provider_settings.acp.command } : {}),
    ...(provider === 'codex' && options.sandbox ? { sandbox: options.sandbox } : {}),
  };
}
