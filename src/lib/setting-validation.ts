/** One setting's value checked against its key's schema (src/shared/settings.ts), for the settings store and the Settings view. */
import { DEFAULT_SETTINGS, SettingsSchema, type SettingKey, type Settings } from '../shared/settings';

/** Result of validating or saving one setting. */
export type SettingResult<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

const INTEGER_KEYS: ReadonlySet<SettingKey> = new Set(
  (Object.keys(DEFAULT_SETTINGS) as SettingKey[]).filter((k) => typeof DEFAULT_SETTINGS[k] === 'number'),
);

/** Checks a value against its key's schema; the message is the schema's own (e.g. "Keep at most 50 sessions"). */
export function validateSetting<K extends SettingKey>(key: K, value: unknown): SettingResult<Settings[K]> {
  if (INTEGER_KEYS.has(key) && (typeof value !== 'number' || !Number.isInteger(value))) return { ok: false, error: 'Enter a whole number' };
  const parsed = SettingsSchema.shape[key].safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data as Settings[K] };
  return { ok: false, error: parsed.error.issues[0]?.message ?? 'Invalid value' };
}
