/** Every setting's default, as a plain value (the schema is in settings.ts, which re-exports this). */
import type { Settings } from './settings';

export const DEFAULT_SETTINGS: Settings = {
  stall_timeout_min: 15,
  retention_count: 5,
  retention_days: 30,
  permission_mode: 'acceptEdits',
  system_prompt_template: '',
  default_cwd: '',
  provider_settings: {},
  persist_debounce_ms: 2000,
  generator_idle_ms: 30 * 60_000,
  session_reap_interval_ms: 60_000,
  session_idle_timeout_ms: 30 * 60_000,
  max_sessions: 20,
  claude_executable: '',
  theme: 'system',
  budget_session_usd: null,
  budget_project_usd: null,
};
