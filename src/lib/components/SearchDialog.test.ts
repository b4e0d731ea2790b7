import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../shared/rpc/search';
import { formatDateTime } from '../format';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import SearchDialog from './SearchDialog.svelte';

const hit = (n: number, provider: 'claude' | 'codex', snippet: SearchHit['snippet']): SearchHit => ({
  projectId: `p${n}`, projectName: `Project ${n}`, messageKey: `user:u${n}`, role: 'user', seqId: n, ts: 1000 + n, snippet,
  session: { id: `s${n}`, projectId: `p${n}`, provider, status: 'done', reason: null, error: null, providerSessionId: null, model: null, costUsd: null, inputTokens: 0, outputTokens: 0, createdAt: 1_700_000_000_000 + n * 86_400_000, updatedAt: 0 },
});

const HITS = [
  hit(1, 'claude', [{ text: 'rename the ', hit: false }, { text: 'widget', hit: true }, { text: ' <b>now</b>', hit: false }]),
  hit(2, 'codex', [{ text: 'widget', hit: true }, { text: ' tests', hit: false }]),
];

async function openAndSearch(query: string) {
  const t = createTestStores();
  t.rpc.handle('search.query', () => ({ hits: HITS, more: false }));
  render(SearchDialog, { context: t.context });
  await fireEvent.keyDown(window, { key: 'F', code: 'KeyF', ctrlKey: true, shiftKey: true });
  flushSync();
  const dialog = screen.getByRole('dialog', { name: 'Search all sessions' });
  const box = within(dialog).getByRole('combobox', { name: 'Search messages' });
  await fireEvent.input(box, { target: { value: query } });
  t.clock.advance(150);
  await settle();
  flushSync();
  return { ...t, dialog, box, options: () => within(dialog).queryAllByRole('option') };
}

describe('SearchDialog', () => {
  it('opens on Ctrl+Shift+F and lists hits with project, session date, provider and a marked snippet', async () => {
    const { dialog, options, rpc } = await openAndSearch('widget');
    expect(rpc.callsOf('search.query')).toEqual([{ query: 'widget', limit: 50 }]);
    const rows = options();
    expect(rows.map((o) => o.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      `Project 1 ${formatDateTime(HITS[0].session.createdAt)} Claude Code Prompt rename the widget <b>now</b>`,
      `Project 2 ${formatDateTime(HITS[1].session.createdAt)} Codex Prompt widget tests`,
    ]);
    expect([...rows[0].querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['widget']);
    // Snippets are text: markup in a message is shown, never parsed.
    expect(rows[0].querySelector('b')).toBeNull();
    expect(within(dialog).getByRole('status').textContent).toBe('2 messages, newest first');
  });

  it('moves through the hits with the arrow keys and opens one with Enter', async () => {
    const { box, options, stores } = await openAndSearch('widget');
    expect(options().map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options()[0].id);
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    await fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(options().map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options()[1].id);
    await fireEvent.keyDown(box, { key: 'Enter' });
    flushSync();
    expect(stores.search.target).toEqual({ projectId: 'p2', session: HITS[1].session, messageKey: 'user:u2' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes on Escape and says when nothing matched', async () => {
    const t = await openAndSearch('widget');
    t.rpc.handle('search.query', () => ({ hits: [], more: false }));
    await fireEvent.input(t.box, { target: { value: 'nothing' } });
    t.clock.advance(150);
    await settle();
    flushSync();
    expect(within(t.dialog).getByRole('status').textContent).toBe('No messages match “nothing”.');
    expect(t.options()).toEqual([]);
    await fireEvent.keyDown(t.box, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows why a query cannot be searched', async () => {
    const { dialog } = await openAndSearch('()');
    expect(within(dialog).getByRole('alert').textContent).toBe('Search for at least one letter or digit');
  });
});
