import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import type { SearchHit } from '../../shared/rpc/search';
import { createTestStores } from '../testing/app-stores';
import { record } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText } from '../testing/wire';
import AgentPane from './AgentPane.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const other: Project = { id: 'p2', name: 'beta', path: '/work/beta', createdAt: 1 };

const hitIn = (sessionId: string, messageKey: string, projectId = 'p1'): SearchHit => ({
  projectId, projectName: projectId, session: record({ id: sessionId, projectId }), messageKey, role: 'assistant', seqId: 0, ts: 0,
  snippet: [{ text: 'x', hit: true }],
});

/** Renders the panes of two projects and returns a way to choose a search hit, as the search box would. */
function renderPanes() {
  const t = createTestStores();
  render(AgentPane, { props: { project }, context: t.context });
  render(AgentPane, { props: { project: other }, context: t.context });
  const q = within(screen.getByRole('region', { name: 'alpha' }));
  async function choose(hit: SearchHit) {
    t.rpc.handle('search.query', () => ({ hits: [hit], more: false }));
    t.stores.search.setQuery(`find ${hit.messageKey}`);
    t.clock.advance(1000);
    await settle();
    t.stores.search.choose(0);
    await settle();
    flushSync();
  }
  const marked = (scope: HTMLElement) => [...scope.querySelectorAll('[data-hit]')].map((el) => el.textContent?.replace(/\s+/g, ' ').trim());
  return { ...t, q, choose, marked };
}

describe('AgentPane: opening a search hit', () => {
  it('opens a past session read-only, scrolled to the message, marked, in a long transcript', async () => {
    const { q, rpc, choose, marked } = renderPanes();
    const messages = Array.from({ length: 600 }, (_, i) => (i % 2 ? assistantText(i, `answer ${i}`) : userText(i, `question ${i}`)));
    rpc.handle('session.messages.load', () => ({ messages, more: false }));
    await choose(hitIn('old', 'assistant:a451'));
    const past = q.getByRole('region', { name: 'Session transcript (read-only)' });
    expect(rpc.callsOf('session.messages.load')).toEqual([{ sessionId: 'old' }]);
    expect(marked(past)).toEqual(['answer 451']);
    const row = past.querySelector<HTMLElement>('[data-hit]');
    expect(row?.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement).toBe(row);
    // The other project's pane did not react.
    expect(within(screen.getByRole('region', { name: 'beta' })).queryByRole('region', { name: 'Session transcript (read-only)' })).toBeNull();
    // Back leaves the transcript for the History list.
    await fireEvent.click(within(past).getByRole('button', { name: 'Back' }));
    expect(q.getByRole('list', { name: 'Sessions' })).toBeInstanceOf(HTMLElement);
  });

  it('marks the message in the live pane when the hit is in the current session', async () => {
    const { q, rpc, choose, marked } = renderPanes();
    await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'go' } });
    await fireEvent.click(q.getByRole('button', { name: 'Send' }));
    await settle();
    rpc.emit('agent.message', { sessionId: 's1', messages: [userText(0, 'go'), assistantText(1, 'the live answer')] });
    flushSync();
    await fireEvent.click(q.getByRole('button', { name: 'History' }));
    await choose(hitIn('s1', 'assistant:a1'));
    expect(q.queryByRole('region', { name: 'Session transcript (read-only)' })).toBeNull();
    expect(q.getByRole('textbox', { name: 'Prompt' })).toBeInstanceOf(HTMLElement);
    expect(marked(q.getByRole('log', { name: 'Messages' }))).toEqual(['the live answer']);
  });
});
