import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { createSocketFactory } from '../testing/fake-websocket';
import { createElectrobunRpcClient } from './electrobun-client';
import { createEventGuard } from './event-guard';
import { frameAcknowledger } from './frame-ack';
import { createWebSocketTransport } from './websocket-transport';

const frame = (seqId: number) => ({ sessionId: 's1', messages: [{ seqId, ts: 1, event: { type: 'text', id: `m${seqId}`, role: 'assistant', text: 'hi' } }] });

describe('the window’s acknowledgement of message frames', () => {
  it('goes through Electrobun’s bridge as its RPC message packet, else through the RPC', () => {
    const posted: string[] = [];
    let viaRpc = 0;
    frameAcknowledger({ __electrobunBunBridge: { postMessage: (m) => posted.push(m) } }, () => viaRpc++)();
    expect(posted.map((p) => JSON.parse(p))).toEqual([{ type: 'message', id: 'frames.ack', payload: {} }]);
    expect(viaRpc).toBe(0);
    frameAcknowledger({}, () => viaRpc++)();
    frameAcknowledger({ __electrobunBunBridge: { postMessage: () => { throw new Error('gone'); } } }, () => viaRpc++)();
    expect(viaRpc).toBe(2);
  });

  it('is sent for each agent.message frame as it arrives, before its listeners run, and for no other event', async () => {
    const sockets = createSocketFactory();
    const { transport } = createWebSocketTransport({ url: 'ws://h/rpc', clock: createFakeClock(), connect: sockets.connect });
    const order: string[] = [];
    const { rpc, client } = createElectrobunRpcClient({ guard: createEventGuard(() => {}), frameArrived: () => order.push('ack') });
    rpc.setTransport(transport);
    sockets.last.serverOpen();
    client.on('agent.message', (p) => order.push(`frame ${p.messages[0]!.seqId}`));
    client.on('agent.status', (p) => order.push(`status ${p.status}`));
    await Promise.resolve();
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: frame(0) });
    sockets.last.serverSend({ type: 'message', id: 'agent.status', payload: { sessionId: 's1', status: 'done' } });
    sockets.last.serverSend({ type: 'message', id: 'agent.message', payload: frame(1) });
    expect(order).toEqual(['ack', 'frame 0', 'status done', 'ack', 'frame 1']);
  });
});
