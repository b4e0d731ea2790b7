import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import type { WorktreeInfo } from '../../shared/rpc/worktree';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import AgentPane from './AgentPane.svelte';
import Sidebar from './Sidebar.svelte';
import WorktreeBar from './WorktreeBar.svelte';

const info: WorktreeInfo = {
  sessionId: 's1', projectId: 'p1', path: '/data/worktrees/p1/abcd1234', branch: 'corral/abcd1234', baseBranch: 'main',
  baseCommit: '0123456789abcdef0123456789abcdef01234567', state: 'active', createdAt: 1,
};

async function renderBar() {
  const t = createTestStores();
  t.rpc.handle('worktree.info', () => ({ worktree: info }));
  render(WorktreeBar, { props: { sessionId: 's1' }, context: t.context });
  await settle();
  flushSync();
  return { ...t, bar: () => screen.getByRole('group', { name: 'Worktree' }) };
}

describe('WorktreeBar', () => {
  it('shows nothing for a session in the project folder', async () => {
    const t = createTestStores();
    render(WorktreeBar, { props: { sessionId: 's1' }, context: t.context });
    await settle();
    flushSync();
    expect(t.rpc.callsOf('worktree.info')).toEqual([{ sessionId: 's1' }]);
    expect(screen.queryByRole('group', { name: 'Worktree' })).toBeNull();
  });

  it('shows the branch and base; Changes draws each file as a diff', async () => {
    const { bar, rpc } = await renderBar();
    expect(bar().textContent).toContain('Worktree corral/abcd1234');
    expect(bar().textContent).toContain('from main');
    rpc.handle('worktree.changes', () => ({
      ok: true, more: false,
      files: [
        { path: 'hello.txt', status: 'added', oldText: null, newText: 'hi\n' },
        { path: 'notes.txt', status: 'modified', oldText: 'one\ntwo\n', newText: 'one\nTWO\n' },
        { path: 'logo.png', status: 'added', oldText: null, newText: '', binary: true },
      ],
    }));
    await fireEvent.click(within(bar()).getByRole('button', { name: 'Changes' }));
    await settle();
    flushSync();
    const panel = screen.getByRole('region', { name: 'Worktree changes' });
    expect(panel.textContent).toContain('3 changed files');
    const rows = (path: string) => [...within(panel).getByRole('table', { name: `Changes to ${path}` }).querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join('|'));
    expect(rows('hello.txt')).toEqual(['|1|+|hi']);
    expect(rows('notes.txt')).toEqual(['1|1| |one', '2||-|two', '|2|+|TWO']);
    expect(panel.textContent).toContain('logo.png added, binary');
  });

  it('a refused Merge says why, with the conflicting files, and leaves the bar as it was', async () => {
    const { bar, rpc, stores } = await renderBar();
    const error = 'Merging corral/abcd1234 into main conflicts in notes.txt; nothing was changed';
    rpc.handle('worktree.merge', () => ({ ok: false, error, conflicts: ['notes.txt'] }));
    await fireEvent.click(within(bar()).getByRole('button', { name: 'Merge' }));
    await settle();
    flushSync();
    expect(screen.getByRole('alert').textContent).toBe(error);
    expect(stores.toasts.visible.map((t) => t.message)).toEqual([error]);
    expect(bar().textContent).not.toContain('merged');
  });

  it('Discard asks first; confirmed, the worktree shows as discarded with no actions left', async () => {
    const { bar, rpc } = await renderBar();
    rpc.handle('worktree.discard', () => ({ ok: true, worktree: { ...info, state: 'discarded' } }));
    await fireEvent.click(within(bar()).getByRole('button', { name: 'Discard' }));
    flushSync();
    const dialog = screen.getByRole('alertdialog', { name: 'Discard the worktree?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    flushSync();
    expect(rpc.callsOf('worktree.discard')).toEqual([]);
    await fireEvent.click(within(bar()).getByRole('button', { name: 'Discard' }));
    flushSync();
    await fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Discard worktree' }));
    await settle();
    flushSync();
    expect(rpc.callsOf('worktree.discard')).toEqual([{ sessionId: 's1' }]);
    expect(bar().textContent).toContain('discarded');
    expect(within(bar()).queryAllByRole('button')).toEqual([]);
  });
});

describe('Isolated worktree on a new session', () => {
  const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };

  it('is offered only when the project folder is a git repository, and starts the session with worktree: true', async () => {
    const plain = createTestStores();
    render(AgentPane, { props: { project }, context: plain.context });
    await settle();
    flushSync();
    expect(screen.queryByRole('checkbox', { name: 'Isolated worktree' })).toBeNull();
    document.body.innerHTML = '';

    const t = createTestStores();
    t.rpc.handle('worktree.available', () => ({ available: true }));
    render(AgentPane, { props: { project }, context: t.context });
    await settle();
    flushSync();
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Isolated worktree' }));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'write a file' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await settle();
    expect(t.rpc.callsOf('agent.start')).toEqual([{ projectId: 'p1', provider: 'claude', prompt: 'write a file', options: { worktree: true } }]);
  });
});

describe('Removing a project', () => {
  it('asks first, lists worktrees with unsaved work, and deletes them only when ticked', async () => {
    const t = createTestStores();
    t.rpc.handle('projects.list', () => [{ id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 }]);
    t.rpc.handle('worktree.unsaved', () => ({ worktrees: [{ sessionId: 's1', path: info.path, branch: info.branch, uncommitted: 2, commits: 0 }] }));
    await t.stores.projects.load();
    render(Sidebar, { context: t.context });
    flushSync();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove project alpha' }));
    await settle();
    flushSync();
    const dialog = screen.getByRole('alertdialog', { name: 'Remove alpha?' });
    expect(dialog.textContent).toContain('corral/abcd1234 (2 uncommitted files, 0 commits)');
    await fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Also delete these worktrees and their branches' }));
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Remove project' }));
    await settle();
    flushSync();
    expect(t.rpc.callsOf('projects.remove')).toEqual([{ projectId: 'p1', deleteUnsavedWorktrees: true }]);
    expect(screen.queryByRole('button', { name: 'Remove project alpha' })).toBeNull();
  });
});
