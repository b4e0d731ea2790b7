import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import type { QueueItem } from '../../shared/rpc/queue';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import AgentPane from './AgentPane.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const item = (id: string, text: string, over: Partial<QueueItem> = {}): QueueItem =>
  ({ id, sessionId: 's1', position: 0, text, state: 'queued', error: null, createdAt: 1, ...over });

/** A pane whose session s1 is mid-turn; the fake main process keeps a queue and answers each change with it. */
async function runningPane() {
  const t = createTestStores();
  let items: QueueItem[] = [];
  let revision = 0;
  const answer = () => ({ ok: true as const, items: [...items], revision: ++revision });
  t.rpc.handle('queue.add', ({ text }) => { items = [...items, item(`q${items.length + 1}`, text)]; return answer(); });
  t.rpc.handle('queue.move', ({ id, offset }) => {
    const at = items.findIndex((i) => i.id === id);
    const next = [...items];
    [next[at], next[at + offset]] = [next[at + offset], next[at]];
    items = next;
    return answer();
  });
  t.rpc.handle('queue.remove', ({ id }) => { items = items.filter((i) => i.id !== id); return answer(); });
  t.rpc.handle('queue.edit', ({ id, text }) => { items = items.map((i) => (i.id === id ? { ...i, text } : i)); return answer(); });
  t.rpc.handle('queue.retry', ({ id }) => { items = items.map((i) => (i.id === id ? { ...i, state: 'queued', error: null } : i)); return answer(); });
  t.rpc.handle('queue.steer', () => ({ ok: true }));
  render(AgentPane, { props: { project }, context: t.context });
  const q = within(screen.getByRole('region', { name: 'alpha' }));
  await type(q, 'first');
  await fireEvent.click(q.getByRole('button', { name: 'Send' }));
  await settle();
  t.rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
  flushSync();
  return { ...t, q, set: (next: QueueItem[]) => (items = next), revision: () => ++revision };
}

async function type(q: ReturnType<typeof within>, text: string) {
  await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: text } });
}
const rows = (q: ReturnType<typeof within>) =>
  q.queryAllByRole('listitem').filter((li: HTMLElement) => li.closest('ol[aria-label="Queued prompts"]')).map((li: HTMLElement) => li.textContent?.replace(/\s+/g, ' ').trim());

describe('AgentPane: prompt queue', () => {
  it('queues Send while a turn runs, lists the prompts in order, and reorders, edits and removes them', async () => {
    const { q, rpc } = await runningPane();
    await type(q, 'second');
    await fireEvent.click(q.getByRole('button', { name: 'Send' }));
    await type(q, 'third');
    await fireEvent.keyDown(q.getByRole('textbox', { name: 'Prompt' }), { key: 'Enter', ctrlKey: true });
    await settle();
    flushSync();
    expect(rpc.callsOf('agent.prompt')).toEqual([]);
    expect(rpc.callsOf('queue.add')).toEqual([{ sessionId: 's1', text: 'second' }, { sessionId: 's1', text: 'third' }]);
    expect((q.getByRole('textbox', { name: 'Prompt' }) as HTMLTextAreaElement).value).toBe('');
    expect(rows(q)).toEqual([expect.stringMatching(/^queued second/), expect.stringMatching(/^queued third/)]);

    const list = within(q.getByRole('list', { name: 'Queued prompts' }));
    const second = within(list.getByRole('listitem', { name: 'Queued prompt 2' }));
    await fireEvent.click(second.getByRole('button', { name: 'Move up' }));
    await settle();
    expect(rows(q)).toEqual([expect.stringMatching(/^queued third/), expect.stringMatching(/^queued second/)]);
    expect((within(list.getByRole('listitem', { name: 'Queued prompt 1' })).getByRole('button', { name: 'Move up' }) as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(within(list.getByRole('listitem', { name: 'Queued prompt 1' })).getByRole('button', { name: 'Edit' }));
    await fireEvent.input(q.getByRole('textbox', { name: 'Edit queued prompt 1' }), { target: { value: 'third, edited' } });
    await fireEvent.click(q.getByRole('button', { name: 'Save' }));
    await settle();
    expect(rows(q)[0]).toMatch(/^queued third, edited/);

    await fireEvent.click(within(list.getByRole('listitem', { name: 'Queued prompt 2' })).getByRole('button', { name: 'Remove' }));
    await settle();
    expect(rows(q)).toEqual([expect.stringMatching(/^queued third, edited/)]);
  });

  it('shows unsent prompts with the reason and Retry, as queue.changed reports them', async () => {
    const { q, rpc, set, revision } = await runningPane();
    const unsent = [item('q1', 'held', { state: 'unsent', error: 'Not sent: the session failed: boom' })];
    set(unsent);
    rpc.emit('queue.changed', { sessionId: 's1', items: unsent, revision: revision() });
    flushSync();
    expect(rows(q)).toEqual([expect.stringMatching(/^unsent held.*Not sent: the session failed: boom$/)]);
    await fireEvent.click(q.getByRole('button', { name: 'Retry' }));
    await settle();
    expect(rpc.callsOf('queue.retry')).toEqual([{ sessionId: 's1', id: 'q1' }]);
    expect(rows(q)).toEqual([expect.stringMatching(/^queued held/)]);
  });

  it('steers with the typed prompt by the Steer button and by Ctrl+Shift+Enter, only while a turn runs', async () => {
    const { q, rpc } = await runningPane();
    await type(q, 'go left');
    await fireEvent.click(q.getByRole('button', { name: 'Steer' }));
    await settle();
    await type(q, 'go right');
    await fireEvent.keyDown(q.getByRole('textbox', { name: 'Prompt' }), { key: 'Enter', ctrlKey: true, shiftKey: true });
    await settle();
    expect(rpc.callsOf('queue.steer')).toEqual([{ sessionId: 's1', text: 'go left' }, { sessionId: 's1', text: 'go right' }]);
    expect(rpc.callsOf('queue.add')).toEqual([]);
    rpc.emit('agent.status', { sessionId: 's1', status: 'done', reason: 'completed' });
    flushSync();
    await type(q, 'idle now');
    expect((q.getByRole('button', { name: 'Steer' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps the newest snapshot when an answer arrives after the event of a later change', async () => {
    const { q, rpc, revision } = await runningPane();
    const stale = revision();
    const newer = revision();
    rpc.handle('queue.add', ({ text }) => {
      // The main process sent the prompt at once: its queue.changed (empty) went out before this answer.
      rpc.emit('queue.changed', { sessionId: 's1', items: [], revision: newer });
      return { ok: true, items: [item('q1', text, { state: 'sending' })], revision: stale };
    });
    await type(q, 'sent at once');
    await fireEvent.click(q.getByRole('button', { name: 'Send' }));
    await settle();
    flushSync();
    expect(rows(q)).toEqual([]);
  });

  it('shows a refused change beside the queue', async () => {
    const { q, rpc } = await runningPane();
    rpc.handle('queue.add', () => ({ ok: false, error: 'Unknown session s1' }));
    await type(q, 'lost?');
    await fireEvent.click(q.getByRole('button', { name: 'Send' }));
    await settle();
    flushSync();
    expect(within(q.getByRole('region', { name: 'Prompt queue' })).getByRole('alert').textContent).toBe('Unknown session s1');
    // Nothing is lost: the refused prompt stays in the box.
    expect((q.getByRole('textbox', { name: 'Prompt' }) as HTMLTextAreaElement).value).toBe('lost?');
  });
});
