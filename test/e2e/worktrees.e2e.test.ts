/**
 * Git worktrees per session end to end, in Chromium through the web mode,
 * with the real Claude Code CLI on the scripted model's `write` scenario
 * (a Write of corral-write.txt in the agent's cwd):
 *  - "Isolated worktree" is offered for a project in a git repository; the
 *    session runs in `<data dir>/worktrees/<project>/<short id>` on branch
 *    `corral/<short id>`, shown in the pane, and its file lands there, not in
 *    the project folder;
 *  - Changes shows the new file as a diff against the base commit;
 *  - Merge brings it into the project folder as a merge commit on main;
 *  - Discard, after asking, removes the worktree and the branch, and a
 *    follow-up prompt says the worktree is gone.
 */
import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FINAL_TEXT, WRITE_FILE } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, screenshot, sendPrompt, waitForText } from './harness';

const e2e = e2eSuite({ name: 'worktrees', projects: ['repo'] });
const T = 90_000;

/** Runs git in `dir` and returns its stdout; throws with git's stderr. */
function git(dir: string, ...args: string[]): string {
  const r = Bun.spawnSync(['git', '-C', dir, '-c', 'user.name=Test', '-c', 'user.email=test@localhost', ...args]);
  if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

describe('git worktrees per session', () => {
  it('runs an isolated session in its own worktree: Changes, Merge into the folder, Discard', async () => {
    const { page } = e2e.browser;
    const repo = realpathSync(e2e.dir('repo'));
    git(repo, 'init', '--quiet', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), '# repo\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'first');
    const base = git(repo, 'rev-parse', 'HEAD').trim();

    await page.goto(e2e.corral.url);
    const p = await addProject(page, repo, 'repo');
    await p.getByRole('checkbox', { name: 'Isolated worktree' }).check();
    await sendPrompt(p, '[scenario:write] Create a file.');
    await waitForText(p.getByRole('status', { name: 'Session status' }), 'done', T);
    await waitForText(p.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]').last(), FINAL_TEXT.write);

    // The pane shows the branch; the file is in the worktree under the data dir, not in the project folder.
    const bar = p.getByRole('group', { name: 'Worktree' });
    await waitForText(bar, /Worktree corral\/[0-9a-f]{8}/);
    const branch = (await bar.locator('.branch code').textContent())!;
    const worktree = (await bar.locator('.branch').getAttribute('title'))!;
    expect(worktree).toStartWith(join(realpathSync(e2e.dataDir()), 'worktrees'));
    expect(worktree.endsWith(`/${branch.slice('corral/'.length)}`)).toBe(true);
    expect(readFileSync(join(worktree, WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
    expect(existsSync(join(repo, WRITE_FILE.name))).toBe(false);
    expect(git(repo, 'branch', '--list', '--format=%(refname:short)').trim().split('\n')).toEqual([branch, 'main']);

    // Changes: the new file, all lines added.
    await bar.getByRole('button', { name: 'Changes' }).click();
    const changes = p.getByRole('region', { name: 'Worktree changes' });
    await waitForText(changes, '1 changed file');
    const rows = await changes.getByRole('table', { name: `Changes to ${WRITE_FILE.name}` }).locator('tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join('|')));
    expect(rows).toEqual([`|1|+|${WRITE_FILE.content.trimEnd()}`]);
    await screenshot(page, 'worktree-changes');

    // Merge: the file is in the project folder, through a merge commit on main whose first parent is the base.
    await bar.getByRole('button', { name: 'Merge' }).click();
    await waitForText(bar, 'merged');
    expect(readFileSync(join(repo, WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
    const parents = git(repo, 'rev-list', '--parents', '-n1', 'HEAD').trim().split(' ').slice(1);
    expect(parents).toEqual([base, git(worktree, 'rev-parse', 'HEAD').trim()]);
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // Discard asks first, then removes the worktree and the branch.
    await bar.getByRole('button', { name: 'Discard' }).click();
    await p.getByRole('alertdialog', { name: 'Discard the worktree?' }).getByRole('button', { name: 'Discard worktree' }).click();
    await waitForText(bar, 'discarded');
    await eventually(async () => existsSync(worktree), (there) => !there, 'the worktree folder to go');
    expect(git(repo, 'branch', '--list', '--format=%(refname:short)').trim()).toBe('main');
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(worktree);
    // What was merged stays.
    expect(readFileSync(join(repo, WRITE_FILE.name), 'utf8')).toBe(WRITE_FILE.content);

    await sendPrompt(p, '[scenario:write] Again.');
    await waitForText(p.getByRole('alert'), `This session's worktree was discarded (branch ${branch} and its folder are gone)`);
    await screenshot(page, 'worktree-discarded');
  }, T * 2);
});
