import { describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { createSocketFactory } from '../testing/fake-websocket';
import { createElectrobunRpcClient } from './electrobun-client';
import { createEventGuard } from './event-guard';
import { createWebSocketTransport } from './websocket-transport';

const good = { sessionId: 's1', messages: [{ seqId: 0, ts: 1, event: { type: 'text', id: 'u0', role: 'user', text: 'hi' } }] };

describe('incoming events are checked against the contract', () => {
  it('passes a valid event and drops, counts and logs a malformed one', () => {
    const lines: string[] = [];
    const guard = createEventGuard((l) => lines.push(l));
    // The bodies inside agent.message were validated by the main process: the envelope is checked, the payload passes as sent.
    expect(guard.check('agent.message', good)).toEqual({ ok: true, payload: good });
    expect(guard.check('agent.status', { sessionId: 's1', status: 'done' })).toMatchObject({ ok: true });
    expect(guard.check('agent.message', { sessionId: 's1', messages: [{ seqId: -1, ts: 1, event: { type: 'text' } }] })).toEqual({ ok: false });
    expect(guard.check('agent.status', { sessionId: 's1', status: 'exploded' })).toEqual({ ok: false });
    expect(guard.check('agent.cost', { sessionId: 's1', costUsd: 'free' })).toEqual({ ok: false });
    expect(guard.check('session.purged', { projectId: 'p1' })).toEqual({ ok: false });
    expect(guard.dropped).toEqual({ 'agent.message': 1, 'agent.status': 1, 'agent.cost': 1, 'session.purged': 1 });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('rpc: dropped a malformed agent.message event (1 so far): messages.0.seqId: expected a non-negative integer');
    for (const bad of [null, { messages: [] }, { sessionId: 's1' }, { sessionId: 's1', messages: [{ seqId: 1, ts: 'now', event: { type: 'text' } }] }, { sessionId: 's1', messages: [{ seqId: 1, ts: 1, event: {} }] }]) {
      expect(guard.check('agent.message', bad)).toEqual({ ok: false });
    }
    expect(guard.dropped['agent.message']).toBe(6);
  });

  it('never hands a malformed event to a listener, over the web-mode transport', async () => {
    const sockets = createSocketFactory();
    const { transport } = createWebSocketTransport({ url: 'ws://h/rpc', clock: createFakeClock(), connect: sockets.connect });
    const warned: string[] = [];
    const guard = createEventGuard((l) => warned.push(l));
    const { rpc, client } = createElectrobunRpcClient({ guard });
    rpc.setTransport(transport);
    sockets.last.serverOpen();
    const seen: unknown[] = [];
    client.on('agent.message', (p) => seen.push(p.messages.map((m) => m.seqId)));
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: { sessionId: 's1', messages: [{ seqId: 'one', ts: 1, event: {} }] } });
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: good });
    await Promise.resolve();
    expect(seen).toEqual([[0]]);
    expect(guard.dropped['agent.message']).toBe(1);
    expect(warned).toHaveLength(1);
  });

  it('loads the guard with the first event, holds the events until it is there, then checks and delivers them in order', async () => {
    const sockets = createSocketFactory();
    const { transport } = createWebSocketTransport({ url: 'ws://h/rpc', clock: createFakeClock(), connect: sockets.connect });
    let loaded!: (g: ReturnType<typeof createEventGuard>) => void;
    let asked = 0;
    const { rpc, client } = createElectrobunRpcClient({ guard: () => (asked++, new Promise((resolve) => (loaded = resolve))) });
    rpc.setTransport(transport);
    sockets.last.serverOpen();
    const seen: unknown[] = [];
    // This one comes before anyone listens (the app is still loading): it waits for the first listener.
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: good });
    client.on('agent.message', (p) => seen.push(p.messages.map((m) => m.seqId)));
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: { sessionId: 's1', messages: [{ seqId: 'one', ts: 1, event: {} }] } });
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: { ...good, messages: [{ ...good.messages[0], seqId: 1 }] } });
    expect([seen, asked]).toEqual([[], 1]);
    const guard = createEventGuard(() => {});
    loaded(guard);
    await Promise.resolve();
    expect(seen).toEqual([[0], [1]]);
    expect(guard.dropped['agent.message']).toBe(1);
  });

  it('keeps the events when the guard fails to load, and loads it again with the next event', async () => {
    const sockets = createSocketFactory();
    const { transport } = createWebSocketTransport({ url: 'ws://h/rpc', clock: createFakeClock(), connect: sockets.connect });
    let asked = 0;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { rpc, client } = createElectrobunRpcClient({
      guard: () => (++asked === 1 ? Promise.reject(new Error('chunk failed to load')) : Promise.resolve(createEventGuard(() => {}))),
    });
    rpc.setTransport(transport);
    sockets.last.serverOpen();
    const seen: unknown[] = [];
    client.on('agent.message', (p) => seen.push(p.messages.map((m) => m.seqId)));
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: good });
    await vi.waitFor(() => expect(errors).toHaveBeenCalledTimes(1));
    expect(seen).toEqual([]);
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: { ...good, messages: [{ ...good.messages[0], seqId: 1 }] } });
    await vi.waitFor(() => expect(seen).toEqual([[0], [1]]));
    expect(asked).toBe(2);
    errors.mockRestore();
  });
});
