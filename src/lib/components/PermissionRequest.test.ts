import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../shared/events';
import type { Project } from '../../shared/records';
import { EXPIRED_TEXT, permissionExpiry } from '../stores/permission-expiry';
import { Transcript } from '../stores/transcript';
import { createTestStores } from '../testing/app-stores';
import { record } from '../testing/session-store-harness';
import { wire } from '../testing/wire';
import AgentPane from './AgentPane.svelte';
import PermissionRequest from './PermissionRequest.svelte';

type Request = Extract<AgentEvent, { type: 'permission_request' }>;

const CLAUDE_OPTIONS = [
  { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
  { optionId: 'allow_session', name: 'Allow for this session', kind: 'allow_always' },
  { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
];
const bash: Request = {
  type: 'permission_request', id: 'perm-1', title: 'Run a command: touch x.txt', options: CLAUDE_OPTIONS, tool: 'Bash', command: 'touch x.txt', acceptsMessage: true,
};
const write: Request = {
  type: 'permission_request', id: 'perm-2', title: 'Write /p/notes.txt', options: CLAUDE_OPTIONS, tool: 'Write', path: '/p/notes.txt',
  diff: { path: '/p/notes.txt', oldText: 'old line\n', newText: 'new line\n' }, acceptsMessage: true,
};

/** Renders the card of `events` (folded as the transcript folds them), answering through recorded actions. */
function renderCard(events: Request[], opts: { expired?: string } = {}) {
  const t = new Transcript();
  t.ingest(events.map((e, i) => wire(i, e)));
  const message = t.messages.find((m) => m.permission)!;
  const answers: [string, string, string | undefined][] = [];
  // The card's PermissionActions (declared in the component's module script).
  const actions = {
    answered: (): string | undefined => undefined,
    answer: (requestId: string, optionId: string, note?: string) => void answers.push([requestId, optionId, note]),
    expired: () => opts.expired,
  };
  render(PermissionRequest, { props: { text: message.text, permission: message.permission!, actions } });
  return { card: within(screen.getByRole('group', { name: 'Permission request' })), answers };
}

describe('PermissionRequest card', () => {
  it('shows the tool and its command, and answers with the chosen option', async () => {
    const { card, answers } = renderCard([bash]);
    expect(card.getByText('Bash').tagName).toBe('SPAN');
    expect(card.getByText('touch x.txt').tagName).toBe('CODE');
    expect(card.getAllByRole('button').map((b) => b.textContent?.trim())).toEqual(['Allow once', 'Allow for this session', 'Deny']);
    await fireEvent.click(card.getByRole('button', { name: 'Allow for this session' }));
    expect(answers).toEqual([['perm-1', 'allow_session', undefined]]);
  });

  it('sends the message to the agent with Deny, and never with an allow', async () => {
    const { card, answers } = renderCard([bash]);
    await fireEvent.input(card.getByRole('textbox', { name: /Message to the agent/ }), { target: { value: '  Use make clean instead. ' } });
    await fireEvent.click(card.getByRole('button', { name: 'Allow once' }));
    await fireEvent.click(card.getByRole('button', { name: 'Deny' }));
    expect(answers).toEqual([['perm-1', 'allow_once', undefined], ['perm-1', 'deny', 'Use make clean instead.']]);
  });

  it('shows an edit as a diff of its text before and after, and a new file as all added', () => {
    renderCard([write]);
    const rows = () => [...document.querySelectorAll('tr')].map((tr) => tr.dataset.kind + ' ' + tr.querySelector('.text')!.textContent);
    expect(screen.getByRole('table', { name: 'Changes to /p/notes.txt' })).toBeInstanceOf(HTMLElement);
    expect(rows()).toEqual(['removed old line', 'added new line']);
    document.body.innerHTML = '';
    renderCard([{ ...write, diff: { path: '/p/notes.txt', oldText: null, newText: 'a\nb\n' } }]);
    expect(rows()).toEqual(['added a', 'added b']);
    expect(screen.getByText('new file')).toBeInstanceOf(HTMLElement);
  });

  it('has no message box where the agent takes none (ACP)', () => {
    const { card } = renderCard([{ ...bash, acceptsMessage: undefined }]);
    expect(card.queryByRole('textbox')).toBeNull();
    expect(card.getAllByRole('button')).toHaveLength(3);
  });

  it('shows the answer the agent reported, with no buttons, once the answered copy arrived', () => {
    const { card } = renderCard([bash, { ...bash, answered: { optionId: 'deny' } }]);
    expect(card.getByText('Answered: Deny').tagName).toBe('DIV');
    expect(card.queryAllByRole('button')).toEqual([]);
  });

  it('shows an expired card with its reason and no buttons', () => {
    const { card } = renderCard([bash], { expired: EXPIRED_TEXT.restarted });
    expect(card.getByRole('note').textContent).toBe('Expired: Corral was restarted before you answered');
    expect(card.queryAllByRole('button')).toEqual([]);
    expect(card.queryByRole('textbox')).toBeNull();
  });
});

describe('permissionExpiry', () => {
  it('is open while the turn runs, and names the restart, a stop or the end of the turn otherwise', () => {
    expect(permissionExpiry({ active: true, reason: null })).toBeUndefined();
    expect(permissionExpiry({ active: false, reason: 'interrupted' })).toBe(EXPIRED_TEXT.restarted);
    expect(permissionExpiry({ active: false, reason: 'stopped' })).toBe(EXPIRED_TEXT.stopped);
    expect(permissionExpiry({ active: false, reason: 'completed' })).toBe(EXPIRED_TEXT.ended);
  });
});

describe('AgentPane: permission cards', () => {
  const project: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };

  it('shows a card left open by the last run as expired after a relaunch, not lost', async () => {
    const t = createTestStores();
    t.rpc.handle('session.load', () => ({ session: record({ status: 'interrupted', reason: 'interrupted' }), messages: [wire(0, bash)], more: false }));
    render(AgentPane, { props: { project }, context: t.context });
    await t.stores.sessions.loadLastSession('p1');
    flushSync();
    const card = within(screen.getByRole('group', { name: 'Permission request' }));
    expect(card.getByText('touch x.txt').tagName).toBe('CODE');
    expect(card.getByRole('note').textContent).toBe(EXPIRED_TEXT.restarted);
    expect(card.queryAllByRole('button')).toEqual([]);
  });

  it('answers a live card through agent.permission with the message, and says in the header when nothing is asked', async () => {
    const t = createTestStores();
    t.rpc.handle('session.load', () => ({
      session: record({ status: 'running' }),
      messages: [wire(0, { type: 'init', providerSessionId: 'c-1', approvals: { policy: 'ask' } }), wire(1, bash)],
      more: false,
    }));
    t.rpc.handle('agent.permission', () => ({ ok: true }));
    render(AgentPane, { props: { project }, context: t.context });
    await t.stores.sessions.loadLastSession('p1');
    flushSync();
    const pane = within(screen.getByRole('region', { name: 'alpha' }));
    expect(pane.queryByRole('note', { name: 'Approvals' })).toBeNull();
    const card = within(pane.getByRole('group', { name: 'Permission request' }));
    await fireEvent.input(card.getByRole('textbox'), { target: { value: 'Not now' } });
    await fireEvent.click(card.getByRole('button', { name: 'Deny' }));
    expect(t.rpc.callsOf('agent.permission')).toEqual([{ sessionId: 'old', requestId: 'perm-1', optionId: 'deny', message: 'Not now' }]);

    t.rpc.emit('agent.message', { sessionId: 'old', messages: [wire(2, { type: 'init', providerSessionId: 'c-1', approvals: { policy: 'bypass' } })] });
    flushSync();
    expect(pane.getByRole('note', { name: 'Approvals' }).textContent?.trim()).toBe('Permissions bypassed: Claude Code asks nothing');
  });
});
