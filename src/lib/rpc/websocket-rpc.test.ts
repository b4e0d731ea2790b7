import { describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../../shared/clock';
import { createSocketFactory } from '../testing/fake-websocket';
import { connectRpc, takeAccessToken, TOKEN_STORAGE_KEY, webSocketUrl } from './connect';
import { DISCONNECTED_ERROR } from './websocket-transport';

/** A fake page at http(s)://127.0.0.1:4000/ with `search`, a recording history and a sessionStorage. */
function page(search = '?token=abc123', protocol = 'http:', stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const location = { protocol, host: '127.0.0.1:4000', pathname: '/', search, hash: '' };
  const replaced: string[] = [];
  const win = {
    location,
    history: { state: null, replaceState: (_: unknown, __: string, url: string) => { replaced.push(url); const q = url.indexOf('?'); location.search = q < 0 ? '' : url.slice(q); } },
    sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
  };
  return { win: win as unknown as Window, storage, replaced, location };
}

function setup(search?: string, stored?: Record<string, string>) {
  const clock = createFakeClock();
  const sockets = createSocketFactory();
  const p = page(search, 'http:', stored);
  const rpc = connectRpc({ win: p.win, clock, connect: sockets.connect });
  return { clock, sockets, page: p, ...rpc };
}

/** Lets pending promise callbacks run (no timers involved). */
async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('webSocketUrl', () => {
  it('uses ws on http and wss on https, and never carries the token', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'h:1' })).toBe('ws://h:1/rpc');
    expect(webSocketUrl({ protocol: 'https:', host: 'h' })).toBe('wss://h/rpc');
  });
});

describe('the web access token', () => {
  it('is taken out of the address bar, kept for reloads of this tab, and offered only in the handshake', () => {
    const a = setup('?x=1&token=abc123');
    expect(a.page.replaced).toEqual(['/?x=1']);
    expect(a.page.storage.get(TOKEN_STORAGE_KEY)).toBe('abc123');
    expect(a.sockets.last.url).toBe('ws://127.0.0.1:4000/rpc');
    expect(a.sockets.last.protocols).toEqual(['corral.rpc.v1', 'corral.token.abc123']);
    expect(a.missingToken).toBe(false);
  });

  it('comes from this tab\'s sessionStorage after a reload, and is missing when neither has it', () => {
    const reloaded = setup('', { [TOKEN_STORAGE_KEY]: 'abc123' });
    expect(reloaded.page.replaced).toEqual([]);
    expect(reloaded.sockets.last.protocols).toEqual(['corral.rpc.v1', 'corral.token.abc123']);
    const none = setup('');
    expect(none.missingToken).toBe(true);
    expect(none.sockets.last.protocols).toEqual([]);
  });

  it('treats a token a header cannot carry as missing', () => {
    expect(takeAccessToken(page('?token=a%20b').win)).toBe('a b');
    expect(setup('?token=a%20b').missingToken).toBe(true);
  });
});

describe('web-mode RPC over a WebSocket', () => {
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

  it('delivers pushed messages to listeners until they unsubscribe', async () => {
    const { sockets, client } = setup();
    sockets.last.serverOpen();
    const seen: unknown[] = [];
    const off = client.on('agent.status', (p) => seen.push(p.status));
    sockets.last.serverSend({ type: 'message', id: 'agent.status', payload: { sessionId: 's', status: 'running' } });
    sockets.last.serverSend({ type: 'message', id: 'agent.cost', payload: { sessionId: 's' } });
    // The contract's schemas load as a chunk of their own: events wait for them.
    await vi.waitFor(() => expect(seen).toEqual(['running']));
    off();
    sockets.last.serverSend({ type: 'message', id: 'agent.status', payload: { sessionId: 's', status: 'done' } });
    await settle();
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
