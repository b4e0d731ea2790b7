/**
 * Codex's sign-in state (codex-cli 0.169). Codex takes a key from
 * `CODEX_API_KEY` or `OPENAI_API_KEY` (or an access token from
 * `CODEX_ACCESS_TOKEN`), else the login `codex login` stored under
 * `$CODEX_HOME` (default `~/.codex`, `auth.json` or the keyring), which
 * `codex login status` reports: exit 0 with "Logged in using ChatGPT" or
 * "API key configured - sk-***…" (a masked key, never passed on), exit 1
 * with "Not logged in". A `model_provider` other than OpenAI in
 * `$CODEX_HOME/config.toml` takes its key from that provider's `env_key`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LoginFlow, SignIn } from '../../../src/shared/sign-in';
import { buildSidecarEnv } from '../../core/sidecar-env';
import { runBriefCommand, setVariables, shellWord } from './brief-command';

/** Variables Codex takes a key or token from. */
export const CODEX_KEY_VARIABLES = ['CODEX_API_KEY', 'OPENAI_API_KEY', 'CODEX_ACCESS_TOKEN'] as const;

/** What `codex login status` said: logged in how, or not. */
export type CodexLoginStatus = { loggedIn: false } | { loggedIn: true; method: 'chatgpt' | 'api_key' | 'other' };

/** `$CODEX_HOME`, else `~/.codex`. */
export function codexHome(env: Record<string, string | undefined>): string {
  return env.CODEX_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.codex');
}

/** Reads `codex login status`'s exit code and text (Codex prints it on stderr). */
export function parseCodexLoginStatus(code: number, output: string): CodexLoginStatus {
  if (code !== 0) return { loggedIn: false };
  if (/chatgpt/i.test(output)) return { loggedIn: true, method: 'chatgpt' };
  if (/api key/i.test(output)) return { loggedIn: true, method: 'api_key' };
  return { loggedIn: true, method: 'other' };
}

/** Asks the CLI at `binary`; null when it does not answer in time. */
export async function codexLoginStatus(binary: string, env: Record<string, string | undefined>): Promise<CodexLoginStatus | null> {
  const result = await runBriefCommand([binary, 'login', 'status'], buildSidecarEnv(env));
  return result ? parseCodexLoginStatus(result.code, `${result.stdout}\n${result.stderr}`) : null;
}

/** The non-OpenAI model provider config.toml selects, and the variable its key comes from; null for OpenAI. */
export function configuredModelProvider(env: Record<string, string | undefined>): { name: string; envKey: string | null } | null {
  const file = join(codexHome(env), 'config.toml');
  if (!existsSync(file)) return null;
  try {
    const config = Bun.TOML.parse(readFileSync(file, 'utf8')) as { model_provider?: unknown; model_providers?: Record<string, { env_key?: unknown }> };
    const name = typeof config.model_provider === 'string' ? config.model_provider : null;
    if (!name || name === 'openai') return null;
    const envKey = config.model_providers?.[name]?.env_key;
    return { name, envKey: typeof envKey === 'string' ? envKey : null };
  } catch {
    return null;
  }
}

/** The login flows Corral runs for Codex: the browser login, and the device code for a machine without one. */
export function codexLogins(binary: string | null): LoginFlow[] {
  if (!binary) return [];
  const b = shellWord(binary);
  return [
    { id: 'codex', label: 'Log in with ChatGPT', command: `${b} login`, acceptsCode: false },
    { id: 'codex-device', label: 'Log in with a device code', command: `${b} login --device-auth`, acceptsCode: false },
  ];
}

/**
 * Codex's sign-in: `status` is `codex login status`'s answer (null when it
 * could not be asked), `binary` the CLI sessions run (null when none is found).
 */
export function codexSignIn(env: Record<string, string | undefined>, binary: string | null, status: CodexLoginStatus | null): SignIn {
  const home = codexHome(env);
  const b = binary ? shellWord(binary) : 'codex';
  const fix = `Run \`${b} login\` in a terminal (add --device-auth where no browser can open), or set CODEX_API_KEY in the environment Corral starts from.`;
  const logins = codexLogins(binary);
  const provider = configuredModelProvider(env);
  if (provider) {
    const where = `model provider "${provider.name}" in ${join(home, 'config.toml')}`;
    if (!provider.envKey) return { state: 'not_needed', source: where, fix: `Check ${where}.`, logins: [] };
    const providerFix = `Set ${provider.envKey} in the environment Corral starts from (${where}).`;
    return setVariables(env, [provider.envKey]).length
      ? { state: 'env', source: `${provider.envKey}, for ${where}`, fix: providerFix, logins: [] }
      : { state: 'not_set', source: null, fix: providerFix, logins: [] };
  }
  const variable = setVariables(env, CODEX_KEY_VARIABLES)[0];
  if (variable) return { state: 'env', source: variable, fix, logins };
  if (!status) return { state: 'unknown', source: null, fix, logins };
  if (!status.loggedIn) return { state: 'not_set', source: null, fix, logins };
  const how = status.method === 'chatgpt' ? 'ChatGPT login' : status.method === 'api_key' ? 'API key saved by codex login' : 'login';
  return { state: 'logged_in', source: `${how} in ${home}`, fix, logins };
}
