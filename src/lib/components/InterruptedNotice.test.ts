import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../shared/records';
import { createTestStores } from '../testing/app-stores';
import { settle } from '../testing/settle';
import AgentPane from './AgentPane.svelte';

const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const CRASH = 'The agent sidecar was killed by SIGKILL during a turn that had started tool calls, so its prompt was not sent again. Interrupted after: Bash `echo x >> f`';

async function interruptedPane(status: { reason: 'crashed' | 'interrupted'; error?: string }) {
  const t = createTestStores();
  render(AgentPane, { props: { project }, context: t.context });
  const q = within(screen.getByRole('region', { name: 'alpha' }));
  await fireEvent.input(q.getByRole('textbox', { name: 'Prompt' }), { target: { value: 'append a line' } });
  await fireEvent.click(q.getByRole('button', { name: 'Send' }));
  await settle();
  t.rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
  t.rpc.emit('agent.status', { sessionId: 's1', status: 'interrupted', ...status });
  flushSync();
  return { ...t, q };
}

describe('AgentPane: an interrupted turn', () => {
  it('says what ran before the crash and sends nothing until Continue is pressed', async () => {
    const { q, rpc } = await interruptedPane({ reason: 'crashed', error: CRASH });
    const notice = q.getByRole('group', { name: 'Interrupted turn' });
    expect(notice.textContent).toContain('Interrupted after: Bash `echo x >> f`');
    expect(notice.textContent).toContain('Nothing runs until you continue');
    expect(q.getByRole('status', { name: 'Session status' }).textContent).toContain('interrupted');
    expect(rpc.callsOf('agent.prompt')).toEqual([]);

    await fireEvent.click(within(notice).getByRole('button', { name: 'Continue' }));
    await settle();
    flushSync();
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 's1', prompt: 'Continue where you left off.' }]);
    expect(q.queryByRole('group', { name: 'Interrupted turn' })).toBeNull();
  });

  it('explains an interruption by a stop of Corral when the main process gave no detail', async () => {
    const { q } = await interruptedPane({ reason: 'interrupted' });
    expect(q.getByRole('group', { name: 'Interrupted turn' }).textContent).toContain('Corral stopped while this turn was running.');
  });
});
