import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../core/testdata/harness';
import { createHandlers } from '../rpc';
import { startWebServer } from './server';
import { ownOrigins, tokenMatches } from './auth';
import { rpcProtocols, RPC_PROTOCOL, tokenFromProtocols } from '../../src/shared/web-auth';

const servers: { stop(): void }[] = [];
afterEach(() => { for (const s of servers.splice(0)) s.stop(); });

function serve() {
  const dist = mkdtempSync(join(tmpdir(), 'corral-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Corral</title>');
  writeFileSync(join(dist, 'app.js'), 'console.log(1)');
  const h = createHarness();
  const server = startWebServer({ host: '127.0.0.1', port: 0, distDir: dist, handlers: createHandlers(h.core) });
  servers.push(server);
  const base = server.url.split('?')[0];
  return { server, base, h };
}

/** Opens a WebSocket the way a browser page would: `protocols` offered, `origin` sent (omitted when null). */
function openSocket(url: string, opts: { protocols?: string[]; origin?: string | null } = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const headers = opts.origin === null ? {} : { origin: opts.origin ?? new URL(url.replace(/^ws/, 'http')).origin };
    const ws = new WebSocket(url, { protocols: opts.protocols ?? [], headers } as never);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error('refused'));
  });
}

describe('web server', () => {
  it('serves the UI and its assets without the token, sets no cookie, and sends no referrer', async () => {
    const { server, base } = serve();
    for (const url of [base, base + 'app.js', server.url]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await res.text()).not.toContain(server.token);
    }
    expect(await (await fetch(base + 'app.js')).text()).toBe('console.log(1)');
  });

  it('does not serve files outside dist', async () => {
    const { base } = serve();
    const res = await fetch(`${base}..%2f..%2f..%2fetc%2fpasswd`);
    expect(await res.text()).not.toContain('root:');
  });

  it('answers RPC over a WebSocket that offers the token in its handshake, selecting only the RPC protocol', async () => {
    const { server, base } = serve();
    const wsUrl = base.replace('http://', 'ws://') + 'rpc';
    const ws = await openSocket(wsUrl, { protocols: rpcProtocols(server.token) });
    expect(ws.protocol).toBe(RPC_PROTOCOL);
    const reply = new Promise<unknown>((resolve) => { ws.onmessage = (e) => resolve(JSON.parse(String(e.data))); });
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'settings.getAll', params: {} }));
    expect(await reply).toMatchObject({ type: 'response', id: 1, success: true, payload: { retention_count: 5 } });
    const bad = new Promise<unknown>((resolve) => { ws.onmessage = (e) => resolve(JSON.parse(String(e.data))); });
    ws.send('{not json');
    expect(await bad).toMatchObject({ success: false, error: 'Packet is not JSON' });
    ws.close();
  });

  it('refuses an RPC socket without the token, with a wrong one, or with the token only in the URL', async () => {
    const { server, base } = serve();
    const wsUrl = base.replace('http://', 'ws://') + 'rpc';
    await expect(openSocket(wsUrl)).rejects.toThrow('refused');
    await expect(openSocket(wsUrl, { protocols: rpcProtocols('0'.repeat(64)) })).rejects.toThrow('refused');
    await expect(openSocket(`${wsUrl}?token=${server.token}`)).rejects.toThrow('refused');
    const plain = await fetch(base + 'rpc', { headers: { origin: base.slice(0, -1), 'sec-websocket-protocol': rpcProtocols(server.token).join(', ') } });
    expect(plain.status).toBe(400);
    expect((await fetch(base + 'rpc', { headers: { origin: base.slice(0, -1) } })).status).toBe(401);
  });

  it('refuses an RPC socket whose Origin is not exactly its own, or is missing', async () => {
    const { server, base } = serve();
    const port = new URL(base).port;
    const wsUrl = base.replace('http://', 'ws://') + 'rpc';
    const protocols = rpcProtocols(server.token);
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`, `http://127.0.0.1.evil.example:${port}`, '', null]) {
      await expect(openSocket(wsUrl, { protocols, origin })).rejects.toThrow('refused');
    }
    const res = await fetch(base + 'rpc', { headers: { 'sec-websocket-protocol': protocols.join(', ') } });
    expect(res.status).toBe(403);
    (await openSocket(wsUrl, { protocols, origin: `http://localhost:${port}` })).close();
  });

  it('knows its own origins: the bound host and port, and every loopback name for a loopback bind', () => {
    expect([...ownOrigins('127.0.0.1', 8080)].sort()).toEqual(['http://127.0.0.1:8080', 'http://[::1]:8080', 'http://localhost:8080']);
    expect([...ownOrigins('::1', 8080)].sort()).toEqual(['http://127.0.0.1:8080', 'http://[::1]:8080', 'http://localhost:8080']);
    expect([...ownOrigins('192.168.1.5', 80)]).toEqual(['http://192.168.1.5:80']);
  });

  it('reads the token from the handshake\'s subprotocol list only', () => {
    expect(tokenFromProtocols('corral.rpc.v1, corral.token.abc')).toBe('abc');
    expect(tokenFromProtocols('corral.rpc.v1')).toBeNull();
    expect(tokenFromProtocols(null)).toBeNull();
    expect(() => rpcProtocols('a b')).toThrow('cannot carry');
  });

  it('compares tokens in constant time and rejects length mismatches', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });
});
