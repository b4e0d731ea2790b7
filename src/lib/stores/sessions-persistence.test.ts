import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../shared/events';
import type { SessionRecord } from '../../shared/records';
import { deferred } from '../testing/fake-rpc';
import { record, setup, started } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText } from '../testing/wire';

describe('session store: debounced "persist through seqId" requests', () => {
  const persisted = (rpc: Awaited<ReturnType<typeof started>>['rpc']) => rpc.callsOf('session.persist').map((c) => c.throughSeqId);

  it('asks at most once per debounce window, naming only the newest seqId the pane holds, never a body', async () => {
    const { push, clock, rpc } = await started();
    push(userText(0, 'a'));
    clock.advance(1000);
    push(assistantText(1, 'b'));
    clock.advance(999);
    await settle();
    expect(persisted(rpc)).toEqual([]);
    clock.advance(1);
    await settle();
    expect(rpc.callsOf('session.persist')).toEqual([{ sessionId: 's1', throughSeqId: 1 }]);
    push(assistantText(2, 'c'));
    clock.advance(1999);
    await settle();
    expect(persisted(rpc)).toEqual([1]);
    clock.advance(1);
    await settle();
    expect(persisted(rpc)).toEqual([1, 2]);
  });

  it('takes the debounce window from settings', async () => {
    const { push, clock, rpc } = await started({ debounceMs: 300 });
    push(userText(0, 'a'));
    clock.advance(300);
    await settle();
    expect(persisted(rpc)).toEqual([0]);
  });

  it('names only the contiguous seqId: messages held behind a gap are not persisted through', async () => {
    const { push, clock, rpc } = await started();
    rpc.handle('session.sync', () => new Promise(() => {}));
    push(userText(0, 'a'), assistantText(3, 'after a gap'));
    clock.advance(2000);
    await settle();
    expect(persisted(rpc)).toEqual([0]);
  });

  it('captures the seqId before the request: what arrives during it is asked for next', async () => {
    const { push, clock, rpc, s } = await started();
    const first = deferred<{ ok: boolean; savedThroughSeqId: number }>();
    rpc.handle('session.persist', () => first.promise);
    push(userText(0, 'a'), assistantText(1, 'b'));
    clock.advance(2000);
    push(assistantText(2, 'arrived during the request'));
    first.resolve({ ok: true, savedThroughSeqId: 1 });
    await settle();
    expect(s.saver!.savedThroughSeqId).toBe(1);
    expect(s.saver!.notedThroughSeqId).toBe(2);
    rpc.handle('session.persist', (p) => ({ ok: true, savedThroughSeqId: p.throughSeqId }));
    clock.advance(2000);
    await settle();
    expect(persisted(rpc)).toEqual([1, 2]);
    expect(s.saver!.savedThroughSeqId).toBe(2);
  });

  it('retries a failed request with a growing wait, warning once, and moves the watermark only on success', async () => {
    const { push, clock, rpc, s, toasts } = await started();
    let fail = true;
    rpc.handle('session.persist', (p) => (fail ? Promise.reject(new Error('disk full')) : { ok: true, savedThroughSeqId: p.throughSeqId }));
    push(userText(0, 'a'), assistantText(1, 'b'));
    clock.advance(2000);
    await settle();
    expect(s.saver!.savedThroughSeqId).toBe(-1);
    expect(toasts.filter((t) => t.kind === 'warning')).toHaveLength(1);
    clock.advance(2000); // retry, fails again: no second warning
    await settle();
    expect(toasts.filter((t) => t.kind === 'warning')).toHaveLength(1);
    fail = false;
    push(assistantText(2, 'c'));
    clock.advance(3999); // backoff doubled
    await settle();
    expect(persisted(rpc)).toEqual([1, 1]);
    clock.advance(1);
    await settle();
    expect(persisted(rpc)).toEqual([1, 1, 2]);
    expect(s.saver!.savedThroughSeqId).toBe(2);
  });

  it('treats ok:false from the main process as a failed request', async () => {
    const { push, clock, rpc, s } = await started();
    rpc.handle('session.persist', () => ({ ok: false, savedThroughSeqId: -1 }));
    push(userText(0, 'a'));
    clock.advance(2000);
    await settle();
    expect(s.saver!.savedThroughSeqId).toBe(-1);
  });

  it('leaves a finished turn to the main process: no extra request on done or error', async () => {
    const { push, rpc } = await started();
    push(userText(0, 'a'), assistantText(1, 'b'));
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    rpc.emit('agent.status', { sessionId: 's1', status: 'error', error: 'x' });
    await settle();
    expect(persisted(rpc)).toEqual([]);
  });

  it('flushAll asks at once, and a flush during a request asks for the rest right after it', async () => {
    const { push, clock, rpc, store, s } = await started();
    const first = deferred<{ ok: boolean; savedThroughSeqId: number }>();
    rpc.handle('session.persist', () => first.promise);
    push(userText(0, 'a'));
    clock.advance(2000);
    push(assistantText(1, 'b'));
    rpc.handle('session.persist', (p) => ({ ok: true, savedThroughSeqId: p.throughSeqId }));
    const flushed = store.flushAll();
    first.resolve({ ok: true, savedThroughSeqId: 0 });
    await flushed;
    expect(persisted(rpc)).toEqual([0, 1]);
    expect(s.saver!.savedThroughSeqId).toBe(1);
  });
});

describe('session store: restore at boot', () => {
  it('rebuilds the last session in seqId order, each seqId once, and resumes the watermark', async () => {
    const { rpc, store, clock } = setup();
    rpc.handle('session.load', ({ projectId }) =>
      projectId === 'p1'
        ? { session: record(), messages: [assistantText(2, 'third'), userText(0, 'first'), assistantText(1, 'second'), userText(0, 'first')], more: false }
        : { session: null },
    );
    await store.loadLastSession('p1');
    const s = store.current('p1')!;
    expect(s.id).toBe('old');
    expect(s.messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect([s.status, s.costUsd, s.inputTokens]).toEqual(['done', 0.5, 10]);
    rpc.emit('agent.message', { sessionId: 'old', messages: [assistantText(2, 'third'), assistantText(3, 'fourth')] });
    expect(s.messages.map((m) => m.text)).toEqual(['first', 'second', 'third', 'fourth']);
    clock.advance(2000);
    await settle();
    expect(rpc.callsOf('session.persist')).toEqual([{ sessionId: 'old', throughSeqId: 3 }]);
  });

  it('trusts the stored status: a running record is live, and live events that came before it apply once it is restored', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.load', () => ({ session: record({ status: 'running' }) }));
    // A live event may reach the page before the restore lands.
    rpc.emit('agent.message', { sessionId: 'old', messages: [assistantText(0, 'still going')] });
    await store.loadLastSession('p1');
    const s = store.current('p1')!;
    expect(s.status).toBe('running');
    expect(s.active).toBe(true);
    expect(s.messages.map((m) => m.text)).toEqual(['still going']);
    rpc.emit('agent.status', { sessionId: 'old', projectId: 'p1', status: 'done' });
    expect(s.status).toBe('done');
  });

  it('restores an interrupted session as interrupted; the next prompt continues it through agent.prompt (provider resume)', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.load', () => ({ session: record({ status: 'interrupted', reason: 'interrupted' }) }));
    await store.loadLastSession('p1');
    const s = store.current('p1')!;
    expect([s.status, s.reason]).toEqual(['interrupted', 'interrupted']);
    expect(store.mapped('p1')).toBe(s);
    expect(await store.send('p1', 'go on', 'claude')).toBe(true);
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 'old', prompt: 'go on' }]);
    expect(rpc.callsOf('agent.start')).toHaveLength(0);
    expect(s.status).toBe('starting');
  });

  it('restores a done session as its messages only: shown, not mapped, and a prompt still continues it', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.load', () => ({ session: record({ status: 'done' }), messages: [userText(1, 'old prompt')], more: false }));
    await store.loadLastSession('p1');
    expect(store.current('p1')?.id).toBe('old');
    expect(store.mapped('p1')).toBeUndefined();
    await store.send('p1', 'more', 'claude');
    expect(rpc.callsOf('agent.prompt')).toEqual([{ sessionId: 'old', prompt: 'more' }]);
    expect(store.mapped('p1')?.id).toBe('old');
  });

  it('takes in a session another window started, from its status naming the project', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.list', () => ({ sessions: [record({ id: 'other', status: 'running' })] }));
    rpc.handle('session.messages.load', () => ({ messages: [userText(0, 'typed in the other window')], more: false }));
    rpc.emit('agent.status', { sessionId: 'other', projectId: 'p1', status: 'running' });
    rpc.emit('agent.message', { sessionId: 'other', messages: [assistantText(1, 'live answer')] });
    await settle();
    const s = store.current('p1')!;
    expect([s.id, s.status, store.mapped('p1')]).toEqual(['other', 'running', s]);
    expect(s.messages.map((m) => m.text)).toEqual(['typed in the other window', 'live answer']);
    expect(rpc.callsOf('session.list')).toEqual([{ projectId: 'p1' }]);
  });

  it('does not take in another session while its own start is in flight, or over a running pane', async () => {
    const { rpc, store } = setup();
    const answer = deferred<{ ok: true; sessionId: string }>();
    rpc.handle('agent.start', () => answer.promise);
    const sending = store.send('p1', 'mine', 'claude');
    rpc.emit('agent.status', { sessionId: 's1', projectId: 'p1', status: 'starting' });
    answer.resolve({ ok: true, sessionId: 's1' });
    await sending;
    rpc.emit('agent.status', { sessionId: 's1', projectId: 'p1', status: 'running' });
    rpc.emit('agent.status', { sessionId: 'intruder', projectId: 'p1', status: 'running' });
    await settle();
    expect(rpc.callsOf('session.list')).toEqual([]);
    expect(store.current('p1')?.id).toBe('s1');
  });

  it('forgets a removed project: no current session, no more persist requests', async () => {
    const { store, push, clock, rpc } = await started();
    push(userText(0, 'a'));
    store.forgetProject('p1');
    clock.advance(10_000);
    await settle();
    expect(store.current('p1')).toBeUndefined();
    expect(store.get('s1')).toBeUndefined();
    expect(rpc.callsOf('session.persist')).toHaveLength(0);
  });

  it('never replaces a starting or running session', async () => {
    const { rpc, store, s } = await started();
    rpc.handle('session.load', () => ({ session: record() }));
    await store.loadLastSession('p1');
    expect(store.current('p1')).toBe(s);
    expect(rpc.callsOf('session.load')).toHaveLength(0);
  });

  it('keeps a session started while the restore was loading', async () => {
    const { rpc, store } = setup();
    const load = deferred<{ session: SessionRecord; messages: WireMessage[]; more: boolean }>();
    rpc.handle('session.load', () => load.promise);
    const restoring = store.loadLastSession('p1');
    await settle();
    await store.send('p1', 'new', 'claude');
    load.resolve({ session: record(), messages: [userText(0, 'old')], more: false });
    await restoring;
    expect(store.current('p1')?.id).toBe('s1');
  });

  it('warns when the restore fails', async () => {
    const { rpc, store, toasts } = setup();
    rpc.handle('session.load', () => Promise.reject(new Error('db locked')));
    await store.loadLastSession('p2');
    expect(toasts).toEqual([{ kind: 'warning', message: 'Could not restore the last session of beta: db locked' }]);
  });
});
