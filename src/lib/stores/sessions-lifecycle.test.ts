import { describe, expect, it } from 'vitest';
import { deferred } from '../testing/fake-rpc';
import { setup, started } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText, wire } from '../testing/wire';
import { START_IN_PROGRESS } from './sessions.svelte';

const MIN = 60_000;
const stallToasts = (toasts: { message: string }[]) => toasts.filter((t) => t.message.startsWith('Agent stalled'));

describe('session store: stall timer', () => {
  it('warns "Agent stalled on <project> (no activity for N min)" after 15 quiet minutes by default', async () => {
    const { rpc, clock, toasts, s, store } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    clock.advance(15 * MIN - 1);
    expect(stallToasts(toasts)).toEqual([]);
    clock.advance(1);
    expect(stallToasts(toasts)).toEqual([{ kind: 'warning', key: 'stall:s1', message: 'Agent stalled on alpha (no activity for 15 min)' }]);
    expect(s.stalled).toBe(true);
    expect(store.health('p1', clock.now()).activity).toBe('stalled');
    clock.advance(60 * MIN);
    expect(stallToasts(toasts)).toHaveLength(1);
  });

  it('is reset by every message', async () => {
    const { rpc, clock, toasts, push, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    clock.advance(10 * MIN);
    push(userText(0, 'a'));
    clock.advance(10 * MIN);
    push(assistantText(1, 'b'));
    push(assistantText(1, 'b')); // a repeat is not activity
    clock.advance(15 * MIN - 1);
    expect(stallToasts(toasts)).toEqual([]);
    clock.advance(1);
    expect(stallToasts(toasts)).toHaveLength(1);
    push(assistantText(2, 'back'));
    expect(s.stalled).toBe(false);
  });

  it('takes the timeout from settings, and a change applies to running sessions without a restart', async () => {
    const { rpc, clock, toasts, settings, store } = await started({ settings: { stall_timeout_min: 2 } });
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    clock.advance(MIN);
    settings.stall_timeout_min = 1;
    store.settingsChanged();
    clock.advance(0);
    expect(stallToasts(toasts).map((t) => t.message)).toEqual(['Agent stalled on alpha (no activity for 1 min)']);
  });

  it.each([
    ['done', { status: 'done' as const }],
    ['error', { status: 'error' as const, error: 'boom' }],
    ['stopped', { status: 'done' as const, reason: 'stopped' as const }],
  ])('is cleared when the session ends (%s)', async (_name, status) => {
    const { rpc, clock, toasts, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    rpc.emit('agent.status', { sessionId: 's1', ...status });
    expect(s.timers.stall).toBeNull();
    clock.advance(60 * MIN);
    expect(stallToasts(toasts)).toEqual([]);
  });

  it('is cleared as soon as the user presses Stop', async () => {
    const { rpc, clock, toasts, store, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    const answer = deferred<{ ok: boolean }>();
    rpc.handle('agent.stop', () => answer.promise);
    const stopping = store.stop('p1');
    clock.advance(60 * MIN);
    expect(stallToasts(toasts)).toEqual([]);
    answer.resolve({ ok: true });
    await stopping;
    expect(s.timers.stall).toBeNull();
  });

  it('does not fire while a permission request waits: the session needs input, and header and toast say so', async () => {
    const { rpc, clock, toasts, push, store, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    push(wire(0, { type: 'permission_request', id: 'perm1', title: 'Write notes.txt', options: [{ optionId: 'allow', name: 'Allow', kind: 'allow_once' }] }));
    expect(toasts.at(-1)).toEqual({ kind: 'warning', key: 'input:s1', message: 'Agent needs input on alpha: Write notes.txt' });
    expect(store.health('p1', clock.now())).toMatchObject({ needsInput: true, activity: 'idle' });
    clock.advance(120 * MIN);
    expect(stallToasts(toasts)).toEqual([]);
    expect(await store.answerPermission('p1', 'perm1', 'allow')).toBe(true);
    expect(s.needsInput).toBe(false);
    clock.advance(15 * MIN);
    expect(stallToasts(toasts)).toHaveLength(1);
  });
});

describe('session store: follow-up turns', () => {
  it.each(['done', 'error'] as const)('shows a %s session as running again on a follow-up, with Stop available', async (end) => {
    const { rpc, store, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    rpc.emit('agent.status', { sessionId: 's1', status: end, ...(end === 'error' ? { error: 'x' } : {}) });
    expect(s.active).toBe(false);
    await store.send('p1', 'again', 'claude');
    expect(s.active).toBe(true);
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    expect([s.status, s.error, s.active]).toEqual(['running', null, true]);
    expect(rpc.callsOf('agent.start')).toHaveLength(1);
  });
});

describe('session store: grace-period cleanup', () => {
  it('unmaps the project 60 s after done; the session and its messages stay, and stay on screen', async () => {
    const { rpc, clock, store, push, s } = await started();
    push(userText(0, 'hello'), assistantText(1, 'hi'));
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    clock.advance(59_999);
    expect(store.mapped('p1')).toBe(s);
    clock.advance(1);
    expect(store.mapped('p1')).toBeUndefined();
    expect(store.get('s1')).toBe(s);
    expect(store.current('p1')).toBe(s);
    expect(s.messages.map((m) => m.text)).toEqual(['hello', 'hi']);
    expect(store.health('p1', clock.now()).activity).toBe('inactive');
  });

  it('unmaps after error too, but not a session that runs again before the grace ends', async () => {
    const { rpc, clock, store, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'error', error: 'boom' });
    clock.advance(30_000);
    await store.send('p1', 'retry', 'claude');
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    clock.advance(60_000);
    expect(store.mapped('p1')).toBe(s);
  });

  it('a new start on the project cancels the pending cleanup', async () => {
    const { rpc, clock, store, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    expect(s.timers.cleanup).not.toBeNull();
    expect(store.newSession('p1')).toBe(true);
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 's2' }));
    expect(await store.start('p1', 'fresh', 'claude')).toEqual({ ok: true, sessionId: 's2' });
    expect(s.timers.cleanup).toBeNull();
    clock.advance(60_000);
    expect(store.mapped('p1')?.id).toBe('s2');
  });
});

describe('session store: starting', () => {
  it('refuses a second start on a project while one is in flight', async () => {
    const { rpc, store } = setup();
    const answers = { p1: deferred<{ ok: true; sessionId: string }>(), p2: deferred<{ ok: true; sessionId: string }>() };
    rpc.handle('agent.start', ({ projectId }) => answers[projectId as 'p1' | 'p2'].promise);
    const first = store.start('p1', 'one', 'claude');
    expect(await store.start('p1', 'two', 'claude')).toEqual({ ok: false, error: START_IN_PROGRESS });
    expect(START_IN_PROGRESS).toBe('Session start already in progress');
    const other = store.start('p2', 'other project', 'claude');
    answers.p1.resolve({ ok: true, sessionId: 's1' });
    answers.p2.resolve({ ok: true, sessionId: 's2' });
    expect(await first).toEqual({ ok: true, sessionId: 's1' });
    expect(await other).toEqual({ ok: true, sessionId: 's2' });
    expect(rpc.callsOf('agent.start').map((c) => c.prompt)).toEqual(['one', 'other project']);
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 's3' }));
    expect(await store.start('p1', 'three', 'claude')).toEqual({ ok: true, sessionId: 's3' });
  });

  it('sends no options the user did not give: the main process fills them from settings', async () => {
    const { rpc, store } = setup({ settings: { permission_mode: 'plan', system_prompt_template: 'Be brief' } });
    await store.send('p1', 'hi', 'claude');
    expect(rpc.callsOf('agent.start')).toEqual([{ projectId: 'p1', provider: 'claude', prompt: 'hi' }]);
  });

  it('New session: the next prompt starts a fresh session, the previous one stays in memory', async () => {
    const { rpc, store, s } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    expect(store.newSession('p1')).toBe(false);
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    expect(store.newSession('p1')).toBe(true);
    expect(store.current('p1')).toBeUndefined();
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 's2' }));
    expect(await store.send('p1', 'fresh start', 'claude')).toBe(true);
    expect(rpc.callsOf('agent.prompt')).toEqual([]);
    expect(rpc.callsOf('agent.start').map((c) => c.prompt)).toEqual(['hello', 'fresh start']);
    expect(store.current('p1')?.id).toBe('s2');
    expect(store.get('s1')).toBe(s);
    await settle();
  });
});
