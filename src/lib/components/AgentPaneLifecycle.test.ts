import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import { createTestStores } from '../testing/app-stores';
import { record } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText, wire } from '../testing/wire';
import AgentPane from './AgentPane.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };

function renderPane() {
  const t = createTestStores();
  render(AgentPane, { props: { project }, context: t.context });
  const q = within(screen.getByRole('region', { name: 'alpha' }));
  return { ...t, q };
}

async function send(q: ReturnType<typeof within>, text: string) {
  await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: text } });
  await fireEvent.click(q.getByRole('button', { name: 'Send' }));
  await settle();
  flushSync();
}

const button = (q: ReturnType<typeof within>, name: string) => q.getByRole('button', { name }) as HTMLButtonElement;

describe('AgentPane: New session', () => {
  it('is off while a turn runs; after it, the next prompt starts a fresh session and the pane starts empty', async () => {
    const { q, rpc } = renderPane();
    expect(button(q, 'New session').disabled).toBe(true);
    await send(q, 'first');
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    rpc.emit('agent.message', { sessionId: 's1', messages: [userText(0, 'first')] });
    flushSync();
    expect(button(q, 'New session').disabled).toBe(true);
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    flushSync();
    expect(button(q, 'Stop').disabled).toBe(true);
    await send(q, 'follow-up continues');
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 's1', prompt: 'follow-up continues' }]);
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    flushSync();
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('running');
    expect(button(q, 'Stop').disabled).toBe(false);
    rpc.emit('agent.status', { sessionId: 's1', status: 'done', reason: 'completed' });
    flushSync();
    await fireEvent.click(button(q, 'New session'));
    expect(q.getByRole('log', { name: 'Messages' }).textContent).toContain('No session yet');
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 's2' }));
    await send(q, 'second');
    expect(rpc.callsOf('agent.start').map((c) => c.prompt)).toEqual(['first', 'second']);
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('starting');
  });
});

describe('AgentPane: History', () => {
  it('lists the retained sessions newest first with date, provider, status and cost, and shows one read-only', async () => {
    const { q, rpc } = renderPane();
    rpc.handle('session.list', () => ({
      sessions: [
        record({ id: 'new', createdAt: new Date(2025, 2, 14, 9, 26).getTime(), status: 'error', costUsd: 0.0123 }),
        record({ id: 'old', createdAt: new Date(2025, 2, 13, 18, 5).getTime(), status: 'done', costUsd: null, provider: 'codex' }),
      ],
    }));
    rpc.handle('session.messages.load', ({ sessionId }) => ({ messages: [userText(0, `prompt of ${sessionId}`), assistantText(1, 'answer')], more: false }));
    await fireEvent.click(button(q, 'History'));
    await settle();
    flushSync();
    const items = within(q.getByRole('list', { name: 'Sessions' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '2025-03-14 09:26 Claude Code error $0.0123',
      '2025-03-13 18:05 Codex done cost not reported',
    ]);
    await fireEvent.click(within(items[1]).getByRole('button'));
    await settle();
    flushSync();
    const past = q.getByRole('region', { name: 'Session transcript (read-only)' });
    expect(within(past).getByRole('log', { name: 'Messages' }).textContent).toContain('prompt of old');
    expect(rpc.callsOf('session.messages.load')).toEqual([{ sessionId: 'old' }]);
    expect(q.getByRole('textbox', { name: 'Prompt', hidden: true }).closest('[hidden]')).toBeInstanceOf(HTMLElement);
    await fireEvent.click(within(past).getByRole('button', { name: 'Back' }));
    expect(q.getByRole('list', { name: 'Sessions' })).toBeInstanceOf(HTMLElement);
    await fireEvent.click(button(q, 'History'));
    expect(q.queryByRole('list', { name: 'Sessions' })).toBeNull();
    expect(q.getByRole('textbox', { name: 'Prompt' })).toBeInstanceOf(HTMLElement);
  });

  it('reloads while open when a session of the project ends or is purged', async () => {
    const { q, rpc } = renderPane();
    await send(q, 'go');
    await fireEvent.click(button(q, 'History'));
    await settle();
    const before = rpc.callsOf('session.list').length;
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    await settle();
    flushSync();
    expect(rpc.callsOf('session.list').length).toBe(before + 1);
    rpc.emit('session.purged', { projectId: 'p1', sessionIds: ['s1'] });
    await settle();
    flushSync();
    expect(rpc.callsOf('session.list').length).toBeGreaterThan(before + 1);
  });
});

describe('AgentPane: health in the header', () => {
  it('shows activity, the tool under way, idle time, burn rate, context, and "needs input"', async () => {
    const { q, rpc, clock } = renderPane();
    const health = () => q.getByRole('group', { name: 'Health' });
    expect(within(health()).getByLabelText('Activity').textContent).toBe('inactive');
    await send(q, 'go');
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    rpc.emit('agent.message', { sessionId: 's1', messages: [wire(0, { type: 'tool_call', id: 'c1', name: 'Bash', input: {}, command: 'sleep 60' })] });
    flushSync();
    expect(within(health()).getByLabelText('Activity').textContent).toBe('running');
    expect(within(health()).getByLabelText('Tool').textContent).toBe('Bash');
    clock.advance(45_000);
    flushSync();
    expect(within(health()).getByLabelText('Activity').textContent).toBe('idle');
    expect(within(health()).getByLabelText('Idle').textContent).toBe('45s');
    clock.advance(15_000);
    rpc.emit('agent.cost', { sessionId: 's1', costUsd: 0.1, inputTokens: 1, outputTokens: 1, contextTokens: 150_000, contextWindow: 200_000 });
    flushSync();
    expect(within(health()).getByLabelText('Burn').textContent).toBe('$6.00/h');
    expect(within(health()).getByLabelText('Context').textContent).toBe('75%');
    rpc.emit('agent.message', { sessionId: 's1', messages: [wire(1, { type: 'permission_request', id: 'perm', title: 'Run rm -rf build?', options: [] })] });
    flushSync();
    expect(within(health()).getByLabelText('Activity').textContent).toBe('needs input');
    clock.advance(16 * 60_000);
    flushSync();
    expect(within(health()).getByLabelText('Activity').textContent).toBe('needs input');
  });
});
