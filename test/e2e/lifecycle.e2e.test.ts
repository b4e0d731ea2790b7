/**
 * The session lifecycle end to end, in Chromium against the real web mode
 * and the real Claude Code CLI on the scripted model:
 * - the stall timeout set in Settings (1 minute) raises the stall toast on a
 *   model that goes silent; the browser's clock is Playwright's, fast-forwarded
 *   past the minute instead of waiting it out;
 * - retention: six sessions with "Keep sessions per project" = 5 leave five,
 *   in History and in the database;
 * - restore after a relaunch: settings, History and transcripts come back, and
 *   a session that was running when Corral stopped comes back interrupted and
 *   continues (the provider resumes it) on the next prompt.
 */
import { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { FINAL_TEXT } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, pane, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'lifecycle', projects: ['stall', 'keep'] });
const T = 60_000;

/** Runs a query on the database, read-only, and closes it. */
function query<T>(sql: string, ...params: string[]): T[] {
  const db = new Database(join(e2e.dataDir(), 'corral.db'), { readonly: true });
  try {
    return db.query(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const sessionsOf = (project: string) =>
  query<{ id: string; status: string }>('SELECT s.id, s.status FROM sessions s JOIN projects p ON p.id = s.project_id WHERE p.name = ? ORDER BY s.created_at', project);

async function openSettings() {
  const { page } = e2e.browser;
  await page.getByRole('button', { name: 'Settings' }).click();
  return page.getByRole('region', { name: 'Settings' });
}

describe('session lifecycle', () => {
  it('warns "Agent stalled" after the stall timeout set in Settings, on a model that went silent', async () => {
    const { page } = e2e.browser;
    // Playwright's clock: time runs normally until the test jumps it forward.
    await page.clock.install();
    await page.goto(e2e.corral.url);

    const settings = await openSettings();
    await settings.getByLabel('Stall timeout (minutes)').fill('0');
    await waitForText(settings.getByRole('alert'), 'Stall timeout must be at least 1 minute');
    await settings.getByLabel('Stall timeout (minutes)').fill('1');
    await settings.getByLabel('Keep sessions per project').fill('5');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForText(settings.getByRole('status'), 'Settings saved.');
    await screenshot(page, 'settings');
    expect(query<{ value_json: string }>("SELECT value_json FROM settings WHERE key = 'stall_timeout_min'").map((r) => JSON.parse(r.value_json))).toEqual([1]);

    const p = await addProject(page, e2e.dir('stall'), 'stall');
    await sendPrompt(p, 'Think about it quietly [scenario:silent]');
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'running');
    const toasts = page.getByRole('region', { name: 'Notifications' });
    expect(await toasts.getByText('Agent stalled on stall').count()).toBe(0);

    await page.clock.fastForward('01:05');
    await waitForText(toasts.getByRole('alert'), 'Agent stalled on stall (no activity for 1 min)', 15_000);
    await waitForText(p.getByRole('group', { name: 'Health' }).getByLabel('Activity'), 'stalled');
    await expect(page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).count()).resolves.toBe(1);

    await p.getByRole('button', { name: 'Stop' }).click();
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done');
    await waitForText(toasts, 'Agent stopped on stall');
  }, T * 2);

  it('keeps 5 sessions of 6 with "Keep sessions per project" = 5: in History and in the database', async () => {
    const { page } = e2e.browser;
    const p = await addProject(page, e2e.dir('keep'), 'keep');
    const log = p.getByRole('log', { name: 'Messages' });
    for (let i = 1; i <= 6; i++) {
      if (i > 1) await p.getByRole('button', { name: 'New session' }).click();
      await sendPrompt(p, `Session number ${i} [scenario:text]`);
      await waitForText(log.locator('[data-role="user"]'), `Session number ${i}`);
      await waitForText(log.locator('[data-role="assistant"]'), FINAL_TEXT.text);
      await waitForText(p.getByRole('status', { name: 'Session status' }), 'done');
    }
    await eventually(async () => sessionsOf('keep').length, (n) => n === 5, 'the database to hold 5 sessions of keep');
    const kept = sessionsOf('keep').map((s) => s.id);
    const orphans = query<{ n: number }>('SELECT COUNT(*) AS n FROM messages WHERE session_id NOT IN (SELECT id FROM sessions)')[0].n;
    expect(orphans).toBe(0);
    expect(query<{ session_id: string }>('SELECT DISTINCT session_id FROM messages WHERE session_id IN (SELECT s.id FROM sessions s JOIN projects p ON p.id = s.project_id WHERE p.name = ?)', 'keep').length).toBe(5);

    await p.getByRole('button', { name: 'History' }).click();
    const items = p.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    await eventually(() => items.count(), (n) => n === 5, 'History to list 5 sessions');
    await screenshot(page, 'history');
    for (const text of await items.allTextContents()) expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d\s*Claude Code\s*done\s*\$0\.\d{4}/);
    // Newest first; the oldest kept is session 2, and session 1 is gone. Opened read-only, with a way back.
    await items.last().getByRole('button').click();
    const past = p.getByRole('region', { name: 'Session transcript (read-only)' });
    await waitForText(past.getByRole('log', { name: 'Messages' }).locator('[data-role="user"]'), 'Session number 2');
    expect(await past.getByRole('textbox').count()).toBe(0);
    await past.getByRole('button', { name: 'Back' }).click();
    await p.getByRole('button', { name: 'History' }).click();
    await waitForText(log.locator('[data-role="user"]'), 'Session number 6');
    expect(kept).toHaveLength(5);
  }, T * 4);

  it('restores after a relaunch: settings, History, transcripts, and an interrupted session that continues', async () => {
    const { page } = e2e.browser;
    // Read while the pane is visible: role queries skip hidden panes.
    const keepBefore = await pane(page, 'keep').getByRole('log', { name: 'Messages' }).locator('[data-role]').allTextContents();
    expect(keepBefore.join('\n')).toContain('Session number 6');
    const stall = pane(page, 'stall');
    await page.getByRole('navigation', { name: 'Projects' }).getByText('stall', { exact: true }).click();
    // One answered turn first, so the resumed history has a model reply to show for it.
    await sendPrompt(stall, 'Say hello first [scenario:text]');
    await waitForText(stall.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]'), FINAL_TEXT.text);
    await waitForText(stall.getByRole('status', { name: 'Session status' }), 'done');
    await sendPrompt(stall, 'Keep thinking [scenario:silent]');
    await waitForText(stall.getByRole('status', { name: 'Session status' }), 'running');

    expect(await e2e.corral.stop('SIGINT')).toBe(0);
    expect(sessionsOf('stall').map((s) => s.status)).toEqual(['interrupted']);
    await e2e.restartCorral();
    await page.goto(e2e.corral.url);

    const settings = await openSettings();
    await eventually(() => settings.getByLabel('Stall timeout (minutes)').inputValue(), (v) => v === '1', 'the saved stall timeout');
    expect(await settings.getByLabel('Keep sessions per project').inputValue()).toBe('5');

    const nav = page.getByRole('navigation', { name: 'Projects' });
    await nav.getByText('keep', { exact: true }).click();
    const keep = pane(page, 'keep');
    await eventually(() => keep.getByRole('log', { name: 'Messages' }).locator('[data-role]').allTextContents(), (t) => t.length === keepBefore.length, 'the last keep transcript');
    expect(await keep.getByRole('log', { name: 'Messages' }).locator('[data-role]').allTextContents()).toEqual(keepBefore);
    await keep.getByRole('button', { name: 'History' }).click();
    await eventually(() => keep.getByRole('list', { name: 'Sessions' }).getByRole('listitem').count(), (n) => n === 5, 'History to list 5 sessions');

    await nav.getByText('stall', { exact: true }).click();
    await waitForText(stall.getByRole('status', { name: 'Session status' }), 'interrupted');
    await eventually(() => stall.getByRole('log', { name: 'Messages' }).locator('[data-role="user"]').count(), (n) => n === 3, 'the three stall prompts');
    const before = e2e.model.requests.length;
    await sendPrompt(stall, 'Wake up and say hello [scenario:text]');
    await waitForText(stall.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]'), FINAL_TEXT.text);
    await waitForText(stall.getByRole('status', { name: 'Session status' }), 'done');
    // The same session went on: the provider resumed it with its history, and no session was added.
    expect(e2e.model.requests.slice(before).find((r) => r.scenario === 'text')?.historyTurns).toBeGreaterThan(0);
    expect(sessionsOf('stall')).toHaveLength(1);
  }, T * 3);
});
