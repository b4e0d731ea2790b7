import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../shared/events';
import type { SessionSnapshot } from '../../shared/rpc/session';
import { deferred } from '../testing/fake-rpc';
import { record, started } from '../testing/session-store-harness';
import { settle } from '../testing/settle';
import { assistantText, userText, wire } from '../testing/wire';

type SyncAnswer = { bootId: string; sessions: SessionSnapshot[] };
const snapshot = (messages: WireMessage[], over: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  sessionId: 's1', record: record({ id: 's1', status: 'running', costUsd: 0.02, inputTokens: 50, outputTokens: 7, updatedAt: 99 }), messages, openPermissionIds: [], ...over,
});
const texts = (s: { messages: readonly { text: string }[] }) => s.messages.map((m) => m.text);

describe('session store: resync by seqId', () => {
  it('on reconnect asks once for every session after the last seqId it holds, and applies messages, status, cost and open permissions', async () => {
    const { s, push, rpc, store } = await started();
    push(userText(0, 'prompt'), assistantText(1, 'first'));
    rpc.handle('session.sync', () => ({ bootId: 'boot-1', sessions: [snapshot([
      assistantText(1, 'first'),
      wire(2, { type: 'tool_call', id: 'c1', name: 'Bash', input: {}, command: 'ls' }),
      wire(3, { type: 'permission_request', id: 'perm', title: 'Run ls?', options: [] }),
    ], { openPermissionIds: ['perm'] })] }));
    await store.resync();
    expect(rpc.callsOf('session.sync')).toEqual([{ sessions: [{ sessionId: 's1', afterSeqId: 1 }] }]);
    expect(texts(s)).toEqual(['prompt', 'first', '', 'Permission requested: Run ls?']);
    expect([s.status, s.costUsd, s.inputTokens, s.outputTokens, s.updatedAt]).toEqual(['running', 0.02, 50, 7, 99]);
    expect([...s.pendingInput]).toEqual([['perm', 'Run ls?']]);
    expect(s.activeTool).toBe('Bash');
  });

  it('takes the end of a turn it missed: done, and no permission left open', async () => {
    const { s, push, rpc, store, toasts } = await started();
    rpc.emit('agent.status', { sessionId: 's1', status: 'running' });
    push(userText(0, 'prompt'), wire(1, { type: 'permission_request', id: 'perm', title: 'Write?', options: [] }));
    expect(s.needsInput).toBe(true);
    rpc.handle('session.sync', () => ({ bootId: 'boot-1', sessions: [snapshot([assistantText(2, 'answer')], { record: record({ id: 's1', status: 'done', reason: 'completed' }) })] }));
    await store.resync();
    expect([s.status, s.reason, s.needsInput, texts(s).at(-1)]).toEqual(['done', 'completed', false, 'answer']);
    expect(toasts).toContainEqual({ kind: 'success', message: 'Agent completed on alpha' });
  });

  it('fills a gap in agent.message with the same request, and shows every message once, in order', async () => {
    const { s, push, rpc } = await started();
    const answer = deferred<SyncAnswer>();
    rpc.handle('session.sync', () => answer.promise);
    push(userText(0, 'prompt'));
    push(assistantText(3, 'd'), assistantText(4, 'e'));
    expect(texts(s)).toEqual(['prompt']);
    expect(rpc.callsOf('session.sync')).toEqual([{ sessions: [{ sessionId: 's1', afterSeqId: 0 }] }]);
    // Another gap while the fill is on its way: no second request yet.
    push(assistantText(6, 'g'));
    expect(rpc.callsOf('session.sync')).toHaveLength(1);
    answer.resolve({ bootId: 'boot-1', sessions: [snapshot([assistantText(1, 'b'), assistantText(2, 'c'), assistantText(3, 'd'), assistantText(4, 'e'), assistantText(5, 'f')])] });
    await settle();
    expect(texts(s)).toEqual(['prompt', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(s.transcript.heldCount).toBe(0);
    // The gap seen meanwhile is asked for once more, from where the pane now is.
    expect(rpc.callsOf('session.sync').map((c) => c.sessions)).toEqual([[{ sessionId: 's1', afterSeqId: 0 }], [{ sessionId: 's1', afterSeqId: 6 }]]);
  });

  it('keeps a status and a cost that arrived live while the answer was on its way', async () => {
    const { s, push, rpc, store } = await started();
    push(userText(0, 'prompt'));
    const answer = deferred<SyncAnswer>();
    rpc.handle('session.sync', () => answer.promise);
    const resyncing = store.resync();
    rpc.emit('agent.status', { sessionId: 's1', status: 'done', reason: 'completed' });
    rpc.emit('agent.cost', { sessionId: 's1', costUsd: 0.5, inputTokens: 900, outputTokens: 90 });
    answer.resolve({ bootId: 'boot-1', sessions: [snapshot([])] });
    await resyncing;
    expect([s.status, s.costUsd, s.inputTokens]).toEqual(['done', 0.5, 900]);
  });

  it('drops a session the main process no longer has', async () => {
    const { store, rpc } = await started();
    rpc.handle('session.sync', () => ({ bootId: 'boot-1', sessions: [{ sessionId: 's1', record: null, messages: [], openPermissionIds: [] }] }));
    await store.resync();
    expect(store.get('s1')).toBeUndefined();
    expect(store.current('p1')).toBeUndefined();
  });

  it('reloads a session whole when the main process restarted (a new bootId): reused seqIds are not taken for seen ones', async () => {
    const { s, push, rpc, store } = await started();
    rpc.handle('session.sync', () => ({ bootId: 'boot-1', sessions: [] }));
    await store.resync();
    push(userText(0, 'prompt'), assistantText(1, 'lost in the crash'));
    rpc.handle('session.sync', (p) => ({
      bootId: 'boot-2',
      sessions: [snapshot(p.sessions[0].afterSeqId === -1 ? [userText(0, 'prompt'), assistantText(1, 'written after the restart')] : [], { record: record({ id: 's1', status: 'interrupted' }) })],
    }));
    await store.resync();
    expect(rpc.callsOf('session.sync').map((c) => c.sessions[0]?.afterSeqId)).toEqual([-1, 1, -1]);
    expect(texts(s)).toEqual(['prompt', 'written after the restart']);
    expect(s.status).toBe('interrupted');
  });

  it('changes nothing in a pane that is already current: an answer of duplicates is dropped', async () => {
    const { push, rpc, store, s } = await started();
    push(userText(0, 'a'), assistantText(1, 'b'));
    const version = s.version;
    rpc.handle('session.sync', () => ({ bootId: 'boot-1', sessions: [snapshot([userText(0, 'a'), assistantText(1, 'b')])] }));
    await store.resync();
    expect(texts(s)).toEqual(['a', 'b']);
    expect(s.version).toBe(version);
  });
});
