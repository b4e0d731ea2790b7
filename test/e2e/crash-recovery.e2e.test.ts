/**
 * A crash after a tool call, end to end, in Chromium against the real web
 * mode and the real Claude Code: the model has Claude run a command that
 * appends a line to a file, then hangs the turn; the test SIGKILLs the
 * sidecar's process group. Recovery must not send the prompt again (the
 * command would run twice): the pane shows the turn interrupted, names the
 * command, and offers Continue, which resumes the same Claude session.
 */
import { Database } from 'bun:sqlite';
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPEND_COMMAND, APPEND_FILE } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'crash', projects: ['crash'] });
const T = 60_000;

function sessionRow(): { id: string; pid: number | null; status: string } | undefined {
  const db = new Database(join(e2e.dataDir(), 'corral.db'), { readonly: true });
  try {
    return db.query('SELECT s.id, s.sidecar_pid AS pid, s.status FROM sessions s JOIN projects p ON p.id = s.project_id WHERE p.name = ?').get('crash') as never;
  } finally {
    db.close();
  }
}
const lines = () => (existsSync(join(e2e.dir('crash'), APPEND_FILE)) ? readFileSync(join(e2e.dir('crash'), APPEND_FILE), 'utf8').split('\n').filter(Boolean) : []);
const appendRequests = (followUp: boolean) => e2e.model.requests.filter((r) => r.scenario === 'append-then-stall' && r.isToolResultFollowUp === followUp).length;

describe('crash after a tool call', () => {
  it('leaves the file with one line, the session interrupted with Continue, and continues only when asked', async () => {
    const { page } = e2e.browser;
    await page.goto(e2e.corral.url);
    // Bash runs unattended here, whatever the default mode asks for: this test is about the crash, not approvals.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.getByLabel('Default permission mode').selectOption('bypassPermissions');
    await settings.getByRole('button', { name: 'Save', exact: true }).click();
    await waitForText(settings.getByRole('status'), 'Settings saved.');

    const p = await addProject(page, e2e.dir('crash'), 'crash');
    await sendPrompt(p, 'Append a line [scenario:append-then-stall]');
    const log = p.getByRole('log', { name: 'Messages' });
    await waitForText(log.locator('[data-role="tool-call"]'), APPEND_COMMAND);
    // The command ran and its result went back to the model, which now holds the turn open.
    await eventually(async () => appendRequests(true), (n) => n === 1, 'the tool result to reach the model');
    expect(lines()).toEqual(['appended']);

    const row = sessionRow()!;
    expect(row.pid).toBeGreaterThan(0);
    process.kill(-row.pid!, 'SIGKILL');

    await waitForText(p.getByRole('status', { name: 'Session status' }), 'interrupted');
    const notice = p.getByRole('group', { name: 'Interrupted turn' });
    await waitForText(notice, `Interrupted after: Bash \`${APPEND_COMMAND}\``);
    await waitForText(notice, 'was killed by SIGKILL');
    // Past the first two recovery backoffs (1 s, 2 s): a blind replay would have sent the prompt again by now.
    await Bun.sleep(4000);
    expect(appendRequests(false)).toBe(1);
    expect(lines()).toEqual(['appended']);
    expect(sessionRow()).toMatchObject({ status: 'interrupted', pid: null });

    const before = e2e.model.requests.length;
    await notice.getByRole('button', { name: 'Continue' }).click();
    await waitForText(log.locator('[data-role="user"]').last(), 'Continue where you left off.');
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done');
    expect(await notice.count()).toBe(0);
    // The same Claude session went on, with the interrupted turn in its history; the command did not run again.
    expect(e2e.model.requests.slice(before)[0]?.historyTurns).toBeGreaterThan(0);
    expect(appendRequests(false)).toBe(1);
    expect(lines()).toEqual(['appended']);
    expect(sessionRow()?.id).toBe(row.id);
  }, T * 2);
});
