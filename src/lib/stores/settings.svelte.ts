/**
 * The settings store: the values the main process holds (`settings.getAll`),
 * checked here against the same per-key schema before `settings.set`, so an
 * out-of-range value gets its message at once. Stores read settings through
 * a getter ({@link SettingsStore.values}), so a saved change applies without
 * a restart.
 */
import { DEFAULT_SETTINGS, SettingsSchema, type SettingKey, type Settings } from '../../shared/settings';
import type { RpcClient } from '../rpc/types';

/** Result of validating or saving one setting. */
export type SettingResult<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

/** The settings store's public face. */
export interface SettingsStore {
  /** Current values; the defaults until {@link load} answered. */
  readonly values: Settings;
  readonly loaded: boolean;
  /** Fetches every setting; a failure keeps the current values and rejects. */
  load(): Promise<void>;
  /** Validates and saves one setting; resolves with the value stored, or the message of what is wrong. */
  save<K extends SettingKey>(key: K, value: unknown): Promise<SettingResult<Settings[K]>>;
}

/** Options of {@link createSettingsStore}. */
export interface SettingsStoreDeps {
  rpc: RpcClient;
  /** Called after every successful load or save, e.g. to re-arm timers. */
  onChange?: (values: Settings) => void;
}

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

/** Creates the store; nothing is fetched until {@link SettingsStore.load}. */
export function createSettingsStore(deps: SettingsStoreDeps): SettingsStore {
  const { rpc } = deps;
  let values = $state.raw<Settings>({ ...DEFAULT_SETTINGS });
  let loaded = $state(false);

  return {
    get values() {
      return values;
    },
    get loaded() {
      return loaded;
    },
    async load() {
      values = { ...DEFAULT_SETTINGS, ...(await rpc.request('settings.getAll', {})) };
      loaded = true;
      deps.onChange?.(values);
    },
    async save(key, value) {
      const checked = validateSetting(key, value);
      if (!checked.ok) return checked;
      try {
        values = { ...DEFAULT_SETTINGS, ...(await rpc.request('settings.set', { key, value: checked.value })) };
      } catch (err) {
        // The main process names the key and the rule; the field already shows which key it is.
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, error: message.replace(/^Invalid value for [a-z_]+: /, '') };
      }
      deps.onChange?.(values);
      return { ok: true, value: values[key] };
    },
  };
}
