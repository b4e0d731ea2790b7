/**
 * Codex permission cards end to end, in Chromium through the web mode, with
 * the real Codex CLI (`codex app-server`) under the `default` permission
 * mode and the scripted model asking for a shell command that writes
 * `corral-ok.txt`: Deny and the file is never written; Allow once and it is.
 * A file change asks too, and its card shows the new file's text. Under
 * `acceptEdits` the file change runs without a card.
 */
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, writeOfflineCodexConfig } from '../agent-env';
import { FINAL_TEXT, OK_COMMAND, WRITE_FILE } from '../model-server/scenarios';
import { addProject, e2eSuite, pane, putSettings, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({
  name: 'codex-permissions',
  projects: ['cperm', 'cedits'],
  permissionMode: 'default',
  extraEnv: (model) => {
    const codexHome = codexHomeOutsideTmp('e2e-codex-permissions');
    writeOfflineCodexConfig(codexHome, model.url, CODEX_TEST_MODEL);
    return { CODEX_HOME: codexHome, LOCAL_API_KEY: 'test' };
  },
});
const T = 60_000;
const OK_FILE = () => join(e2e.dir('cperm'), 'corral-ok.txt');

const log = (p: ReturnType<typeof pane>) => p.getByRole('log', { name: 'Messages' });
const status = (p: ReturnType<typeof pane>) => p.getByRole('status', { name: 'Session status' });
const cards = (p: ReturnType<typeof pane>) => p.getByRole('group', { name: 'Permission request' });

describe('Codex permission cards in default mode', () => {
  it('Deny: the command never runs, and the pane says it was declined', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const p = await addProject(page, e2e.dir('cperm'), 'cperm');
    await p.getByRole('combobox', { name: 'Provider' }).selectOption('codex');
    await sendPrompt(p, 'Check the shell works.');
    const card = cards(p).last();
    await card.waitFor({ timeout: T });
    await waitForText(card.locator('code'), OK_COMMAND);
    expect(await card.getByRole('button').allTextContents()).toEqual(['Allow once', 'Allow for this session', 'Deny'].map((s) => expect.stringContaining(s)));
    // Codex takes no message with a denial: the card offers none.
    expect(await card.getByRole('textbox').count()).toBe(0);
    await waitForText(p.locator('header'), 'needs input');
    expect(existsSync(OK_FILE())).toBe(false);

    await card.getByRole('button', { name: 'Deny' }).click();
    await waitForText(status(p), 'done');
    await waitForText(card, 'Answered: Deny');
    await waitForText(log(p).locator('[data-role="tool-result"]').first(), 'Declined: the command did not run.');
    expect(existsSync(OK_FILE())).toBe(false);
  }, T);

  it('Allow once: the command runs and writes the file', async () => {
    const p = pane(e2e.browser.page, 'cperm');
    await sendPrompt(p, 'Check the shell works again.');
    const card = cards(p).last();
    await waitForText(card, 'Allow once');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="tool-result"]').last(), 'corral-ok');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.tool);
    expect(readFileSync(OK_FILE(), 'utf8')).toBe('corral-ok\n');
    expect(await cards(p).allTextContents()).toEqual([expect.stringContaining('Answered: Deny'), expect.stringContaining('Answered: Allow once')]);
  }, T);

  it('a file change asks with the new file\'s text, and Allow once writes it', async () => {
    const p = pane(e2e.browser.page, 'cperm');
    await sendPrompt(p, '[scenario:write] Create a file.');
    const card = cards(p).last();
    await waitForText(card, `Create ${join(e2e.dir('cperm'), WRITE_FILE.name)}`);
    await waitForText(card, WRITE_FILE.content.trim());
    expect(existsSync(join(e2e.dir('cperm'), WRITE_FILE.name))).toBe(false);
    await card.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.write);
    expect(readFileSync(join(e2e.dir('cperm'), WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
  }, T);

  it('acceptEdits: the file change runs without a card', async () => {
    putSettings(e2e.dataDir(), { permission_mode: 'acceptEdits' });
    const p = await addProject(e2e.browser.page, e2e.dir('cedits'), 'cedits');
    await p.getByRole('combobox', { name: 'Provider' }).selectOption('codex');
    await sendPrompt(p, '[scenario:write] Create a file.');
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.write);
    expect(await cards(p).count()).toBe(0);
    expect(readFileSync(join(e2e.dir('cedits'), WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
  }, T);
});
