/**
 * Claude Code's sign-in state. The CLI itself answers: `claude auth status`
 * (JSON by default; exit 0 when logged in, 1 when not) reports
 * `{loggedIn, authMethod: 'claude.ai'|'api_key'|'oauth_token'|'none'|…,
 * apiKeySource?, subscriptionType?, configDirectory}` (Claude Code 2.1.330).
 * It sees everything the CLI uses: ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN,
 * CLAUDE_CODE_OAUTH_TOKEN, an apiKeyHelper, the login stored in
 * `$CLAUDE_CONFIG_DIR` or `~/.claude` (`.credentials.json`) or the macOS
 * keychain. When the CLI cannot answer, the variables and the credentials
 * file are checked directly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { LoginFlow, SignIn } from '../../../src/shared/sign-in';
import { buildSidecarEnv } from '../../core/sidecar-env';
import { runBriefCommand, setVariables, shellWord } from './brief-command';

/** The fields of `claude auth status` Corral reads; the e-mail and organisation it also prints are left out. */
export type ClaudeAuthStatus = {
  loggedIn: boolean;
  authMethod: string | null;
  apiKeySource: string | null;
  subscriptionType: string | null;
  configDirectory: string | null;
};

/** Variables Claude Code takes a key or token from, in the order it prefers them. */
export const CLAUDE_KEY_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'] as const;
/** Variables that send Claude Code to a cloud provider, which brings its own credentials. */
const CLOUD_VARIABLES: Record<string, string> = { CLAUDE_CODE_USE_BEDROCK: 'Amazon Bedrock', CLAUDE_CODE_USE_VERTEX: 'Google Vertex AI', CLAUDE_CODE_USE_FOUNDRY: 'Microsoft Foundry' };

/** A name-like field of the CLI's answer (a method, a key source, a plan), or null. */
const nameField = (v: unknown): string | null => (typeof v === 'string' && /^[\w .:/@()-]{1,200}$/.test(v) ? v : null);

/** Parses `claude auth status` JSON output; null when it is not that. */
export function parseClaudeAuthStatus(stdout: string): ClaudeAuthStatus | null {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || typeof (raw as { loggedIn?: unknown }).loggedIn !== 'boolean') return null;
  const o = raw as Record<string, unknown>;
  const dir = typeof o.configDirectory === 'string' && o.configDirectory.length < 4096 ? o.configDirectory : null;
  return { loggedIn: o.loggedIn as boolean, authMethod: nameField(o.authMethod), apiKeySource: nameField(o.apiKeySource), subscriptionType: nameField(o.subscriptionType), configDirectory: dir };
}

/** Asks the CLI at `cli` with the environment sessions get; null when it does not answer in time. */
export async function claudeAuthStatus(cli: string, env: Record<string, string | undefined>): Promise<ClaudeAuthStatus | null> {
  const quiet = { DISABLE_AUTOUPDATER: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1' };
  const result = await runBriefCommand([cli, 'auth', 'status', '--json'], { ...buildSidecarEnv(env), ...quiet });
  return result ? parseClaudeAuthStatus(result.stdout) : null;
}

/** Where Claude Code keeps its configuration and login: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(env: Record<string, string | undefined>): string {
  return env.CLAUDE_CONFIG_DIR?.trim() || join(env.HOME?.trim() || homedir(), '.claude');
}

/** What to do in a terminal to sign Claude Code in. */
function claudeFix(cli: string | null): string {
  const env = 'or set ANTHROPIC_API_KEY in the environment Corral starts from';
  if (!cli) return `Install Claude Code and run \`claude auth login\` in a terminal, ${env}.`;
  const c = shellWord(cli);
  return `Run \`${c} auth login\` in a terminal (or start \`${c}\` and type /login), ${env}.`;
}

/** The login flow Corral runs for Claude Code: `claude auth login`, which prints a URL and takes the code back. */
export function claudeLogins(cli: string | null): LoginFlow[] {
  return cli ? [{ id: 'claude', label: 'Log in with Claude', command: `${shellWord(cli)} auth login`, acceptsCode: true }] : [];
}

/** The state from the variables and the credentials file alone, for when the CLI did not answer. */
function fromFiles(env: Record<string, string | undefined>): Pick<SignIn, 'state' | 'source'> {
  const cloud = setVariables(env, Object.keys(CLOUD_VARIABLES))[0];
  if (cloud) return { state: 'env', source: `${CLOUD_VARIABLES[cloud]} credentials (${cloud})` };
  const variable = setVariables(env, CLAUDE_KEY_VARIABLES)[0];
  if (variable) return { state: 'env', source: variable };
  const dir = claudeConfigDir(env);
  const file = join(dir, '.credentials.json');
  if (existsSync(file)) {
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { claudeAiOauth?: unknown };
      if (stored.claudeAiOauth) return { state: 'logged_in', source: `Claude login stored in ${dir}` };
    } catch {
      // An unreadable file signs nobody in.
    }
  }
  // On macOS the login lives in the keychain, which only the CLI reads.
  return process.platform === 'darwin' ? { state: 'unknown', source: null } : { state: 'not_set', source: null };
}

/** The state `claude auth status` reported. */
function fromStatus(status: ClaudeAuthStatus, env: Record<string, string | undefined>): Pick<SignIn, 'state' | 'source'> {
  if (!status.loggedIn) return { state: 'not_set', source: null };
  const where = status.configDirectory ? `, stored in ${status.configDirectory}` : '';
  switch (status.authMethod) {
    case 'api_key':
      return status.apiKeySource && (CLAUDE_KEY_VARIABLES as readonly string[]).includes(status.apiKeySource)
        ? { state: 'env', source: status.apiKeySource }
        : { state: 'logged_in', source: `API key from ${status.apiKeySource ?? 'Claude Code\'s settings'}` };
    case 'oauth_token': {
      const variable = setVariables(env, ['CLAUDE_CODE_OAUTH_TOKEN', 'ANTHROPIC_AUTH_TOKEN'])[0];
      return variable ? { state: 'env', source: variable } : { state: 'logged_in', source: 'OAuth token' };
    }
    case 'claude.ai':
      return { state: 'logged_in', source: `Claude subscription${status.subscriptionType ? ` (${status.subscriptionType})` : ''}${where}` };
    default: {
      const cloud = setVariables(env, Object.keys(CLOUD_VARIABLES))[0];
      if (cloud) return { state: 'env', source: `${CLOUD_VARIABLES[cloud]} credentials (${cloud})` };
      return { state: 'logged_in', source: status.authMethod ? `${status.authMethod} login${where}` : null };
    }
  }
}

/**
 * Claude Code's sign-in: `status` is the CLI's own answer (null when it could
 * not be asked), `cli` the executable sessions run (null when none is found).
 */
export function claudeSignIn(env: Record<string, string | undefined>, cli: string | null, status: ClaudeAuthStatus | null): SignIn {
  const found = status ? fromStatus(status, env) : fromFiles(env);
  return { ...found, fix: claudeFix(cli), logins: claudeLogins(cli) };
}
