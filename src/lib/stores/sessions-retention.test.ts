import { describe, expect, it } from 'vitest';
import { setup } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText } from '../testing/wire';

const DAY = 24 * 60 * 60_000;

/** Starts `id` on p1 (through New session when the pane holds one) and returns it. */
async function startSession(ctx: ReturnType<typeof setup>, id: string) {
  ctx.rpc.handle('agent.start', () => ({ ok: true, sessionId: id }));
  ctx.store.newSession('p1');
  const res = await ctx.store.start('p1', `prompt ${id}`, 'claude');
  if (!res.ok) throw new Error(res.error);
  return ctx.store.get(id)!;
}

const finish = (ctx: ReturnType<typeof setup>, id: string) => ctx.rpc.emit('agent.status', { sessionId: id, projectId: 'p1', status: 'done' });

describe('session store: retention is the main process\'s, the store reflects session.purged', () => {
  it('never drops a session on its own, however many finish or however old they are', async () => {
    const ctx = setup({ settings: { retention_count: 1, retention_days: 1 } });
    for (const id of ['a', 'b', 'c']) {
      await startSession(ctx, id);
      finish(ctx, id);
      ctx.clock.advance(2 * DAY);
    }
    expect(['a', 'b', 'c'].map((id) => ctx.store.get(id)?.id ?? null)).toEqual(['a', 'b', 'c']);
  });

  it('applies session.purged from the main process: the sessions go, and with them every timer', async () => {
    const ctx = setup();
    const { rpc, clock, store } = ctx;
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 'done1' }));
    const done = (await store.start('p2', 'x', 'claude'), store.get('done1')!);
    rpc.emit('agent.status', { sessionId: 'done1', status: 'done' });
    expect(done.timers.cleanup).not.toBeNull();
    const live = await startSession(ctx, 'live1');
    rpc.emit('agent.status', { sessionId: 'live1', status: 'running' });
    rpc.emit('agent.message', { sessionId: 'live1', messages: [userText(0, 'unsaved')] });
    expect(live.timers.stall).not.toBeNull();
    expect(live.saver!.notedThroughSeqId).toBe(0);
    await settle();
    expect(clock.pending()).toBe(3); // cleanup of done1 (p2), stall and debounce of live1 (p1)

    rpc.emit('session.purged', { projectId: 'p1', sessionIds: ['live1', 'done1'] });
    expect(store.get('done1')).toBe(done); // another project's session is not this purge's to drop
    rpc.emit('session.purged', { projectId: 'p2', sessionIds: ['done1'] });
    expect(clock.pending()).toBe(0);
    expect([store.get('done1'), store.get('live1'), store.current('p1'), store.mapped('p1'), store.current('p2')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // Late events for a purged session neither resurrect it nor wait for it.
    rpc.emit('agent.message', { sessionId: 'live1', messages: [assistantText(1, 'late')] });
    rpc.handle('agent.start', () => ({ ok: true, sessionId: 'fresh' }));
    await store.start('p1', 'again', 'claude');
    expect(store.get('fresh')?.messages).toEqual([]);
    expect(store.get('live1')).toBeUndefined();
    clock.advance(60_000);
    await settle();
    expect(rpc.callsOf('session.persist').filter((c) => c.sessionId === 'live1')).toEqual([]);
  });

  it('purgeProjectSessions drops only that project, and forgetProject drops the pane too', async () => {
    const ctx = setup();
    await startSession(ctx, 's1');
    ctx.rpc.handle('agent.start', () => ({ ok: true, sessionId: 'b1' }));
    await ctx.store.start('p2', 'x', 'claude');
    ctx.store.purgeProjectSessions('p1');
    expect([ctx.store.get('s1'), ctx.store.get('b1')?.id]).toEqual([undefined, 'b1']);
    ctx.store.forgetProject('p2');
    expect([ctx.store.get('b1'), ctx.store.current('p2')]).toEqual([undefined, undefined]);
    expect(ctx.clock.pending()).toBe(0);
  });

  it('bumps the project history revision on start, completion and purge', async () => {
    const ctx = setup();
    const rev = () => ctx.store.historyRevision('p1');
    expect(rev()).toBe(0);
    await startSession(ctx, 's1');
    const afterStart = rev();
    expect(afterStart).toBeGreaterThan(0);
    finish(ctx, 's1');
    const afterDone = rev();
    expect(afterDone).toBeGreaterThan(afterStart);
    ctx.rpc.emit('session.purged', { projectId: 'p1', sessionIds: ['s1'] });
    expect(rev()).toBeGreaterThan(afterDone);
  });
});
