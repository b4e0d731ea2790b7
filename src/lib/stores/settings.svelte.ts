/**
 * The settings store: the values the main process holds (`settings.getAll`),
 * checked here against the same per-key schema before `settings.set`, so an
 * out-of-range value gets its message at once (setting-validation.ts, loaded
 * with the first save: the schemas are not on the boot path). Stores read settings through
 * a getter ({@link SettingsStore.values}), so a saved change applies without
 * a restart.
 */
import type { SettingKey, Settings } from '../../shared/settings';
import { DEFAULT_SETTINGS } from '../../shared/settings-defaults';
import type { RpcClient } from '../rpc/types';
import type { SettingResult } from '../setting-validation';

export type { SettingResult } from '../setting-validation';

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

/** The schemas' check, once the first save loaded it. */
let validation: typeof import('../setting-validation') | null = null;

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
      validation ??= await import('../setting-validation');
      const checked = validation.validateSetting(key, value);
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
