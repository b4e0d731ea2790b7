import { afterEach, describe, expect, it } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHandlers } from '../rpc';
import { git } from './git';
import { createHarness } from './testdata/harness';

const dirs: string[] = [];
const tempDir = () => { const d = realpathSync(mkdtempSync(join(tmpdir(), 'corral-wt-'))); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A git repository on `main` with one commit holding README.md and notes.txt. */
async function repo(): Promise<string> {
  const dir = tempDir();
  await git(dir, ['init', '--quiet', '-b', 'main']);
  writeFileSync(join(dir, 'README.md'), '# demo\n');
  writeFileSync(join(dir, 'notes.txt'), 'one\ntwo\n');
  await git(dir, ['add', '.']);
  await git(dir, ['commit', '--quiet', '-m', 'first']);
  return dir;
}

async function setup() {
  const projectDir = await repo();
  const h = createHarness({ worktreesDir: join(tempDir(), 'worktrees') });
  const project = h.core.projects.add(projectDir);
  const rpc = createHandlers(h.core);
  const ctx = { clientId: 'test' };
  /** Starts an isolated session with `prompt` and waits for its turn to end. */
  async function isolated(prompt: string) {
    const mark = h.published.length;
    const res = await rpc['agent.start']({ projectId: project.id, provider: 'claude', prompt, options: { worktree: true } }, ctx);
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'done', mark);
    return { sessionId: res.sessionId, wt: h.core.worktrees.info(res.sessionId)! };
  }
  return { h, project, projectDir, rpc, ctx, isolated };
}

const head = (dir: string) => git(dir, ['rev-parse', 'HEAD']).then((s) => s.trim());
const branches = (dir: string) => git(dir, ['branch', '--list', '--format=%(refname:short)']).then((s) => s.trim().split('\n'));

describe('worktrees per session', () => {
  it('runs an isolated session in its own worktree on corral/<short id>: its write lands there, not in the project folder, and Changes shows it', async () => {
    const { h, projectDir, isolated, rpc, ctx, project } = await setup();
    expect(await rpc['worktree.available']({ projectId: project.id }, ctx)).toEqual({ available: true });
    const { sessionId, wt } = await isolated('write hello.txt hi from the agent');
    expect(wt).toMatchObject({ branch: `corral/${sessionId.replace(/-/g, '').slice(0, 8)}`, baseBranch: 'main', baseCommit: await head(projectDir), state: 'active' });
    expect(h.core.store.sessions.get(sessionId)?.cwd).toBe(wt.path);
    expect(readFileSync(join(wt.path, 'hello.txt'), 'utf8')).toBe('hi from the agent\n');
    expect(existsSync(join(projectDir, 'hello.txt'))).toBe(false);
    expect(await branches(projectDir)).toEqual([wt.branch, 'main']);

    writeFileSync(join(wt.path, 'notes.txt'), 'one\nTWO\n');
    expect(await rpc['worktree.changes']({ sessionId }, ctx)).toEqual({
      ok: true, more: false,
      files: [
        { path: 'hello.txt', status: 'added', oldText: null, newText: 'hi from the agent\n' },
        { path: 'notes.txt', status: 'modified', oldText: 'one\ntwo\n', newText: 'one\nTWO\n' },
      ],
    });
  });

  it('Merge commits the session’s work on its branch and merges it into the base branch of the project folder', async () => {
    const { projectDir, isolated, rpc, ctx } = await setup();
    const { sessionId, wt } = await isolated('write hello.txt merged text');
    // main moved on meanwhile, in another file: that is not the session's to report.
    writeFileSync(join(projectDir, 'README.md'), '# demo, edited on main\n');
    await git(projectDir, ['commit', '--quiet', '-am', 'main moves on']);
    const before = await head(projectDir);
    const res = await rpc['worktree.merge']({ sessionId }, ctx);
    if (!res.ok) throw new Error(res.error);
    expect(res.files).toEqual(['hello.txt']);
    expect(res.worktree.state).toBe('merged');
    expect(readFileSync(join(projectDir, 'hello.txt'), 'utf8')).toBe('merged text\n');
    expect(readFileSync(join(projectDir, 'README.md'), 'utf8')).toBe('# demo, edited on main\n');
    expect(await head(projectDir)).toBe(res.mergeCommit);
    // A real merge commit: the old main and the session's branch are its parents.
    expect((await git(projectDir, ['rev-list', '--parents', '-n1', 'HEAD'])).trim().split(' ').slice(1)).toEqual([before, await head(wt.path)]);
    expect(await git(wt.path, ['status', '--porcelain'])).toBe('');
    expect(await rpc['worktree.merge']({ sessionId }, ctx)).toEqual({ ok: false, error: `Nothing to merge: main already has everything on ${wt.branch}` });
  });

  it('a conflicting Merge names the files and leaves the project folder and the worktree as they were', async () => {
    const { projectDir, isolated, rpc, ctx } = await setup();
    const { sessionId, wt } = await isolated('write notes.txt agent version');
    writeFileSync(join(projectDir, 'notes.txt'), 'user version\n');
    await git(projectDir, ['commit', '--quiet', '-am', 'user edit']);
    const projectHead = await head(projectDir);
    const branchHead = await head(wt.path);
    const res = await rpc['worktree.merge']({ sessionId }, ctx);
    expect(res).toEqual({ ok: false, error: `Merging ${wt.branch} into main conflicts in notes.txt; nothing was changed`, conflicts: ['notes.txt'] });
    expect(await head(projectDir)).toBe(projectHead);
    expect(await git(projectDir, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(projectDir, 'notes.txt'), 'utf8')).toBe('user version\n');
    expect(await head(wt.path)).toBe(branchHead);
    expect(await git(wt.path, ['status', '--porcelain'])).toBe(' M notes.txt\n');
    expect(readFileSync(join(wt.path, 'notes.txt'), 'utf8')).toBe('agent version\n');
  });

  it('Merge refuses a project folder with uncommitted changes or on another branch, saying what to do', async () => {
    const { projectDir, isolated, rpc, ctx } = await setup();
    const { sessionId } = await isolated('write hello.txt x');
    writeFileSync(join(projectDir, 'README.md'), 'edited\n');
    expect(await rpc['worktree.merge']({ sessionId }, ctx)).toEqual({ ok: false, error: 'The project folder has uncommitted changes (README.md): commit or stash them first' });
    await git(projectDir, ['checkout', '--quiet', '--', 'README.md']);
    await git(projectDir, ['checkout', '--quiet', '-b', 'other']);
    expect(await rpc['worktree.merge']({ sessionId }, ctx)).toEqual({ ok: false, error: 'The project folder is on other, not on main: check out main there to merge' });
    expect(existsSync(join(projectDir, 'hello.txt'))).toBe(false);
  });

  it('Discard stops the session, removes the worktree and its branch; a follow-up prompt says the worktree is gone', async () => {
    const { projectDir, isolated, rpc, ctx } = await setup();
    const { sessionId, wt } = await isolated('write hello.txt bye');
    const res = await rpc['worktree.discard']({ sessionId }, ctx);
    expect(res).toMatchObject({ ok: true, worktree: { state: 'discarded' } });
    expect(existsSync(wt.path)).toBe(false);
    expect(await branches(projectDir)).toEqual(['main']);
    expect((await git(projectDir, ['worktree', 'list', '--porcelain'])).includes(wt.path)).toBe(false);
    expect(await rpc['agent.prompt']({ sessionId, prompt: 'echo again' }, ctx)).toEqual({
      ok: false, error: `This session's worktree was discarded (branch ${wt.branch} and its folder are gone), so the agent has nowhere to run. Start a new session.`,
    });
    expect(await rpc['worktree.changes']({ sessionId }, ctx)).toEqual({ ok: false, error: `The worktree of this session was discarded (branch ${wt.branch} is gone)` });
  });

  it('refuses an isolated session outside a git repository, and says so before the user tries', async () => {
    const h = createHarness({ worktreesDir: join(tempDir(), 'worktrees') });
    const plain = tempDir();
    const project = h.core.projects.add(plain);
    const rpc = createHandlers(h.core);
    expect(await rpc['worktree.available']({ projectId: project.id }, { clientId: 't' })).toEqual({ available: false, reason: `${plain} is not in a git repository` });
    expect(await rpc['agent.start']({ projectId: project.id, provider: 'claude', prompt: 'echo hi', options: { worktree: true } }, { clientId: 't' }))
      .toEqual({ ok: false, error: `${plain} is not in a git repository: an isolated worktree needs one` });
    expect(h.core.store.sessions.ofProject(project.id)).toEqual([]);
  });

  it('retention removes a clean worktree with its session, and keeps a session whose worktree holds unsaved work, saying so', async () => {
    const { h, project, projectDir, isolated } = await setup();
    h.core.setSetting('retention_count', 1);
    const clean = await isolated('echo nothing written');
    const dirty = await isolated('write draft.txt unsaved');
    // Retention ran when the second turn ended: the first session went, with its worktree and branch.
    await h.waitFor((p) => p.event === 'session.purged' && p.payload.sessionIds.includes(clean.sessionId));
    expect(h.core.store.sessions.get(clean.sessionId)).toBeNull();
    expect(existsSync(clean.wt.path)).toBe(false);
    expect(await branches(projectDir)).toEqual([dirty.wt.branch, 'main']);
    const mark = h.published.length;
    const res = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt: 'echo third' });
    if (!res.ok) throw new Error(res.error);
    await h.statusOf(res.sessionId, 'done', mark);
    const retained = await h.waitFor((p) => p.event === 'worktree.retained');
    expect(retained.payload).toEqual({ projectId: project.id, worktrees: [{ sessionId: dirty.sessionId, path: dirty.wt.path, branch: dirty.wt.branch }] });
    expect(h.core.store.sessions.get(dirty.sessionId)).not.toBeNull();
    expect(readFileSync(join(dirty.wt.path, 'draft.txt'), 'utf8')).toBe('unsaved\n');
  });

  it('project removal deletes a worktree with unsaved work only when asked; otherwise it stays on disk and is named', async () => {
    const first = await setup();
    const a = await first.isolated('write draft.txt keep me');
    expect(await first.rpc['worktree.unsaved']({ projectId: first.project.id }, first.ctx)).toEqual({
      worktrees: [{ sessionId: a.sessionId, path: a.wt.path, branch: a.wt.branch, uncommitted: 1, commits: 0 }],
    });
    expect(await first.rpc['projects.remove']({ projectId: first.project.id }, first.ctx)).toEqual({ ok: true, keptWorktrees: [{ path: a.wt.path, branch: a.wt.branch }] });
    expect(readFileSync(join(a.wt.path, 'draft.txt'), 'utf8')).toBe('keep me\n');

    const second = await setup();
    const b = await second.isolated('write draft.txt delete me');
    mkdirSync(join(b.wt.path, 'deep'), { recursive: true });
    expect(await second.rpc['projects.remove']({ projectId: second.project.id, deleteUnsavedWorktrees: true }, second.ctx)).toEqual({ ok: true, keptWorktrees: [] });
    expect(existsSync(b.wt.path)).toBe(false);
    expect(await branches(second.projectDir)).toEqual(['main']);
  });

  it('warns both sessions when two running turns in one checkout write the same file; an isolated session is never warned', async () => {
    const { h, project, projectDir, isolated } = await setup();
    mkdirSync(join(projectDir, 'sub'));
    writeFileSync(join(projectDir, 'sub', 'shared.ts'), 'export {};\n');
    await git(projectDir, ['add', '.']);
    await git(projectDir, ['commit', '--quiet', '-m', 'sub']);
    const inner = h.core.projects.add(join(projectDir, 'sub'));
    const tool = (sessionId: string) => h.waitFor((p) => p.event === 'agent.message' && p.payload.sessionId === sessionId && p.payload.messages.some((m) => m.event.type === 'tool_result'));
    const outer = h.core.sessions.start({ projectId: project.id, provider: 'claude', prompt: 'write-hang sub/shared.ts from the outer project' });
    if (!outer.ok) throw new Error(outer.error);
    await tool(outer.sessionId);
    const own = await isolated('write sub/shared.ts in a worktree');
    const sub = h.core.sessions.start({ projectId: inner.id, provider: 'codex', prompt: 'write-hang shared.ts from the sub project' });
    if (!sub.ok) throw new Error(sub.error);
    const warned = await h.waitFor((p) => p.event === 'worktree.conflict');
    const path = join(projectDir, 'sub', 'shared.ts');
    expect(warned.payload).toEqual({ projectIds: [inner.id, project.id], sessionIds: [sub.sessionId, outer.sessionId], path });
    const warnings = (id: string) => h.messages(id).filter((m) => m.event.type === 'error').map((m) => (m.event.type === 'error' ? m.event.message : ''));
    await h.waitFor(() => warnings(outer.sessionId).length > 0);
    expect(warnings(outer.sessionId)).toEqual([expect.stringContaining(`session ${sub.sessionId.slice(0, 8)} also wrote ${path} while both were running in the same checkout`)]);
    expect(warnings(sub.sessionId)).toEqual([expect.stringContaining(`session ${outer.sessionId.slice(0, 8)} also wrote ${path}`)]);
    expect(warnings(own.sessionId)).toEqual([]);
    await Promise.all([h.core.sessions.stop(outer.sessionId), h.core.sessions.stop(sub.sessionId)]);
  });
});
