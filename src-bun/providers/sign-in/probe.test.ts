import { afterAll, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings } from '../../../src/shared/settings';
import { SignInSchema } from '../../../src/shared/sign-in';
import { codexHomeOutsideTmp } from '../../../test/agent-env';
import { BUNDLED_BIN_DIR } from '../acp/command-line';
import { bundledClaudeExecutable } from '../claude/executable';
import { bundledCodexBinary } from '../codex/binary';
import { claudeAuthStatus, claudeSignIn, parseClaudeAuthStatus } from './claude';
import { codexLoginStatus, codexSignIn } from './codex';
import { probeSignIns } from './probe';

const CLAUDE = bundledClaudeExecutable()!;
const CODEX = bundledCodexBinary()!;
const SECRET = 'sk-ant-api03-SECRETVALUE1234567890';
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A fresh HOME; `PATH` only, nothing else inherited. */
function home(): { home: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'corral-signin-'));
  roots.push(dir);
  return { home: dir, env: { PATH: '/usr/bin:/bin', HOME: dir, DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' } };
}

/** A Claude subscription login as `claude /login` stores it (Linux: `.credentials.json`). */
function storeClaudeLogin(configDir: string) {
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, '.credentials.json'), JSON.stringify({
    claudeAiOauth: { accessToken: `${SECRET}-access`, refreshToken: `${SECRET}-refresh`, expiresAt: Date.now() + 3_600_000, scopes: ['user:inference'], subscriptionType: 'pro' },
  }));
}

const settings = (provider_settings: Settings['provider_settings'] = {}): Settings => ({ ...DEFAULT_SETTINGS, provider_settings });

describe('Claude Code sign-in, asked of the bundled CLI', () => {
  it('says not signed in on a fresh HOME, and how to log in with the CLI\'s absolute path', async () => {
    const { env } = home();
    const status = await claudeAuthStatus(CLAUDE, env);
    expect(status).toMatchObject({ loggedIn: false, authMethod: 'none' });
    const signIn = claudeSignIn(env, CLAUDE, status);
    expect(signIn).toMatchObject({ state: 'not_set', source: null });
    expect(signIn.fix).toContain(`\`${CLAUDE} auth login\``);
    expect(signIn.fix).toContain('ANTHROPIC_API_KEY');
    expect(signIn.logins).toEqual([{ id: 'claude', label: 'Log in with Claude', command: `${CLAUDE} auth login`, acceptsCode: true }]);
  }, 30_000);

  it('names the variable a key comes from, and never the key', async () => {
    const { env } = home();
    const withKey = { ...env, ANTHROPIC_API_KEY: SECRET };
    const signIn = claudeSignIn(withKey, CLAUDE, await claudeAuthStatus(CLAUDE, withKey));
    expect(signIn).toMatchObject({ state: 'env', source: 'ANTHROPIC_API_KEY' });
    expect(JSON.stringify(signIn)).not.toContain('SECRETVALUE');
    const withToken = { ...env, CLAUDE_CODE_OAUTH_TOKEN: SECRET };
    expect(claudeSignIn(withToken, CLAUDE, await claudeAuthStatus(CLAUDE, withToken))).toMatchObject({ state: 'env', source: 'CLAUDE_CODE_OAUTH_TOKEN' });
  }, 30_000);

  it('sees a subscription login stored under CLAUDE_CONFIG_DIR, without passing on its tokens', async () => {
    const { home: dir, env } = home();
    const configDir = join(dir, 'claude-config');
    storeClaudeLogin(configDir);
    const withDir = { ...env, CLAUDE_CONFIG_DIR: configDir };
    const status = await claudeAuthStatus(CLAUDE, withDir);
    const signIn = claudeSignIn(withDir, CLAUDE, status);
    expect(signIn).toEqual({ ...signIn, state: 'logged_in', source: `Claude subscription (pro), stored in ${configDir}` });
    expect(JSON.stringify([status, signIn])).not.toContain('SECRETVALUE');
  }, 30_000);

  it('reads the variables and ~/.claude/.credentials.json itself when the CLI cannot answer', () => {
    const { home: dir, env } = home();
    expect(claudeSignIn(env, null, null)).toMatchObject({ state: 'not_set', logins: [] });
    expect(claudeSignIn(env, null, null).fix).toContain('claude auth login');
    storeClaudeLogin(join(dir, '.claude'));
    const stored = claudeSignIn(env, CLAUDE, null);
    expect(stored).toMatchObject({ state: 'logged_in', source: `Claude login stored in ${join(dir, '.claude')}` });
    expect(JSON.stringify(stored)).not.toContain('SECRETVALUE');
    expect(claudeSignIn({ ...env, ANTHROPIC_AUTH_TOKEN: SECRET }, CLAUDE, null)).toMatchObject({ state: 'env', source: 'ANTHROPIC_AUTH_TOKEN' });
    expect(claudeSignIn({ ...env, CLAUDE_CODE_USE_BEDROCK: '1' }, CLAUDE, null)).toMatchObject({ state: 'env', source: 'Amazon Bedrock credentials (CLAUDE_CODE_USE_BEDROCK)' });
  });

  it('keeps only name-like fields of the status answer: no e-mail, no organisation', () => {
    const parsed = parseClaudeAuthStatus(JSON.stringify({ loggedIn: true, authMethod: 'claude.ai', email: 'a@b.c', orgName: 'Org', subscriptionType: 'max', configDirectory: '/h/.claude' }));
    expect(parsed).toEqual({ loggedIn: true, authMethod: 'claude.ai', apiKeySource: null, subscriptionType: 'max', configDirectory: '/h/.claude' });
    expect(parseClaudeAuthStatus('Not logged in. Run claude auth login to authenticate.')).toBeNull();
    expect(parseClaudeAuthStatus('{"loggedIn":"yes"}')).toBeNull();
  });
});

describe('Codex sign-in', () => {
  it('asks `codex login status` for a stored login and never passes on the masked key it prints', async () => {
    const codexHome = codexHomeOutsideTmp('signin');
    roots.push(codexHome);
    const { env } = home();
    const withHome = { ...env, CODEX_HOME: codexHome };
    const none = await codexLoginStatus(CODEX, withHome);
    expect(none).toEqual({ loggedIn: false });
    expect(codexSignIn(withHome, CODEX, none)).toMatchObject({ state: 'not_set', source: null });
    writeFileSync(join(codexHome, 'auth.json'), JSON.stringify({ OPENAI_API_KEY: 'sk-proj-SECRETVALUE9876' }));
    const stored = await codexLoginStatus(CODEX, withHome);
    expect(stored).toEqual({ loggedIn: true, method: 'api_key' });
    const signIn = codexSignIn(withHome, CODEX, stored);
    expect(signIn).toMatchObject({ state: 'logged_in', source: `API key saved by codex login in ${codexHome}` });
    expect(JSON.stringify(signIn)).not.toContain('9876');
    expect(signIn.fix).toContain(`\`${CODEX} login\``);
    expect(signIn.logins.map((l) => l.command)).toEqual([`${CODEX} login`, `${CODEX} login --device-auth`]);
  }, 30_000);

  it('prefers a key from the environment, and follows a model provider set in config.toml', () => {
    const codexHome = codexHomeOutsideTmp('signin-provider');
    roots.push(codexHome);
    const { env } = home();
    const withHome = { ...env, CODEX_HOME: codexHome };
    expect(codexSignIn({ ...withHome, OPENAI_API_KEY: SECRET }, CODEX, { loggedIn: false })).toMatchObject({ state: 'env', source: 'OPENAI_API_KEY' });
    expect(codexSignIn({ ...withHome, CODEX_API_KEY: SECRET }, CODEX, null)).toMatchObject({ state: 'env', source: 'CODEX_API_KEY' });
    writeFileSync(join(codexHome, 'config.toml'), 'model_provider = "local"\n[model_providers.local]\nname = "local"\nenv_key = "LOCAL_API_KEY"\n');
    const unset = codexSignIn(withHome, CODEX, { loggedIn: false });
    expect(unset).toMatchObject({ state: 'not_set', logins: [] });
    expect(unset.fix).toBe(`Set LOCAL_API_KEY in the environment Corral starts from (model provider "local" in ${join(codexHome, 'config.toml')}).`);
    const set = codexSignIn({ ...withHome, LOCAL_API_KEY: SECRET }, CODEX, { loggedIn: false });
    expect(set).toMatchObject({ state: 'env', source: `LOCAL_API_KEY, for model provider "local" in ${join(codexHome, 'config.toml')}` });
    expect(JSON.stringify(set)).not.toContain('SECRETVALUE');
  });
});

describe('every provider', () => {
  it('answers for each one, in the contract\'s shape, with no secret in it', async () => {
    const { home: dir, env } = home();
    const withKeys = { ...env, ANTHROPIC_API_KEY: SECRET, GEMINI_API_KEY: SECRET, OLLAMA_HOST: 'http://127.0.0.1:9' };
    const commands = { claude: claudeAuthStatus, codex: async () => ({ loggedIn: false as const }) };
    const all = await probeSignIns(settings({ acp: { command: 'gemini --acp' } }), withKeys, commands);
    expect(all.claude).toMatchObject({ state: 'env', source: 'ANTHROPIC_API_KEY' });
    expect(all.codex).toMatchObject({ state: 'not_set' });
    expect(all.ollama).toMatchObject({ state: 'not_needed', source: 'Ollama server at http://127.0.0.1:9' });
    expect(all.acp).toMatchObject({ state: 'env', source: 'GEMINI_API_KEY' });
    expect(all.acp.fix).toContain(`${BUNDLED_BIN_DIR}/gemini`);
    for (const signIn of Object.values(all)) expect(SignInSchema.parse(signIn)).toEqual(signIn);
    expect(JSON.stringify(all)).not.toContain('SECRETVALUE');
    // Gemini's own Google login, and agents Corral does not know.
    mkdirSync(join(dir, '.gemini'));
    writeFileSync(join(dir, '.gemini', 'oauth_creds.json'), JSON.stringify({ access_token: SECRET }));
    const filesOnly = { claude: async () => null, codex: async () => null };
    const google = await probeSignIns(settings({ acp: { command: 'gemini --acp' } }), env, filesOnly);
    expect(google.acp).toMatchObject({ state: 'logged_in', source: `Google login in ${join(dir, '.gemini')}` });
    expect((await probeSignIns(settings({ acp: { command: 'my-agent --stdio' } }), env, filesOnly)).acp).toMatchObject({ state: 'unknown' });
    expect((await probeSignIns(settings({ acp: { command: 'claude-agent-acp' } }), withKeys, filesOnly)).acp).toMatchObject({ state: 'env', source: 'ANTHROPIC_API_KEY' });
  }, 30_000);
});
