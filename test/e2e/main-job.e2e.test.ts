/**
 * The main job, end to end, as a user does it: add a project, prompt a real
 * Claude Code session that runs a real tool in the project folder, watch it
 * stream, follow up (resuming the same Claude session), run a second project
 * at the same time, quit with Ctrl+C, start again, and find every transcript.
 */
import { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINAL_TEXT } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, pane, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'main', projects: ['alpha', 'beta'], model: { slowDeltaMs: 150 } });
const alpha = () => e2e.dir('alpha');
const beta = () => e2e.dir('beta');
const T = 60_000;

describe('main job', () => {
  it('adds a project, runs a real Claude Code turn with a tool call, and shows it all', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const a = await addProject(page, alpha(), 'alpha');
    await a.waitFor();
    await sendPrompt(a, 'Check the shell works [scenario:thinking]');

    const log = a.getByRole('log', { name: 'Messages' });
    await waitForText(a.getByRole('status', { name: 'Session status' }), 'done');
    await waitForText(log.locator('[data-role="user"]').first(), 'Check the shell works');
    const thinking = log.locator('[data-role="thinking"]').first();
    await thinking.waitFor();
    expect(await thinking.locator('details').getAttribute('open')).toBeNull();
    await waitForText(log.locator('[data-role="tool-call"]').first(), 'Bash');
    await waitForText(log.locator('[data-role="tool-call"]').first(), 'echo corral-ok');
    await waitForText(log.locator('[data-role="tool-result"]').first(), 'corral-ok');
    await waitForText(log.locator('[data-role="assistant"]').last(), FINAL_TEXT.tool);
    // The tool really ran in the project folder.
    expect(readFileSync(join(alpha(), 'corral-ok.txt'), 'utf8').trim()).toBe('corral-ok');

    await waitForText(page.getByRole('region', { name: 'Notifications' }), 'Agent completed on alpha');
    const cost = await eventually(() => a.getByLabel('Cost').innerText(), (t) => /\$0\.\d{4}/.test(t) && !t.includes('$0.0000'), 'a non-zero cost');
    expect(cost).toMatch(/^\$0\.\d{4}$/);
    await screenshot(page, 'turn-done');
    await waitForText(a.getByLabel('Tokens'), /\d/);
  }, T * 2);

  it('continues the same Claude session on a follow-up prompt', async () => {
    const { page } = e2e.browser;
    const a = pane(page, 'alpha');
    const before = e2e.model.requests.length;
    await sendPrompt(a, 'And now just say hello [scenario:text]');
    await waitForText(a.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
    await waitForText(a.getByRole('status', { name: 'Session status' }), 'done');
    // The model saw the earlier turn: the follow-up was sent with its history (Claude's --resume).
    const followUp = e2e.model.requests.slice(before).find((r) => r.scenario === 'text');
    expect(followUp?.historyTurns).toBeGreaterThan(0);
    const db = new Database(join(e2e.dataDir(), 'corral.db'), { readonly: true });
    const rows = db.query('SELECT s.provider_session_id AS sid FROM sessions s JOIN projects p ON p.id = s.project_id WHERE p.name = ?').all('alpha') as { sid: string }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0].sid).toMatch(/^[0-9a-f-]{36}$/);
  }, T * 2);

  it('runs a second project while the first is still streaming', async () => {
    const { page } = e2e.browser;
    const a = pane(page, 'alpha');
    await sendPrompt(a, 'Stream slowly [scenario:slow:4]');
    await waitForText(a.getByRole('status', { name: 'Session status' }), 'running');
    const b = await addProject(page, beta(), 'beta');
    await sendPrompt(b, 'Run the check here too');
    await waitForText(b.getByRole('status', { name: 'Session status' }), 'done');
    expect(existsSync(join(beta(), 'corral-ok.txt'))).toBe(true);
    // alpha was still running while beta finished, then finished on its own.
    await page.getByRole('navigation', { name: 'Projects' }).getByText('alpha', { exact: true }).click();
    await waitForText(a.getByRole('status', { name: 'Session status' }), 'done');
    await eventually(() => a.getByRole('log', { name: 'Messages' }).locator('[data-role="user"]').count(), (n) => n === 3, '3 user prompts');
    await screenshot(page, 'two-projects');
  }, T * 2);

  it('restores every project and its last transcript after Ctrl+C and a new start', async () => {
    const { page } = e2e.browser;
    const alphaBefore = await pane(page, 'alpha').getByRole('log', { name: 'Messages' }).locator('[data-role]').allTextContents();
    expect(await e2e.corral.stop('SIGINT')).toBe(0);
    await e2e.restartCorral();
    await page.goto(e2e.corral.url);
    const nav = page.getByRole('navigation', { name: 'Projects' });
    await nav.getByText('alpha', { exact: true }).waitFor();
    await nav.getByText('beta', { exact: true }).waitFor();
    await nav.getByText('alpha', { exact: true }).click();
    const log = pane(page, 'alpha').getByRole('log', { name: 'Messages' });
    await eventually(() => log.locator('[data-role="user"]').count(), (n) => n === 3, '3 restored user prompts');
    const users = await log.locator('[data-role="user"]').allTextContents();
    // In order, each once (the row starts with its "You" label).
    expect(users.map((t) => t.replace(/^\s*You\s*/, '').slice(0, 20))).toEqual(['Check the shell work', 'And now just say hel', 'Stream slowly [scena']);
    expect(await log.locator('[data-role]').allTextContents()).toEqual(alphaBefore);
    await nav.getByText('beta', { exact: true }).click();
    await waitForText(pane(page, 'beta').getByRole('log', { name: 'Messages' }).locator('[data-role="tool-result"]'), 'corral-ok');
  }, T * 2);
});
