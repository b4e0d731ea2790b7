import { afterEach, describe, expect, it } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHarness } from '../core/testdata/harness';
import { createHandlers } from '../rpc';
import { startWebServer } from './server';
import { tokenMatches } from './auth';

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

function openSocket(url: string, headers?: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers } as never);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error('refused'));
  });
}

describe('web server', () => {
  it('refuses every page and API request without the token with 401', async () => {
    const { base } = serve();
    for (const path of ['', 'app.js', 'rpc', 'index.html?token=wrong']) {
      expect((await fetch(base + path)).status).toBe(401);
    }
  });

  it('serves the UI with the token and sets a cookie so assets load without it', async () => {
    const { server, base } = serve();
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Corral</title>');
    const cookie = page.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toBe(`corral_token=${server.token}`);
    const asset = await fetch(base + 'app.js', { headers: { cookie } });
    expect(await asset.text()).toBe('console.log(1)');
  });

  it('does not serve files outside dist', async () => {
    const { server, base } = serve();
    const res = await fetch(`${base}..%2f..%2f..%2fetc%2fpasswd?token=${server.token}`);
    expect(await res.text()).not.toContain('root:');
  });

  it('answers RPC over the WebSocket and rejects a socket without the token or from a foreign origin', async () => {
    const { server } = serve();
    const wsUrl = server.url.replace('http://', 'ws://').replace('/?', '/rpc?');
    const ws = await openSocket(wsUrl);
    const reply = new Promise<unknown>((resolve) => { ws.onmessage = (e) => resolve(JSON.parse(String(e.data))); });
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'settings.getAll', params: {} }));
    expect(await reply).toMatchObject({ type: 'response', id: 1, success: true, payload: { retention_count: 5 } });
    const bad = new Promise<unknown>((resolve) => { ws.onmessage = (e) => resolve(JSON.parse(String(e.data))); });
    ws.send('{not json');
    expect(await bad).toMatchObject({ success: false, error: 'Packet is not JSON' });
    ws.close();

    await expect(openSocket(wsUrl.replace(/token=\w+/, 'token=nope'))).rejects.toThrow('refused');
    await expect(openSocket(wsUrl, { origin: 'http://evil.example' })).rejects.toThrow('refused');
  });

  it('compares tokens in constant time and rejects length mismatches', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', '')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
  });
});
