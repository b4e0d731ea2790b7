/**
 * The prompt queue and Steer end to end, in Chromium against the real web
 * mode and the real Claude Code CLI on the scripted model:
 * - two prompts sent during a slow turn are queued (stored at once), shown in
 *   order, and go out one by one, in order, as the turns end;
 * - a prompt queued when Corral quits comes back after a new start, unsent,
 *   and Retry sends it;
 * - Steer interrupts the running turn through the provider and sends its
 *   prompt at once; the time from the click to the new turn is logged.
 */
import { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { join } from 'node:path';
import { FINAL_TEXT } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, pane, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'queue', projects: ['order', 'steer'] });
const T = 60_000;

function query<T>(sql: string, ...params: string[]): T[] {
  const db = new Database(join(e2e.dataDir(), 'corral.db'), { readonly: true });
  try {
    return db.query(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
/** The transcript's user rows, without their "You" label. */
const userRows = async (log: ReturnType<typeof pane>) => (await log.locator('[data-role="user"]').allTextContents()).map((t) => t.replace(/^\s*You\s*/, '').trim());
const storedQueue = () => query<{ text: string; state: string }>('SELECT text, state FROM prompt_queue ORDER BY position');

describe('prompt queue', () => {
  it('queues two prompts during a slow turn and sends them in order as the turns end', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    const p = await addProject(page, e2e.dir('order'), 'order');
    const status = p.getByRole('status', { name: 'Session status' });
    const log = p.getByRole('log', { name: 'Messages' });
    await sendPrompt(p, 'Count for a while [scenario:slow:4]');
    await waitForText(log.locator('[data-role="assistant"]'), 'tick');
    await sendPrompt(p, 'First queued [scenario:slow:0.6]');
    await sendPrompt(p, 'Second queued [scenario:slow:0.4]');

    const queued = p.getByRole('list', { name: 'Queued prompts' }).getByRole('listitem');
    await eventually(() => queued.allTextContents(), (t) => t.length === 2, 'two queued prompts');
    const rows = await queued.allTextContents();
    expect(rows[0]).toMatch(/^\s*queued\s+First queued/);
    expect(rows[1]).toMatch(/^\s*queued\s+Second queued/);
    // Stored in SQLite as soon as they were queued, while the first turn still runs.
    expect(storedQueue()).toEqual([{ text: 'First queued [scenario:slow:0.6]', state: 'queued' }, { text: 'Second queued [scenario:slow:0.4]', state: 'queued' }]);
    expect((await status.textContent())?.trim()).toContain('running');
    await screenshot(page, 'queue');

    await eventually(() => log.locator('[data-role="user"]').allTextContents(), (t) => t.length === 3, 'three prompts in the transcript', 30_000);
    await eventually(() => queued.count(), (n) => n === 0, 'the queue to empty', 30_000);
    await waitForText(status, 'done');
    await eventually(() => log.locator('[data-role="assistant"]').count(), (n) => n === 3, 'three answers');
    expect(await userRows(log)).toEqual([
      'Count for a while [scenario:slow:4]', 'First queued [scenario:slow:0.6]', 'Second queued [scenario:slow:0.4]',
    ]);
    // The model got them one after the other, in order, each after the turn before it ended.
    const slow = e2e.model.requests.filter((r) => r.scenario === 'slow');
    expect(slow.map((r) => r.scenarioArg)).toEqual(['4', '0.6', '0.4']);
    expect(slow[1].receivedAt - slow[0].receivedAt).toBeGreaterThanOrEqual(4000);
    expect(storedQueue()).toEqual([]);
  }, T * 2);

  it('keeps a queued prompt through a quit and a new start, unsent, and Retry sends it', async () => {
    const { page } = e2e.browser;
    const p = pane(page, 'order');
    const log = p.getByRole('log', { name: 'Messages' });
    await sendPrompt(p, 'Count for long [scenario:slow:60]');
    await eventually(() => log.locator('[data-role="assistant"]').last().textContent(), (t) => (t ?? '').includes('tick'), 'the slow answer');
    await sendPrompt(p, 'Survivor [scenario:text]');
    await eventually(async () => storedQueue(), (rows) => rows.length === 1, 'the queued prompt in the database');

    expect(await e2e.corral.stop('SIGINT')).toBe(0);
    expect(storedQueue()).toEqual([{ text: 'Survivor [scenario:text]', state: 'queued' }]);
    await e2e.restartCorral();
    await page.goto(e2e.corral.url);
    await page.getByRole('navigation', { name: 'Projects' }).getByText('order', { exact: true }).click();

    const queued = p.getByRole('list', { name: 'Queued prompts' }).getByRole('listitem');
    await waitForText(queued, 'Survivor [scenario:text]');
    const row = (await queued.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
    expect(row).toHaveLength(1);
    expect(row[0]).toMatch(/^unsent Survivor \[scenario:text\] Retry.*Not sent: Corral quit before the turn ended$/);
    await screenshot(page, 'queue-unsent');

    await queued.first().getByRole('button', { name: 'Retry' }).click();
    await waitForText(log.locator('[data-role="user"]').last(), 'Survivor');
    await waitForText(log.locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done');
    await eventually(() => queued.count(), (n) => n === 0, 'the queue to empty');
    expect(storedQueue()).toEqual([]);
  }, T * 2);
});

describe('steer', () => {
  it('interrupts the running turn and sends the prompt at once', async () => {
    const { page } = e2e.browser;
    const p = await addProject(page, e2e.dir('steer'), 'steer');
    const status = p.getByRole('status', { name: 'Session status' });
    const log = p.getByRole('log', { name: 'Messages' });
    await sendPrompt(p, 'Count for long [scenario:slow:60]');
    await eventually(() => log.locator('[data-role="assistant"]').last().textContent(), (t) => (t ?? '').includes('tick 3'), 'the slow answer');

    await p.getByRole('textbox', { name: 'Prompt' }).fill('Change course [scenario:text]');
    const before = e2e.model.requests.length;
    const clickedAt = Date.now();
    await p.getByRole('button', { name: 'Steer' }).click();
    // The new turn reached the model: the interrupted one was ended, not waited out.
    const steered = await eventually(async () => e2e.model.requests.slice(before).find((r) => r.scenario === 'text'), (r) => r !== undefined, 'the steered prompt at the model', 20_000);
    const toModelMs = steered!.receivedAt - clickedAt;
    // The slow turn's model stream was cut by the interrupt, not run out: it ended right after the click.
    const slow = e2e.model.requests.slice(0, before).filter((r) => r.scenario === 'slow').at(-1)!;
    await eventually(async () => slow.endedAt, (t) => t !== undefined, 'the interrupted stream to end', 10_000);
    const cutMs = slow.endedAt! - clickedAt;
    expect(cutMs).toBeLessThan(3000);
    await waitForText(log.locator('[data-role="assistant"]').last(), FINAL_TEXT.text);
    const answeredMs = Date.now() - clickedAt;
    console.log(`steer: click to the old stream cut ${cutMs} ms, to the new turn's model request ${toModelMs} ms, to its answer on screen ${answeredMs} ms`);
    await waitForText(status, 'done');

    expect(await userRows(log)).toEqual(['Count for long [scenario:slow:60]', 'Change course [scenario:text]']);
    // The slow answer stopped where it was interrupted, far short of its 60 s (300 ticks).
    const interrupted = (await log.locator('[data-role="assistant"]').first().textContent()) ?? '';
    expect(interrupted).not.toContain('tick 300');
    expect(toModelMs).toBeLessThan(5000);
    // The same provider session went on: the steered request carries the earlier history.
    expect(steered!.historyTurns).toBeGreaterThan(0);
    expect(await p.getByRole('list', { name: 'Queued prompts' }).count()).toBe(0);
  }, T * 2);
});
