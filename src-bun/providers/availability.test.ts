import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { ProviderInfoSchema } from '../../src/shared/rpc/providers';
import { OLLAMA_MODELS, OLLAMA_VERSION } from '../../test/model-server/ollama';
import { startModelServer, type ModelServer } from '../../test/model-server/main';
import { acpInfo, codexInfo, listProviders, ollamaInfo } from './availability';
import { bundledCodexBinary } from './codex/binary';

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(() => server.stop());

const settings = (provider_settings: Settings['provider_settings']): Settings => ({ ...DEFAULT_SETTINGS, provider_settings });
// A PATH without node_modules/.bin, so presets are found only as Corral's bundled agents.
const env = { PATH: '/usr/bin:/bin' };

describe('providers.list availability', () => {
  it('finds the bundled Codex CLI without starting it, and a configured one by running --version', async () => {
    expect(await codexInfo(settings({}), env)).toEqual({ id: 'codex', label: 'Codex', available: true, version: 'codex-cli 0.169.0', reason: null, models: [] });
    const configured = await codexInfo(settings({ codex: { executable: bundledCodexBinary()! } }), env);
    expect(configured).toMatchObject({ available: true, version: 'codex-cli 0.169.0' });
    expect(await codexInfo(settings({ codex: { executable: '/nowhere/codex' } }), env)).toMatchObject({ available: false, reason: 'Codex executable not found at /nowhere/codex' });
  });

  it('lists the models of a reachable Ollama, and says quickly when it is not running', async () => {
    const up = await ollamaInfo(settings({ ollama: { host: server.url } }), env);
    expect(up).toEqual({ id: 'ollama', label: 'Ollama', available: true, version: `Ollama ${OLLAMA_VERSION}`, reason: null, models: OLLAMA_MODELS.map((m) => m.name) });
    const viaEnv = await ollamaInfo(settings({}), { ...env, OLLAMA_HOST: server.url });
    expect(viaEnv.available).toBe(true);
    const gone = await startModelServer();
    await gone.stop();
    const started = performance.now();
    const down = await ollamaInfo(settings({ ollama: { host: gone.url } }), env);
    expect(performance.now() - started).toBeLessThan(3_500);
    expect(down).toMatchObject({ available: false, version: null });
    expect(down.reason).toStartWith(`Ollama is not running at ${gone.url}`);
  });

  it('needs an ACP command whose program is installed, and tells which presets are', () => {
    const unset = acpInfo(settings({}), env);
    expect(unset.available).toBe(false);
    expect(unset.reason).toBe('No ACP agent command set in Settings (installed here: gemini --acp, claude-agent-acp)');
    expect(unset.presets!.map((p) => [p.id, p.installed])).toEqual([['gemini', true], ['claude-agent-acp', true], ['codex-acp', false], ['qwen', false]]);
    expect(acpInfo(settings({ acp: { command: 'gemini --acp' } }), env)).toMatchObject({ available: true, version: 'gemini 0.61.0', reason: null });
    expect(acpInfo(settings({ acp: { command: 'claude-agent-acp' } }), env)).toMatchObject({ available: true, version: 'claude-agent-acp 0.49.0' });
    expect(acpInfo(settings({ acp: { command: 'qwen --acp' } }), env)).toMatchObject({ available: false, reason: '`qwen` not found on PATH (command: qwen --acp)' });
  });

  it('answers for every provider in picker order, each matching the contract', async () => {
    // The CLIs' status commands are asked in src-bun/providers/sign-in/probe.test.ts; here they answer "not logged in".
    const commands = { claude: async () => ({ loggedIn: false, authMethod: 'none', apiKeySource: null, subscriptionType: null, configDirectory: null }), codex: async () => ({ loggedIn: false as const }) };
    const list = await listProviders(settings({ ollama: { host: server.url }, acp: { command: 'gemini --acp' } }), env, commands);
    expect(list.map((p) => [p.id, p.available])).toEqual([['claude', true], ['codex', true], ['ollama', true], ['acp', true]]);
    expect(list.map((p) => [p.id, p.signIn?.state])).toEqual([['claude', 'not_set'], ['codex', 'not_set'], ['ollama', 'not_needed'], ['acp', 'not_set']]);
    for (const info of list) expect(ProviderInfoSchema.parse(info)).toEqual(info);
  });
});
