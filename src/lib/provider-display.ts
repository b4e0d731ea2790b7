/** How providers, their availability and their options read in the UI (picker, Settings, History). */
import type { CodexSandbox, ProviderId } from '../shared/providers';
import type { ProviderInfo } from '../shared/rpc/providers';
import { SIGN_IN_LABELS } from '../shared/sign-in-text';
import type { ProvidersStore } from './stores/providers.svelte';

/** Display names of the providers. */
export const PROVIDER_LABELS: Record<ProviderId, string> = { claude: 'Claude Code', codex: 'Codex', ollama: 'Ollama', acp: 'ACP agent' };

/** What Codex may touch under each sandbox policy, for the Settings picker. */
export const SANDBOX_LABELS: Record<CodexSandbox, string> = {
  'read-only': 'read-only: read files, change nothing',
  'workspace-write': 'workspace-write: write inside the project only',
  'danger-full-access': 'danger-full-access: no sandbox at all',
};

/** Longest reason an option of the picker shows; the line under the picker has the whole text. */
export const OPTION_REASON_CHARS = 80;

/** What the UI knows about one provider's availability. */
export interface AvailabilityView {
  /** The picker may start a session on it. */
  available: boolean;
  /** `providers.list`'s entry, when it has arrived. */
  info: ProviderInfo | undefined;
  /** `providers.list` has not answered yet (nothing is known beyond the fallback). */
  checking: boolean;
}

/** A provider's availability as the providers store knows it now (reactive when read in a component). */
export function availabilityView(providers: Pick<ProvidersStore, 'available' | 'info' | 'loaded'>, id: ProviderId): AvailabilityView {
  return { available: providers.available(id), info: providers.info(id), checking: !providers.loaded };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The sign-in state in a few words ("logged in", "key from the environment", "not signed in"); null when not reported or not needed. */
export function signInLabel(info: ProviderInfo | undefined): string | null {
  const state = info?.signIn?.state;
  return state && state !== 'not_needed' ? SIGN_IN_LABELS[state] : null;
}

/**
 * The text of a provider's option in the picker: "Codex — codex-cli 0.169.0 · logged in",
 * "Ollama — unavailable: Ollama is not running at …" (the reason clipped to
 * {@link OPTION_REASON_CHARS}), "ACP agent — checking…" before the list answered.
 */
export function providerOptionText(id: ProviderId, view: AvailabilityView): string {
  const label = PROVIDER_LABELS[id];
  if (view.available) {
    const parts = [view.info?.version, signInLabel(view.info)].filter(Boolean);
    return parts.length ? `${label} — ${parts.join(' · ')}` : label;
  }
  if (view.checking && !view.info) return `${label} — checking…`;
  return `${label} — unavailable: ${clip(view.info?.reason ?? 'not reported by this Corral', OPTION_REASON_CHARS)}`;
}

/** One line on a provider's state, in full: "Available: codex-cli 0.169.0", "Unavailable: <reason>", "Checking availability…". */
export function availabilitySummary(view: AvailabilityView): string {
  if (view.available) return view.info?.version ? `Available: ${view.info.version}` : 'Available';
  if (view.checking && !view.info) return 'Checking availability…';
  return `Unavailable: ${view.info?.reason ?? 'not reported by this Corral'}`;
}

/** The preset whose command line is `command` (spacing aside), if any. */
export function presetIdForCommand(command: string, presets: readonly { id: string; command: string }[]): string | undefined {
  const normalized = command.trim().split(/\s+/).join(' ');
  if (!normalized) return undefined;
  return presets.find((p) => p.command === normalized)?.id;
}
