/**
 * The Settings form's draft of `provider_settings`: one text per field the
 * form edits, checked field by field against the shared schema, and merged
 * back over the stored value so keys the form does not edit (`executable`)
 * survive a save.
 */
import { PROVIDERS, type CodexSandbox, type ProviderId } from '../shared/providers';
import { ProviderSettingsEntrySchema, type Settings } from '../shared/settings';

/** The fields the form edits. */
export type ProviderField = 'model' | 'host' | 'command' | 'sandbox';

/** One provider's fields as typed; empty = unset. */
export interface ProviderDraft {
  model: string;
  host: string;
  command: string;
  sandbox: CodexSandbox | '';
}

/** Drafts of every provider. */
export type ProviderDrafts = Record<ProviderId, ProviderDraft>;

/** Field errors, keyed `provider.field` (e.g. `ollama.host`). */
export type ProviderDraftErrors = Partial<Record<`${ProviderId}.${ProviderField}`, string>>;

/** Which fields each provider has in the form. */
export const PROVIDER_FIELDS: Record<ProviderId, readonly ProviderField[]> = {
  claude: ['model'],
  codex: ['model', 'sandbox'],
  ollama: ['model', 'host'],
  acp: ['model', 'command'],
};

/** The drafts of the stored provider settings. */
export function providerDraftsOf(stored: Settings['provider_settings']): ProviderDrafts {
  const drafts = {} as ProviderDrafts;
  for (const p of PROVIDERS) {
    const entry = stored[p] ?? {};
    drafts[p] = { model: entry.model ?? '', host: entry.host ?? '', command: entry.command ?? '', sandbox: entry.sandbox ?? '' };
  }
  return drafts;
}

/** The messages of the fields that the schema refuses, trimmed as they would be saved. */
export function providerDraftErrors(drafts: ProviderDrafts): ProviderDraftErrors {
  const errors: ProviderDraftErrors = {};
  for (const p of PROVIDERS) {
    for (const field of PROVIDER_FIELDS[p]) {
      const value = drafts[p][field].trim();
      if (!value) continue;
      const parsed = ProviderSettingsEntrySchema.shape[field].safeParse(value);
      if (!parsed.success) errors[`${p}.${field}`] = parsed.error.issues[0]?.message ?? 'Invalid value';
    }
  }
  return errors;
}

/**
 * The stored provider settings with the drafts applied: a filled field is
 * set (trimmed), an empty one removed, a provider left with nothing dropped.
 */
export function applyProviderDrafts(stored: Settings['provider_settings'], drafts: ProviderDrafts): Settings['provider_settings'] {
  const next: Settings['provider_settings'] = { ...stored };
  for (const p of PROVIDERS) {
    const entry: Record<string, string> = { ...(stored[p] ?? {}) };
    for (const field of PROVIDER_FIELDS[p]) {
      const value = drafts[p][field].trim();
      if (value) entry[field] = value;
      else delete entry[field];
    }
    if (Object.keys(entry).length > 0) next[p] = entry as NonNullable<Settings['provider_settings'][ProviderId]>;
    else delete next[p];
  }
  return next;
}
