import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../shared/events';
import { deferred } from '../testing/fake-rpc';
import { record, setup, started } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText } from '../testing/wire';

describe('session store: debounced persistence by seqId', () => {
  it('saves new messages at most once per debounce window', async () => {
    const { push, clock, rpc } = await started();
    const saves = () => rpc.callsOf('session.messages.save').map((c) => c.messages.map((m) => m.seqId));
    push(userText(1, 'a'));
    clock.advance(1000);
    push(assistantText(2, 'b'));
    clock.advance(999);
    await settle();
    expect(saves()).toEqual([]);
    clock.advance(1);
    await settle();
    expect(saves()).toEqual([[1, 2]]);
    push(assistantText(3, 'c'));
    clock.advance(1999);
    await settle();
    expect(saves()).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(saves()).toEqual([[1, 2], [3]]);
    expect(rpc.callsOf('session.messages.save')[0].sessionId).toBe('s1');
  });

  it('takes the debounce window from settings', async () => {
    const { push, clock, rpc } = await started({ debounceMs: 300 });
    push(userText(1, 'a'));
    clock.advance(300);
    await settle();
    expect(rpc.callsOf('session.messages.save')).toHaveLength(1);
  });

  it('captures the batch before the save: messages arriving during it wait for the next one', async () => {
    const { push, clock, rpc, s } = await started();
    const first = deferred<{ ok: boolean; savedThroughSeqId: number }>();
    rpc.handle('session.messages.save', () => first.promise);
    push(userText(1, 'a'), assistantText(2, 'b'));
    clock.advance(2000);
    push(assistantText(3, 'arrived during the save'));
    first.resolve({ ok: true, savedThroughSeqId: 2 });
    await settle();
    expect(s.saver!.savedThroughSeqId).toBe(2);
    expect(s.saver!.pending.map((m) => m.seqId)).toEqual([3]);
    rpc.handle('session.messages.save', () => ({ ok: true, savedThroughSeqId: 3 }));
    clock.advance(2000);
    await settle();
    expect(rpc.callsOf('session.messages.save').map((c) => c.messages.map((m) => m.seqId))).toEqual([[1, 2], [3]]);
    expect(s.saver!.savedThroughSeqId).toBe(3);
  });

  it('retries a failed save with the same messages and moves the watermark only on success', async () => {
    const { push, clock, rpc, s, toasts } = await started();
    let fail = true;
    rpc.handle('session.messages.save', (p) => {
      if (fail) return Promise.reject(new Error('disk full'));
      return { ok: true, savedThroughSeqId: p.messages.at(-1)!.seqId };
    });
    push(userText(1, 'a'), assistantText(2, 'b'));
    clock.advance(2000);
    await settle();
    expect(s.saver!.savedThroughSeqId).toBe(-1);
    expect(toasts.filter((t) => t.kind === 'warning')).toHaveLength(1);
    clock.advance(2000); // retry, fails again: no second warning
    await settle();
    expect(toasts.filter((t) => t.kind === 'warning')).toHaveLength(1);
    fail = false;
    push(assistantText(3, 'c'));
    clock.advance(4000); // backoff doubled
    await settle();
    const batches = rpc.callsOf('session.messages.save').map((c) => c.messages.map((m) => m.seqId));
    expect(batches).toEqual([[1, 2], [1, 2], [1, 2, 3]]);
    expect(s.saver!.savedThroughSeqId).toBe(3);
    expect(s.saver!.pending).toHaveLength(0);
  });

  it('treats ok:false from the main process as a failed save', async () => {
    const { push, clock, rpc, s } = await started();
    rpc.handle('session.messages.save', () => ({ ok: false, savedThroughSeqId: -1 }));
    push(userText(1, 'a'));
    clock.advance(2000);
    await settle();
    expect(s.saver!.savedThroughSeqId).toBe(-1);
    expect(s.saver!.pending).toHaveLength(1);
  });

  it('flushes at once on done and on error, without waiting for the window', async () => {
    const { push, rpc, s } = await started();
    push(userText(1, 'a'), assistantText(2, 'b'));
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    await settle();
    expect(rpc.callsOf('session.messages.save').map((c) => c.messages.map((m) => m.seqId))).toEqual([[1, 2]]);
    push(assistantText(3, 'c'));
    rpc.emit('agent.status', { sessionId: 's1', status: 'error', error: 'x' });
    await settle();
    expect(rpc.callsOf('session.messages.save')).toHaveLength(2);
    expect(s.saver!.savedThroughSeqId).toBe(3);
  });

  it('a flush during a save saves the rest right after it', async () => {
    const { push, clock, rpc, s } = await started();
    const first = deferred<{ ok: boolean; savedThroughSeqId: number }>();
    rpc.handle('session.messages.save', () => first.promise);
    push(userText(1, 'a'));
    clock.advance(2000);
    push(assistantText(2, 'b'));
    rpc.handle('session.messages.save', () => ({ ok: true, savedThroughSeqId: 2 }));
    rpc.emit('agent.status', { sessionId: 's1', status: 'done' });
    first.resolve({ ok: true, savedThroughSeqId: 1 });
    await settle();
    expect(rpc.callsOf('session.messages.save').map((c) => c.messages.map((m) => m.seqId))).toEqual([[1], [2]]);
    expect(s.saver!.savedThroughSeqId).toBe(2);
  });
});

describe('session store: restore at boot', () => {
  it('rebuilds the last session in seqId order, each seqId once, and resumes the watermark', async () => {
    const { rpc, store, clock } = setup();
    rpc.handle('session.load', ({ projectId }) => ({ session: projectId === 'p1' ? record() : null }));
    rpc.handle('session.messages.load', () => ({
      messages: [assistantText(3, 'third'), userText(1, 'first'), assistantText(2, 'second'), userText(1, 'first')],
    }));
    await store.loadLastSession('p1');
    const s = store.current('p1')!;
    expect(s.id).toBe('old');
    expect(s.messages.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect([s.status, s.costUsd, s.inputTokens]).toEqual(['done', 0.5, 10]);
    rpc.emit('agent.message', { sessionId: 'old', messages: [assistantText(3, 'third'), assistantText(4, 'fourth')] });
    clock.advance(2000);
    await settle();
    expect(rpc.callsOf('session.messages.save').map((c) => c.messages.map((m) => m.seqId))).toEqual([[4]]);
    expect(rpc.callsOf('session.save')).toHaveLength(0);
  });

  it('trusts the stored status: a running record is live, and its replayed events apply once it is restored', async () => {
    const { rpc, store } = setup();
    rpc.handle('session.load', () => ({ session: record({ status: 'running' }) }));
    // The server replays live statuses and unacknowledged events on connect, possibly before the restore lands.
    rpc.emit('agent.message', { sessionId: 'old', messages: [assistantText(1, 'still going')] });
    await store.loadLastSession('p1');
    const s = store.current('p1')!;
    expect(s.status).toBe('running');
    expect(s.active).toBe(true);
    expect(s.messages.map((m) => m.text)).toEqual(['still going']);
    await settle();
    expect(rpc.callsOf('session.save')).toHaveLength(0);
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
    rpc.handle('session.load', () => ({ session: record({ status: 'done' }) }));
    rpc.handle('session.messages.load', () => ({ messages: [userText(1, 'old prompt')] }));
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
    rpc.handle('session.messages.load', () => ({ messages: [userText(1, 'typed in the other window')] }));
    rpc.emit('agent.status', { sessionId: 'other', projectId: 'p1', status: 'running' });
    rpc.emit('agent.message', { sessionId: 'other', messages: [assistantText(2, 'live answer')] });
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

  it('forgets a removed project: no current session, no more saves', async () => {
    const { store, push, clock, rpc } = await started();
    push(userText(1, 'a'));
    store.forgetProject('p1');
    clock.advance(10_000);
    await settle();
    expect(store.current('p1')).toBeUndefined();
    expect(store.get('s1')).toBeUndefined();
    expect(rpc.callsOf('session.messages.save')).toHaveLength(0);
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
    const load = deferred<{ messages: WireMessage[] }>();
    rpc.handle('session.load', () => ({ session: record() }));
    rpc.handle('session.messages.load', () => load.promise);
    const restoring = store.loadLastSession('p1');
    await settle();
    await store.send('p1', 'new', 'claude');
    load.resolve({ messages: [userText(1, 'old')] });
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
