import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Project, SessionRecord } from './shared/records';
import App from './App.svelte';
import { createFakeClock } from './shared/clock';
import { createOsNotifier } from './lib/stores/os-notifications.svelte';
import { createFakeConnection } from './lib/testing/fake-connection';
import { createFakeRpc } from './lib/testing/fake-rpc';
import { settle } from './lib/testing/settle';
import { userText } from './lib/testing/wire';

const alpha: Project = { id: 'p1', name: 'alpha', path: '/work/alpha', createdAt: 1 };
const beta: Project = { id: 'p2', name: 'beta', path: '/work/beta', createdAt: 2 };
const record: SessionRecord = {
  id: 'old', projectId: 'p2', provider: 'claude', status: 'done', reason: 'completed', error: null, providerSessionId: 'x',
  model: null, costUsd: 0.0123, inputTokens: 5, outputTokens: 7, createdAt: 1, updatedAt: 2,
};

/** The shown pane of a project: a visible region named for it, headed with its name. */
function expectShownPane(name: string): HTMLElement {
  const pane = screen.getByRole('region', { name });
  expect(pane).toBeInstanceOf(HTMLElement);
  expect(pane.hidden).toBe(false);
  expect(within(pane).getByRole('heading', { level: 2 }).textContent?.trim()).toBe(name);
  return pane;
}

async function boot(projects: Project[] = [alpha, beta]) {
  const rpc = createFakeRpc({
    'projects.list': () => projects,
    'session.load': ({ projectId }) => (projectId === 'p2' ? { session: record, messages: [userText(0, 'restored prompt')], more: false } : { session: null }),
  });
  const conn = createFakeConnection();
  render(App, { props: { rpc: rpc.client, connection: conn.connection, clock: createFakeClock() } });
  await settle();
  flushSync();
  return { rpc, conn };
}

describe('App', () => {
  it('lists projects, restores each last session, and shows the selected pane', async () => {
    const { rpc } = await boot();
    const nav = screen.getByRole('navigation', { name: 'Projects' });
    expect(within(nav).getAllByRole('button').map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim())).toEqual(['alpha', 'Remove project alpha', 'beta', 'Remove project beta']);
    expect(rpc.callsOf('session.load').map((c) => c.projectId).sort()).toEqual(['p1', 'p2']);

    expectShownPane('alpha');
    expect(screen.queryByRole('region', { name: 'beta' })).toBeNull();

    await fireEvent.click(within(nav).getByRole('button', { name: 'beta' }));
    const pane = screen.getByRole('region', { name: 'beta' });
    expect(screen.queryByRole('region', { name: 'alpha' })).toBeNull();
    expect(within(pane).getByRole('log', { name: 'Messages' }).textContent).toContain('restored prompt');
    expect(within(pane).getByLabelText('Cost').textContent).toBe('$0.0123');
    expect(within(pane).getByRole('status', { name: 'Session status' }).textContent).toContain('done');
  });

  it('keeps a hidden pane streaming', async () => {
    const { rpc } = await boot();
    const nav = screen.getByRole('navigation', { name: 'Projects' });
    const alphaPane = screen.getByRole('region', { name: 'alpha' });
    await fireEvent.input(within(alphaPane).getByRole('textbox', { name: 'Prompt' }), { target: { value: 'go' } });
    await fireEvent.click(within(alphaPane).getByRole('button', { name: 'Send' }));
    await settle();
    await fireEvent.click(within(nav).getByRole('button', { name: 'beta' }));
    rpc.emit('agent.message', { sessionId: 's1', messages: [userText(0, 'while hidden')] });
    flushSync();
    await fireEvent.click(within(nav).getByRole('button', { name: 'alpha' }));
    // Rows are drawn on the next animation frame.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    flushSync();
    expect(within(screen.getByRole('region', { name: 'alpha' })).getByRole('log', { name: 'Messages' }).textContent).toContain('while hidden');
  });

  it('adds a project through the form and shows its pane', async () => {
    const { rpc } = await boot([]);
    rpc.handle('projects.add', ({ path }) => ({ id: 'p3', name: 'gamma', path, createdAt: 3 }));
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Project path' }), { target: { value: '/work/gamma' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await settle();
    flushSync();
    expect(rpc.callsOf('projects.add')).toEqual([{ path: '/work/gamma' }]);
    const nav = screen.getByRole('navigation', { name: 'Projects' });
    expect(within(nav).getAllByRole('button').map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim())).toEqual(['gamma', 'Remove project gamma']);
    expectShownPane('gamma');
    expect(screen.queryByRole('textbox', { name: 'Project path' })).toBeNull();
  });

  it('shows the error of a refused project as an alert and keeps the form open', async () => {
    const { rpc } = await boot([]);
    rpc.handle('projects.add', () => Promise.reject(new Error('Not a directory: /etc/passwd')));
    await fireEvent.click(screen.getByRole('button', { name: 'Add project' }));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Project path' }), { target: { value: '/etc/passwd' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await settle();
    flushSync();
    expect(screen.getByRole('alert').textContent).toContain('Not a directory: /etc/passwd');
    expect((screen.getByRole('textbox', { name: 'Project path' }) as HTMLInputElement).value).toBe('/etc/passwd');
  });

  it('shows toasts in the Notifications region: status for success, alert for errors, dismissable', async () => {
    const { rpc } = await boot();
    const pane = screen.getByRole('region', { name: 'alpha' });
    await fireEvent.input(within(pane).getByRole('textbox', { name: 'Prompt' }), { target: { value: 'go' } });
    await fireEvent.click(within(pane).getByRole('button', { name: 'Send' }));
    await settle();
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    rpc.emit('agent.status', { sessionId: 's1', status: 'error', error: 'model returned 500' });
    flushSync();
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(within(region).getByRole('status').textContent).toContain('Agent completed on alpha');
    const alert = within(region).getByRole('alert');
    expect(alert.textContent).toContain('Agent error on alpha: model returned 500');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(within(region).queryByRole('alert')).toBeNull();
  });

  it('shows a Disconnected banner while the link is down, and boots once it is back', async () => {
    const rpc = createFakeRpc({ 'projects.list': () => Promise.reject(new Error('Disconnected from Corral')) });
    const conn = createFakeConnection('connecting');
    render(App, { props: { rpc: rpc.client, connection: conn.connection, clock: createFakeClock() } });
    await settle();
    conn.set('reconnecting');
    flushSync();
    const banner = () => screen.queryAllByRole('alert').filter((el) => el.textContent?.includes('Lost the connection to Corral'));
    expect(banner()).toHaveLength(1);
    rpc.handle('projects.list', () => [alpha]);
    conn.set('open');
    await settle();
    flushSync();
    expect(banner()).toHaveLength(0);
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    expectShownPane('alpha');
  });
  it('opens Settings from the sidebar in place of the panes; picking a project goes back', async () => {
    const { rpc } = await boot();
    expect(rpc.callsOf('settings.getAll')).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    // Settings is a chunk of its own, loaded when it first opens.
    const settingsView = await screen.findByRole('region', { name: 'Settings' });
    expect(settingsView).toBeInstanceOf(HTMLElement);
    expect(within(settingsView).getByRole('button', { name: 'Save' }).getAttribute('type')).toBe('submit');
    expect(screen.queryByRole('region', { name: 'alpha' })).toBeNull();
    await fireEvent.click(within(screen.getByRole('navigation', { name: 'Projects' })).getByRole('button', { name: 'alpha' }));
    expect(screen.queryByRole('region', { name: 'Settings' })).toBeNull();
    expectShownPane('alpha');
  });

  it('raises an OS notification through the host (app.notify) when the window is not focused', async () => {
    const rpc = createFakeRpc({ 'projects.list': () => [alpha], 'app.notify': () => ({ ok: true }) });
    const osNotifier = createOsNotifier({ isFocused: () => false, host: (n) => rpc.client.request('app.notify', n) });
    render(App, { props: { rpc: rpc.client, connection: createFakeConnection().connection, clock: createFakeClock(), osNotifier } });
    await settle();
    flushSync();
    const pane = screen.getByRole('region', { name: 'alpha' });
    await fireEvent.input(within(pane).getByRole('textbox', { name: 'Prompt' }), { target: { value: 'go' } });
    await fireEvent.click(within(pane).getByRole('button', { name: 'Send' }));
    await settle();
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    await settle();
    expect(rpc.callsOf('app.notify')).toEqual([{ title: 'Corral', body: 'Agent completed on alpha' }]);
  });
});
