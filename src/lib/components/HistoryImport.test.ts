import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { HistoryImportProgress, HistorySource } from '../../shared/rpc/history';
import { formatDateTime } from '../format';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import HistoryImport from './HistoryImport.svelte';

const source = (provider: 'claude' | 'codex', path: string, firstPrompt: string, importedSessionId: string | null = null): HistorySource => ({
  provider, path, providerSessionId: `${provider}-id`, startedAt: 1_790_000_000_000, modifiedAt: 1_790_000_100_000, firstPrompt, messageCount: 6, sizeBytes: 1000, importedSessionId,
});
const progress = (p: Partial<HistoryImportProgress>): HistoryImportProgress => ({
  importId: 'i1', projectId: 'p1', path: '/h/claude.jsonl', sessionId: 's1', bytesRead: 0, totalBytes: 1000, messages: 0, badLines: 0, done: false, ...p,
});

async function setup(sources: HistorySource[]) {
  const t = createTestStores();
  let listed = sources;
  t.rpc.handle('history.sources', () => ({ sources: listed }));
  t.rpc.handle('history.import', () => ({ importId: 'i1' }));
  t.rpc.handle('session.list', () => ({ sessions: [] }));
  const onOpen = vi.fn();
  render(HistoryImport, { context: t.context, props: { projectId: 'p1', onOpen } });
  await settle();
  flushSync();
  const rows = () => within(screen.getByRole('list', { name: 'Found on disk' })).queryAllByRole('listitem');
  return { ...t, onOpen, rows, relist: (next: HistorySource[]) => (listed = next) };
}

describe('HistoryImport', () => {
  it("lists the folder's sessions on disk with date, provider, first prompt, count and import state", async () => {
    const { rows, rpc } = await setup([source('codex', '/h/codex.jsonl', 'Fix the build'), source('claude', '/h/claude.jsonl', 'Check the shell', 's9')]);
    expect(rpc.callsOf('history.sources')).toEqual([{ projectId: 'p1' }]);
    const when = formatDateTime(1_790_000_000_000);
    expect(rows().map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      `${when} Codex Fix the build 6 messages Import`,
      `${when} Claude Code Check the shell 6 messages Imported Open`,
    ]);
  });

  it('imports with a progress bar, then shows the result and lists the session as imported', async () => {
    const { rows, rpc, relist } = await setup([source('claude', '/h/claude.jsonl', 'Check the shell')]);
    await fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Import this session' }));
    await settle();
    expect(rpc.callsOf('history.import')).toEqual([{ projectId: 'p1', path: '/h/claude.jsonl' }]);
    rpc.emit('history.import.progress', progress({ bytesRead: 400, messages: 2 }));
    flushSync();
    const bar = within(rows()[0]).getByRole('progressbar', { name: 'Import progress' });
    expect(bar.getAttribute('value')).toBe('40');
    expect(within(rows()[0]).getByRole('button', { name: 'Import this session' }).hasAttribute('disabled')).toBe(true);
    relist([source('claude', '/h/claude.jsonl', 'Check the shell', 's1')]);
    rpc.emit('history.import.progress', progress({ bytesRead: 1000, messages: 6, badLines: 1, done: true }));
    await settle();
    flushSync();
    expect(within(rows()[0]).queryByRole('progressbar')).toBeNull();
    expect(within(rows()[0]).getByRole('status').textContent?.trim()).toBe('Imported 6 messages, 1 bad line skipped');
    expect(within(rows()[0]).getByRole('button', { name: 'Open the imported session' })).toBeInstanceOf(HTMLButtonElement);
    // History's own list is fetched again: the new session shows there too.
    expect(rpc.callsOf('session.list')).toEqual([{ projectId: 'p1' }]);
  });

  it('says when a second import added nothing, and shows a refused import as an error', async () => {
    const { rows, rpc } = await setup([source('claude', '/h/claude.jsonl', 'Check the shell', 's1'), source('codex', '/h/codex.jsonl', 'Fix it')]);
    rpc.emit('history.import.progress', progress({ done: true, alreadyImported: true, bytesRead: 1000 }));
    flushSync();
    expect(within(rows()[0]).getByRole('status').textContent?.trim()).toBe('Already imported: nothing added');
    rpc.handle('history.import', () => Promise.reject(new Error('Not a stored session of this project\'s folder: /h/codex.jsonl')));
    await fireEvent.click(within(rows()[1]).getByRole('button', { name: 'Import this session' }));
    await settle();
    flushSync();
    expect(within(rows()[1]).getByRole('alert').textContent).toContain('Import failed: Not a stored session');
  });

  it('opens an imported session', async () => {
    const { rows, onOpen } = await setup([source('claude', '/h/claude.jsonl', 'Check the shell', 's9')]);
    await fireEvent.click(within(rows()[0]).getByRole('button', { name: 'Open the imported session' }));
    expect(onOpen).toHaveBeenCalledWith('s9');
  });
});
