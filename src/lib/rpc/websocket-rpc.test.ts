import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { createSocketFactory } from '../testing/fake-websocket';
import { connectRpc, webSocketUrl } from './connect';
import { DISCONNECTED_ERROR } from './websocket-transport';

function page(search = '?token=abc123', protocol = 'http:') {
  return { location: { protocol, host: '127.0.0.1:4000', search } } as unknown as Window;
}

function setup(search?: string) {
  const clock = createFakeClock();
  const sockets = createSocketFactory();
  const rpc = connectRpc({ win: page(search), clock, connect: sockets.connect });
  return { clock, sockets, ...rpc };
}

/** Lets pending promise callbacks run (no timers involved). */
async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('webSocketUrl', () => {
  it('uses ws on http and wss on https, carrying the page token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'h:1', search: '?token=t%2Bk' })).toBe('ws://h:1/rpc?token=t%2Bk');
    expect(webSocketUrl({ protocol: 'https:', host: 'h', search: '?x=1&token=zz' })).toBe('wss://h/rpc?token=zz');
  });
});

describe('web-mode RPC over a WebSocket', () => {
  it('connects to /rpc with the token and reports missing tokens', () => {
    const a = setup();
    expect(a.sockets.last.url).toBe('ws://127.0.0.1:4000/rpc?token=abc123');
    expect(a.missingToken).toBe(false);
    expect(setup('').missingToken).toBe(true);
  });

  it('queues a request until the socket opens, then resolves it with the response payload', async () => {
    const { sockets, client, connection } = setup();
    const p = client.request('projects.list', {});
    expect(connection.state).toBe('connecting');
    sockets.last.serverOpen();
    expect(connection.state).toBe('open');
    const sent = sockets.last.sent[0] as { type: string; id: number; method: string; params: unknown };
    expect(sent).toMatchObject({ type: 'request', method: 'projects.list', params: {} });
    sockets.last.serverSend({ type: 'response', id: sent.id, success: true, payload: [{ id: 'p1' }] });
    await expect(p).resolves.toEqual([{ id: 'p1' }]);
  });

  it('rejects with the server error message', async () => {
    const { sockets, client } = setup();
    sockets.last.serverOpen();
    const p = client.request('projects.add', { path: '/nope' });
    const { id } = sockets.last.sent[0] as { id: number };
    sockets.last.serverSend({ type: 'response', id, success: false, error: 'Not a directory: /nope' });
    await expect(p).rejects.toThrow('Not a directory: /nope');
  });

  it('delivers pushed messages to listeners until they unsubscribe', () => {
    const { sockets, client } = setup();
    sockets.last.serverOpen();
    const seen: unknown[] = [];
    const off = client.on('agent.status', (p) => seen.push(p.status));
    sockets.last.serverSend({ type: 'message', id: 'agent.status', payload: { sessionId: 's', status: 'running' } });
    sockets.last.serverSend({ type: 'message', id: 'agent.cost', payload: { sessionId: 's' } });
    off();
    sockets.last.serverSend({ type: 'message', id: 'agent.status', payload: { sessionId: 's', status: 'done' } });
    expect(seen).toEqual(['running']);
  });

  it('ignores garbage frames and requests from the server', async () => {
    const { sockets, client } = setup();
    sockets.last.serverOpen();
    const seen: unknown[] = [];
    client.on('agent.status', (p) => seen.push(p));
    sockets.last.serverSend('not json');
    sockets.last.serverSend('42');
    sockets.last.serverSend({ type: 'request', id: 7, method: 'evaluateJavascriptWithResponse', params: { script: 'return 1' } });
    await settle();
    expect(sockets.last.sent).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('rejects requests in flight when the socket drops, then reconnects with growing backoff', async () => {
    const { sockets, client, connection, clock } = setup();
    const states: string[] = [];
    connection.subscribe((s) => states.push(s));
    sockets.last.serverOpen();
    const p = client.request('projects.list', {});
    sockets.last.serverClose(1006, 'server went away');
    await expect(p).rejects.toThrow(DISCONNECTED_ERROR);
    expect(connection.state).toBe('reconnecting');
    expect(connection.detail).toBe('server went away');

    expect(sockets.sockets).toHaveLength(1);
    clock.advance(499);
    expect(sockets.sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets.sockets).toHaveLength(2);
    sockets.last.serverClose(); // second attempt fails: next wait doubles
    clock.advance(999);
    expect(sockets.sockets).toHaveLength(2);
    clock.advance(1);
    expect(sockets.sockets).toHaveLength(3);
    sockets.last.serverOpen();
    expect(states).toEqual(['open', 'reconnecting', 'open']);

    const q = client.request('projects.list', {});
    const { id } = sockets.last.sent[0] as { id: number };
    sockets.last.serverSend({ type: 'response', id, success: true, payload: [] });
    await expect(q).resolves.toEqual([]);
  });

  it('fails requests queued during a failed reconnect attempt instead of leaving them hanging', async () => {
    const { sockets, client, clock } = setup();
    sockets.last.serverOpen();
    sockets.last.serverClose();
    clock.advance(500);
    const p = client.request('projects.list', {});
    sockets.last.serverClose();
    await expect(p).rejects.toThrow(DISCONNECTED_ERROR);
  });

  it('ignores responses that answer nothing in flight', async () => {
    const { sockets, client } = setup();
    sockets.last.serverOpen();
    const p = client.request('projects.list', {});
    const { id } = sockets.last.sent[0] as { id: number };
    sockets.last.serverSend({ type: 'response', id: id + 100, success: true, payload: 'wrong' });
    sockets.last.serverSend({ type: 'response', id, success: true, payload: 'right' });
    await expect(p).resolves.toBe('right');
  });

  it('retryNow skips the backoff wait, and close stops reconnecting', () => {
    const { sockets, connection, clock } = setup();
    sockets.last.serverClose();
    connection.retryNow();
    expect(sockets.sockets).toHaveLength(2);
    sockets.last.serverOpen();
    connection.close();
    expect(connection.state).toBe('closed');
    clock.advance(60_000);
    expect(sockets.sockets).toHaveLength(2);
  });
});
