/**
 * The other providers end to end, in Chromium through the web mode: the real
 * Codex CLI, a real ACP agent (claude-agent-acp) and the `ollama` library,
 * each against the scripted model server. Per provider: prompt -> tool call
 * (not Ollama) -> final text -> done -> Corral quits and starts again -> a
 * follow-up in the restored pane continues the provider's session. For Codex
 * and ACP, a permission request is approved in the pane before the tool runs.
 */
import { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderId } from '../../src/shared/providers';
import { BUNDLED_BIN_DIR } from '../../src-bun/providers/acp/command-line';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, writeOfflineCodexConfig } from '../agent-env';
import { FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../model-server/scenarios';
import { addProject, e2eSuite, pane, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({
  name: 'providers',
  projects: ['codexp', 'acpp', 'ollamap'],
  model: { slowDeltaMs: 150 },
  extraEnv: (model) => {
    const codexHome = codexHomeOutsideTmp('e2e-providers');
    writeOfflineCodexConfig(codexHome, model.url, CODEX_TEST_MODEL);
    return { CODEX_HOME: codexHome, LOCAL_API_KEY: 'test', OLLAMA_HOST: model.url };
  },
  corralStarted: () => {
    // The ACP agent: claude-agent-acp. `executable` is what the core hands the sidecar today; `command` is the setting's name.
    const agent = `${BUNDLED_BIN_DIR}/claude-agent-acp`;
    putSettings({ permission_mode: 'default', provider_settings: { acp: { command: agent, executable: agent } } });
  },
});
const project = (name: string) => e2e.dir(name);
const T = 60_000;

/** Writes settings straight into Corral's database (read on every session start). */
function putSettings(values: Record<string, unknown>): void {
  const db = new Database(join(e2e.dataDir(), 'corral.db'));
  const put = db.query('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json');
  for (const [key, value] of Object.entries(values)) put.run(key, JSON.stringify(value));
  db.close();
}

/** The provider session id stored for a project's session. */
function storedSessionId(name: string): string | null {
  const db = new Database(join(e2e.dataDir(), 'corral.db'), { readonly: true });
  const row = db.query('SELECT s.provider_session_id AS sid FROM sessions s JOIN projects p ON p.id = s.project_id WHERE p.name = ?').get(name) as { sid: string | null } | null;
  db.close();
  return row?.sid ?? null;
}

/** Adds a project, picks `provider` in its pane and sends the first prompt. */
async function startOn(name: string, provider: ProviderId, prompt: string) {
  const { page } = e2e.browser;
  const p = await addProject(page, project(name), name);
  await p.getByRole('combobox', { name: 'Provider' }).selectOption(provider);
  await sendPrompt(p, prompt);
  return p;
}

const log = (p: ReturnType<typeof pane>) => p.getByRole('log', { name: 'Messages' });
const status = (p: ReturnType<typeof pane>) => p.getByRole('status', { name: 'Session status' });

describe('providers end to end', () => {
  it('Codex: runs a shell command and answers', async () => {
    await e2e.browser.page.goto(e2e.corral.url);
    const p = await startOn('codexp', 'codex', 'Check the shell works.');
    // The suite runs in `default` mode: Codex asks before the command.
    const card = p.getByRole('group', { name: 'Permission request' });
    await waitForText(card.locator('code'), OK_COMMAND);
    expect(existsSync(join(project('codexp'), 'corral-ok.txt'))).toBe(false);
    await card.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(status(p), 'done');
    await waitForText(card, 'Answered: Allow once');
    await waitForText(log(p).locator('[data-role="tool-call"]').first(), OK_COMMAND);
    await waitForText(log(p).locator('[data-role="tool-result"]').first(), 'corral-ok');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.tool);
    expect(await log(p).locator('[data-role="tool-call"]').count()).toBe(1);
    expect(readFileSync(join(project('codexp'), 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
    expect(storedSessionId('codexp')).toMatch(/^[0-9a-f-]{36}$/);
  }, T);

  it('ACP: asks permission in the pane, and the approved write really happens', async () => {
    const p = await startOn('acpp', 'acp', '[scenario:write] Create a file.');
    const card = p.getByRole('group', { name: 'Permission request' });
    await card.waitFor({ timeout: T });
    expect(existsSync(join(project('acpp'), WRITE_FILE.name))).toBe(false);
    await screenshot(p.page(), 'permission');
    await card.getByRole('button', { name: 'Allow', exact: true }).click();
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.write);
    expect(readFileSync(join(project('acpp'), WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
    expect(storedSessionId('acpp')).toMatch(/^[0-9a-f-]{36}$/);
  }, T);

  it('Ollama: streams one merged reply at a local cost', async () => {
    const p = await startOn('ollamap', 'ollama', '[scenario:text] Say hello.');
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
    expect(await log(p).locator('[data-role="assistant"]').count()).toBe(1);
  }, T);

  it('after a quit and a new start, follow-ups continue each provider session', async () => {
    const ids = { codexp: storedSessionId('codexp'), acpp: storedSessionId('acpp') };
    expect(await e2e.corral.stop('SIGINT')).toBe(0);
    await e2e.restartCorral();
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const nav = page.getByRole('navigation', { name: 'Projects' });
    for (const name of ['codexp', 'acpp'] as const) {
      await nav.getByText(name, { exact: true }).click();
      const p = pane(page, name);
      const before = e2e.model.requests.length;
      await sendPrompt(p, '[scenario:text] What did you do?');
      await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
      await waitForText(status(p), 'done');
      // The model saw the earlier turn, and the provider session is the same one.
      expect(e2e.model.requests.slice(before).find((r) => r.scenario === 'text')!.historyTurns).toBeGreaterThan(0);
      expect(storedSessionId(name)).toBe(ids[name]);
    }
    await nav.getByText('ollamap', { exact: true }).click();
    const o = pane(page, 'ollamap');
    await sendPrompt(o, '[scenario:text] Again.');
    await waitForText(log(o).locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
    await waitForText(log(o).locator('[data-role="assistant"]'), 'Ollama keeps no conversation itself');
  }, T * 2);
});
