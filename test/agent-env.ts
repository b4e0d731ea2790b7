/**
 * Offline environments for the real agent CLIs the tests run (Claude Code,
 * Codex, Gemini CLI): each points its CLI at the scripted model server
 * (test/model-server) and keeps it off the network and out of the real HOME.
 * Shared by the runner tests, the fixture recorders and the e2e harness.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A model name Codex 0.169 knows (`codex debug models`); unknown names add a warning item. */
export const CODEX_TEST_MODEL = 'gpt-5.5';

/** The base of every CLI environment: this process's PATH and TMPDIR (or the usual defaults) and a private HOME. */
function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: process.env.TMPDIR ?? '/tmp',
  };
}

/**
 * The variables that point Claude Code at a local model server: a private
 * HOME and config dir, a test API key, no telemetry, updates, error reports
 * or retries. No PATH or TMPDIR: for merging over an inherited environment.
 */
export function claudeOfflineVars(home: string, baseUrl: string): Record<string, string> {
  return {
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: 'test',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
  };
}

/**
 * The environment for running Claude Code offline against a local model
 * server: only loopback traffic, no retries, a private HOME/config dir.
 */
export function offlineClaudeEnv(home: string, baseUrl: string): Record<string, string> {
  return { ...isolatedEnv(home), ...claudeOfflineVars(home, baseUrl) };
}

/**
 * Writes `$codexHome/config.toml` pointing Codex at a local Responses API:
 * no retries, no update check, no analytics, and plugins/apps off (with them
 * on, a run tries git and HTTPS and takes ~7 s instead of ~0.5 s). `model`
 * sets Codex's default model (Corral passes `-m` only when a session names one).
 */
export function writeOfflineCodexConfig(codexHome: string, baseUrl: string, model?: string): void {
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(join(codexHome, 'config.toml'), [
    ...(model ? [`model = "${model}"`] : []),
    'model_provider = "local"',
    'check_for_update_on_startup = false',
    '[analytics]',
    'enabled = false',
    '[features]',
    'plugins = false',
    'apps = false',
    'remote_plugin = false',
    '[model_providers.local]',
    'name = "local"',
    `base_url = "${baseUrl}/v1"`,
    'wire_api = "responses"',
    'env_key = "LOCAL_API_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n'));
}

/**
 * A fresh, empty CODEX_HOME outside the temp dir, under the repo's `.tmp/`.
 * Where bubblewrap is installed (WebKitGTK pulls it in), Codex sandboxes its
 * commands with bwrap and refuses to create its helper binaries under
 * `$TMPDIR`/`/tmp`; every command then fails with `bwrap: execvp
 * codex-linux-sandbox`.
 */
export function codexHomeOutsideTmp(name: string): string {
  const base = join(import.meta.dir, '..', '.tmp', 'codex-home');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name.replace(/[^\w-]/g, '_')}-`));
}

/** The environment for running Codex offline: a private HOME and CODEX_HOME, the local key. */
export function offlineCodexEnv(home: string, codexHome: string): Record<string, string> {
  return { ...isolatedEnv(home), CODEX_HOME: codexHome, LOCAL_API_KEY: 'test' };
}

/**
 * The environment for running Gemini CLI offline: API-key auth against a
 * local base URL, no relaunch, the workspace trusted (headless Gemini CLI
 * refuses untrusted folders), and a `~/.gemini/settings.json` that picks
 * API-key auth and turns off usage statistics and auto-update.
 */
export function offlineGeminiEnv(home: string, baseUrl: string): Record<string, string> {
  mkdirSync(join(home, '.gemini'), { recursive: true });
  writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({
    security: { auth: { selectedType: 'gemini-api-key' } },
    privacy: { usageStatisticsEnabled: false },
    general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  }));
  return {
    ...isolatedEnv(home),
    GEMINI_API_KEY: 'test',
    GOOGLE_GEMINI_BASE_URL: baseUrl,
    GEMINI_CLI_NO_RELAUNCH: '1',
    GEMINI_CLI_TRUST_WORKSPACE: 'true',
  };
}
