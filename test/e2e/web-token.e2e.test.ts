/**
 * The web token stays put, in Chromium against the real web mode: after load
 * it is in no cookie and not in the address bar; a reload of the tab still
 * connects; a tab without it cannot; and a second HTTP server on another
 * 127.0.0.1 port, which the Corral page loads an image from and then
 * navigates to, never receives it (no cookie, no Referer, nothing in any
 * request). Its page, even knowing the token, cannot open Corral's RPC
 * socket: the Origin is not Corral's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Server } from 'bun';
import { addProject, e2eSuite, eventually, waitForText } from './harness';

const e2e = e2eSuite({ name: 'token', projects: ['tok'] });
const T = 60_000;

type Seen = { url: string; headers: Record<string, string> };
let foreign: Server<undefined>;
const seen: Seen[] = [];
const reports: string[] = [];
/** What the other server's page is handed, in its body only, so no request to that server carries it: Corral's RPC URL and its token (as if it leaked). */
const handedToPage = { rpc: '', token: '' };

beforeAll(() => {
  foreign = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      seen.push({ url: req.url, headers: Object.fromEntries(req.headers) });
      if (url.pathname === '/report') {
        reports.push(url.searchParams.get('ws') ?? '');
        return new Response('ok');
      }
      if (url.pathname === '/pixel.gif') return new Response(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'), { headers: { 'content-type': 'image/gif' } });
      // The page tries Corral's RPC socket with a token it was handed (say it leaked): Corral must refuse its Origin.
      return new Response(`<!doctype html><title>dev server</title><script>
        const ws = new WebSocket(${JSON.stringify(handedToPage.rpc)}, ['corral.rpc.v1', 'corral.token.' + ${JSON.stringify(handedToPage.token)}]);
        ws.onopen = () => fetch('/report?ws=open');
        ws.onerror = () => fetch('/report?ws=refused');
      </script>`, { headers: { 'content-type': 'text/html' } });
    },
  });
});
afterAll(() => foreign?.stop(true));

describe('web token', () => {
  it('is in no cookie and not in the URL after load, and a reload of the tab still connects', async () => {
    const { page, context } = e2e.browser;
    const base = e2e.corral.url.split('?')[0];
    await page.goto(e2e.corral.url);
    await addProject(page, e2e.dir('tok'), 'tok'); // the RPC works
    expect(page.url()).toBe(base);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await context.cookies()).toEqual([]);

    await page.reload();
    expect(page.url()).toBe(base);
    await waitForText(page.getByRole('navigation', { name: 'Projects' }), 'tok');
    expect(await context.cookies()).toEqual([]);
  }, T);

  it('never reaches a server on another 127.0.0.1 port the page talks to, which cannot use it either', async () => {
    const { page } = e2e.browser;
    const token = new URL(e2e.corral.url).searchParams.get('token')!;
    const corral = new URL(e2e.corral.url);
    const other = `http://127.0.0.1:${foreign.port}`;
    Object.assign(handedToPage, { rpc: `ws://${corral.host}/rpc`, token });
    // An image from the other server, then a navigation to it, both started by Corral's page.
    await page.evaluate((src) => { new Image().src = src; }, `${other}/pixel.gif`);
    await eventually(async () => seen.length, (n) => n >= 1, 'the image request');
    await page.evaluate((href) => { location.href = href; }, `${other}/`);
    await eventually(async () => reports.length, (n) => n >= 1, 'the other page to report its socket attempt');
    expect(reports).toEqual(['refused']);

    const [pixel, visit] = [seen.find((s) => s.url.endsWith('/pixel.gif')), seen.find((s) => new URL(s.url).pathname === '/')];
    expect(pixel).toBeDefined();
    expect(visit).toBeDefined();
    for (const request of [pixel!, visit!]) {
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.referer).toBeUndefined();
    }
    // The token appears nowhere in any request the other server got: URL or any header.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const request of seen) expect(JSON.stringify(request)).not.toContain(token);
  }, T);

  it('refuses a tab that never had the token', async () => {
    const { context } = e2e.browser;
    const fresh = await context.newPage();
    try {
      await fresh.goto(e2e.corral.url.split('?')[0]);
      await waitForText(fresh.getByRole('alert'), 'This page has no access token');
      expect(await fresh.getByRole('navigation', { name: 'Projects' }).getByText('tok', { exact: true }).count()).toBe(0);
    } finally {
      await fresh.close();
    }
  }, T);
});
