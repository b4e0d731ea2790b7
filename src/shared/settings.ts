/**
 * Settings: one schema per key, so `settings.set` validates the value of the
 * key it names. Keys are snake_case as stored in the settings table.
 */
import { z } from 'zod';
import { UsdLimitSchema } from './budget';
import { CodexSandboxSchema, PermissionModeSchema, ProviderIdSchema } from './providers';

/** Largest delay a JS timer takes (2^31−1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A duration in ms, 0 = disabled; values over {@link MAX_TIMER_MS} are clamped to it. */
const timerMs = z.number().int().min(0, 'must be 0 (off) or more').transform((v) => Math.min(v, MAX_TIMER_MS));

/**
 * The Ollama host as the `ollama` library takes it: `http(s)://host[:port]`,
 * or `host[:port]`, which it reads as http.
 */
function isOllamaHost(value: string): boolean {
  const host = value.trim();
  if (host === '') return true;
  if (/\s/.test(host)) return false;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** One provider's defaults. Each field applies only to the providers named on it. */
export const ProviderSettingsEntrySchema = z.object({
  /** Model of new sessions; unset = the provider's own default (Ollama: the first installed model). */
  model: z.string().max(256).optional(),
  /** Path of the provider's CLI instead of the bundled one or the one on PATH. */
  executable: z.string().max(4096).optional(),
  /** Ollama: server URL; unset = `OLLAMA_HOST`, else http://127.0.0.1:11434. */
  host: z.string().max(4096).refine(isOllamaHost, 'Enter a URL like http://127.0.0.1:11434').optional(),
  /** ACP: the agent's command line, e.g. `gemini --acp`. */
  command: z.string().max(4096).optional(),
  /** Codex: sandbox of new sessions; unset = derived from the permission mode. */
  sandbox: CodexSandboxSchema.optional(),
});
export type ProviderSettingsEntry = z.infer<typeof ProviderSettingsEntrySchema>;

/** The UI's colour theme: `system` follows the OS (`prefers-color-scheme`). */
export const ThemePreferenceSchema = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreferenceSchema>;

export const SettingsSchema = z.object({
  /** Stall timer, minutes (1–120). */
  stall_timeout_min: z.number().int().min(1, 'Stall timeout must be at least 1 minute').max(120, 'Stall timeout must be at most 120 minutes'),
  /** Finished sessions kept per project (1–50). */
  retention_count: z.number().int().min(1, 'Keep at least 1 session').max(50, 'Keep at most 50 sessions'),
  /** Days a finished session is kept (1–365). */
  retention_days: z.number().int().min(1, 'Keep sessions at least 1 day').max(365, 'Keep sessions at most 365 days'),
  permission_mode: PermissionModeSchema,
  system_prompt_template: z.string().max(200_000),
  default_cwd: z.string().max(4096),
  /** Per-provider defaults, e.g. `{claude: {model: 'sonnet'}, codex: {sandbox: 'read-only'}}`. */
  provider_settings: z.partialRecord(ProviderIdSchema, ProviderSettingsEntrySchema),
  /** Debounce window of message saves, ms (100–60000). */
  persist_debounce_ms: z.number().int().min(100).max(60_000),
  /** A running session whose sidecar wrote nothing and used no CPU for this long is a zombie and is killed, ms; 0 disables. */
  generator_idle_ms: timerMs,
  /** How often the idle reaper looks for idle sessions, ms; 0 disables the reaper. */
  session_reap_interval_ms: timerMs,
  /** An idle session with no UI attached is soft-closed after this long, ms; 0 disables. */
  session_idle_timeout_ms: timerMs,
  /** Most live sidecars at once (1–200); when full, the idlest idle session is closed. */
  max_sessions: z.number().int().min(1).max(200),
  /** Path of a `claude` executable to use instead of the one bundled with the Agent SDK; empty = bundled. */
  claude_executable: z.string().max(4096),
  theme: ThemePreferenceSchema,
  /** Most a session may spend, USD, from its provider's reported cost; null = no limit. */
  budget_session_usd: UsdLimitSchema,
  /** Most a project's sessions may spend together, all time, USD; null = no limit. */
  budget_project_usd: UsdLimitSchema,
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export { DEFAULT_SETTINGS } from './settings-defaults';

export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];
