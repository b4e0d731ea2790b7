/**
 * Permission cards end to end, in Chromium through the web mode, with the
 * real Claude Code under the `default` permission mode and the scripted model
 * asking for a Bash command that writes `corral-ok.txt`: Deny (with a message
 * to the agent) and the file is never written; Allow and it is. A card left
 * open when Corral quits comes back after the relaunch as expired, not lost.
 * Under `bypassPermissions` nothing asks, and the pane header says so.
 */
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FINAL_TEXT, OK_COMMAND } from '../model-server/scenarios';
import { addProject, e2eSuite, pane, putSettings, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'permissions', projects: ['perm', 'relaunch', 'bypass'], permissionMode: 'default' });
const T = 60_000;
const OK_FILE = () => join(e2e.dir('perm'), 'corral-ok.txt');

const log = (p: ReturnType<typeof pane>) => p.getByRole('log', { name: 'Messages' });
const status = (p: ReturnType<typeof pane>) => p.getByRole('status', { name: 'Session status' });
/** The newest permission card of a pane. */
const lastCard = (p: ReturnType<typeof pane>) => p.getByRole('group', { name: 'Permission request' }).last();

describe('permission cards with the real Claude Code in default mode', () => {
  it('Deny with a message: the command never runs, and the agent reads the message', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const p = await addProject(page, e2e.dir('perm'), 'perm');
    await sendPrompt(p, 'Check the shell works.');
    const card = lastCard(p);
    await card.waitFor({ timeout: T });
    await waitForText(card.locator('code'), OK_COMMAND);
    expect(await card.getByRole('button').allTextContents()).toEqual(['Allow once', 'Allow for this session', 'Deny'].map((s) => expect.stringContaining(s)));
    // While it waits: the header says so, and a toast says the agent needs input.
    await waitForText(p.locator('header'), 'needs input');
    await waitForText(page.getByRole('region', { name: 'Notifications' }), 'needs input on perm');
    await screenshot(page, 'permission-claude');
    expect(existsSync(OK_FILE())).toBe(false);

    await card.getByRole('textbox', { name: /Message to the agent/ }).fill('Not in this folder, please.');
    await card.getByRole('button', { name: 'Deny' }).click();
    await waitForText(status(p), 'done');
    await waitForText(card, 'Answered: Deny');
    await waitForText(log(p).locator('[data-role="tool-result"]').first(), 'Not in this folder, please.');
    expect(existsSync(OK_FILE())).toBe(false);
  }, T);

  it('Allow once: the command runs and writes the file', async () => {
    const p = pane(e2e.browser.page, 'perm');
    await sendPrompt(p, 'Check the shell works again.');
    const card = lastCard(p);
    await waitForText(card, 'Allow once');
    await card.getByRole('button', { name: 'Allow once' }).click();
    await waitForText(status(p), 'done');
    await waitForText(log(p).locator('[data-role="assistant"]').last(), FINAL_TEXT.tool);
    expect(readFileSync(OK_FILE(), 'utf8')).toBe('corral-ok\n');
    expect(await p.getByRole('group', { name: 'Permission request' }).allTextContents()).toEqual([
      expect.stringContaining('Answered: Deny'), expect.stringContaining('Answered: Allow once'),
    ]);
    rmSync(OK_FILE());
  }, T);

  it('a card still open when Corral quits shows as expired after the relaunch, with no buttons', async () => {
    const { page } = e2e.browser;
    const p = await addProject(page, e2e.dir('relaunch'), 'relaunch');
    await sendPrompt(p, 'Check the shell works.');
    await lastCard(p).getByRole('button', { name: 'Deny' }).waitFor({ timeout: T });
    expect(await e2e.corral.stop('SIGINT')).toBe(0);
    await e2e.restartCorral();
    await page.goto(e2e.corral.url);
    await page.getByRole('navigation', { name: 'Projects' }).getByText('relaunch', { exact: true }).click();
    const again = pane(page, 'relaunch');
    const card = lastCard(again);
    await waitForText(card, 'Expired: Corral was restarted before you answered');
    await waitForText(card.locator('code'), OK_COMMAND);
    expect(await card.getByRole('button').count()).toBe(0);
    expect(existsSync(join(e2e.dir('relaunch'), 'corral-ok.txt'))).toBe(false);
  }, T * 2);

  it('bypassPermissions: the command runs without a card, and the header says nothing is asked', async () => {
    putSettings(e2e.dataDir(), { permission_mode: 'bypassPermissions' });
    const { page } = e2e.browser;
    const p = await addProject(page, e2e.dir('bypass'), 'bypass');
    await sendPrompt(p, 'Check the shell works.');
    await waitForText(status(p), 'done');
    await waitForText(p.getByRole('note', { name: 'Approvals' }), 'Permissions bypassed: Claude Code asks nothing');
    expect(await p.getByRole('group', { name: 'Permission request' }).count()).toBe(0);
    expect(readFileSync(join(e2e.dir('bypass'), 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
  }, T);
});
