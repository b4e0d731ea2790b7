/**
 * A first run, as a new user meets it: no Anthropic key and no login. The
 * real Claude Code answers "Not logged in · Please run /login"; the pane
 * says how to fix it with the bundled CLI's path, starts Claude's own login
 * (its sign-in link shows, and Cancel ends it), and switching to Codex is
 * one pick, after which the next prompt runs there.
 */
import { describe, expect, it } from 'bun:test';
import { bundledClaudeExecutable } from '../../src-bun/providers/claude/executable';
import { CODEX_TEST_MODEL, codexHomeOutsideTmp, writeOfflineCodexConfig } from '../agent-env';
import { FINAL_TEXT } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({
  name: 'first-run',
  projects: ['fresh'],
  extraEnv: (model) => {
    const codexHome = codexHomeOutsideTmp('e2e-first-run');
    writeOfflineCodexConfig(codexHome, model.url, CODEX_TEST_MODEL);
    // No Anthropic key (empty counts as unset for Claude Code), and no browser for the login flow to open.
    return { ANTHROPIC_API_KEY: '', CODEX_HOME: codexHome, LOCAL_API_KEY: 'test', BROWSER: '/bin/true', DISPLAY: '', WAYLAND_DISPLAY: '' };
  },
});
const T = 90_000;
const CLAUDE = bundledClaudeExecutable()!;

describe('first run with no key and no login', () => {
  it('shows each provider\'s sign-in, says how to fix the auth error, runs the login, and switches provider in one step', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const p = await addProject(page, e2e.dir('fresh'), 'fresh');
    const picker = p.getByRole('combobox', { name: 'Provider' });
    // Options are never "visible" to Playwright: read their text until providers.list has answered.
    const claudeOption = await eventually(() => picker.locator('option[value="claude"]').textContent(), (t) => t?.includes('·') === true, 'the sign-in state in the picker', T);
    expect(claudeOption).toMatch(/^Claude Code — Agent SDK [\d.]+ · not signed in$/);
    expect(await picker.locator('option[value="codex"]').textContent()).toBe('Codex — codex-cli 0.169.0 · key from the environment');

    const before = e2e.model.requests.length;
    await sendPrompt(p, '[scenario:text] Say hello.');
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'error', T);
    await waitForText(p.locator('.session-error'), 'Not logged in · Please run /login');
    const fix = p.getByRole('region', { name: 'How to fix this' });
    await waitForText(fix, `Claude Code could not sign in. Run \`${CLAUDE} auth login\` in a terminal (or start \`${CLAUDE}\` and type /login), or set ANTHROPIC_API_KEY in the environment Corral starts from.`);
    // Claude Code gave up before asking the model anything.
    expect(e2e.model.requests.length).toBe(before);
    await screenshot(page, 'first-run-auth');

    // Corral starts Claude's own login: its sign-in link shows; Cancel ends it and the state is checked again.
    await fix.getByRole('button', { name: 'Log in with Claude' }).click();
    const login = fix.getByRole('region', { name: 'Login' });
    const link = login.getByRole('link', { name: 'the sign-in page' });
    await link.waitFor({ timeout: T });
    expect(await link.getAttribute('href')).toStartWith('https://claude.ai/oauth/authorize');
    await waitForText(login.getByRole('status'), 'Waiting for you to sign in…');
    await login.getByRole('button', { name: 'Cancel login' }).click();
    await waitForText(login.getByRole('status'), 'Login cancelled.', T);

    // One pick: Codex. The failed session goes to History and the next prompt starts a Codex session.
    await picker.selectOption('codex');
    await waitForText(p.getByRole('log', { name: 'Messages' }), 'No session yet');
    expect(await p.getByRole('region', { name: 'How to fix this' }).count()).toBe(0);
    await sendPrompt(p, '[scenario:text] Say hello.');
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done', T);
    await waitForText(p.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
    expect(await picker.inputValue()).toBe('codex');
  }, T * 3);

  it('Settings shows the same sign-in states, with the command to run', async () => {
    const { page } = e2e.browser;
    await page.getByRole('button', { name: 'Settings' }).click();
    const claude = page.getByRole('group', { name: 'Claude Code' });
    await waitForText(claude.locator('p'), 'Not signed in');
    await waitForText(claude.locator('p'), `Run \`${CLAUDE} auth login\``);
    await waitForText(page.getByRole('group', { name: 'Codex' }).locator('p'), /Sign-in: key from the environment \(LOCAL_API_KEY, for model provider "local"/);
  }, T);
});
