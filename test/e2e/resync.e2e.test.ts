/**
 * Resync by seqId, end to end in Chromium against the real web mode and the
 * real Claude Code CLI on the scripted model:
 * - "the blip": a TCP proxy between Chromium and Corral drops every
 *   connection and refuses new ones for 5 s while a turn runs a tool call and
 *   streams its answer; without a reload, the pane then equals a fresh load
 *   of the same session, row by row;
 * - two tabs, one sending: both show the same rows.
 * The proxy listens on [::1] with Corral's own port, so the page's origin is
 * one Corral accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { FINAL_TEXT } from '../model-server/scenarios';
import { addProject, e2eSuite, eventually, pane, sendPrompt, waitForText } from './harness';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const e2e = e2eSuite({ name: 'resync', projects: ['blip', 'tabs'], model: { slowDeltaMs: 150 } });
const T = 60_000;
let proxy: TcpProxy;
let proxiedUrl: string;

beforeAll(async () => {
  const direct = new URL(e2e.corral.url);
  proxy = await startTcpProxy(Number(direct.port), { listenHost: '::1', listenPort: Number(direct.port) });
  proxiedUrl = `http://[::1]:${direct.port}/${direct.search}`;
});
afterAll(async () => {
  await proxy?.close();
});

type Row = { role: string; text: string };

/** The rendered rows of a project's pane, in order: role and text. */
async function rows(page: Page, project: string): Promise<Row[]> {
  return pane(page, project).getByRole('log', { name: 'Messages' }).locator('[data-role]')
    .evaluateAll((els) => els.map((el) => ({ role: el.getAttribute('data-role') ?? '', text: (el.textContent ?? '').replace(/\s+/g, ' ').trim() })));
}

const statusOf = (page: Page, project: string) => pane(page, project).getByRole('status', { name: 'Session status' });

/** Opens a second tab on Corral, shows `project` in it, and waits for its pane to hold `minRows` rows. */
async function freshTab(project: string): Promise<Page> {
  const page = await e2e.browser.context.newPage();
  await page.goto(proxiedUrl);
  await page.getByRole('navigation', { name: 'Projects' }).getByText(project, { exact: true }).click();
  return page;
}

describe('resync by seqId', () => {
  it('the blip: after a 5 s drop during a turn with a tool call, the pane equals a fresh load, without a reload', async () => {
    const { page } = e2e.browser;
    await page.goto(proxiedUrl);
    const p = await addProject(page, e2e.dir('blip'), 'blip');
    await page.evaluate(() => { (window as unknown as { corralNoReload: boolean }).corralNoReload = true; });
    await sendPrompt(p, 'Run the check, then talk slowly [scenario:tool-slow:8]');
    await waitForText(statusOf(page, 'blip'), 'running');
    const before = await rows(page, 'blip');

    // Every connection drops now, and none is accepted for 5 s: the tool call and its result happen meanwhile.
    await proxy.blip(5000);
    const linkBack = Date.now();
    await waitForText(pane(page, 'blip').getByRole('log', { name: 'Messages' }).locator('[data-role="tool-result"]'), 'corral-ok', 30_000);
    const healMs = Date.now() - linkBack;
    await waitForText(statusOf(page, 'blip'), 'done', T);

    const fresh = await freshTab('blip');
    await waitForText(statusOf(fresh, 'blip'), 'done');
    const expected = await rows(fresh, 'blip');
    const live = await eventually(() => rows(page, 'blip'), (r) => JSON.stringify(r) === JSON.stringify(expected), 'the live pane to equal a fresh load', 15_000);
    expect(live).toEqual(expected);
    // The drop hid part of the turn from the live pane: what it shows now came through the catch-up.
    expect(before.map((r) => r.role)).not.toContain('tool-result');
    expect(expected.map((r) => r.role)).toEqual(['user', 'tool-call', 'tool-result', 'assistant']);
    expect(expected[3].text).toMatch(/^tick 1 tick 2 .* tick \d+$/);
    expect(await page.evaluate(() => (window as unknown as { corralNoReload?: boolean }).corralNoReload)).toBe(true);
    expect(proxy.accepted()).toBeGreaterThan(2);
    console.log(`blip: rows before ${before.length}, after ${live.length} (fresh load ${expected.length}), tool result shown ${healMs} ms after the link came back`);
    await fresh.close();
  }, T * 2);

  it('two tabs, one sending: both show the same rows', async () => {
    const { page } = e2e.browser;
    const a = await addProject(page, e2e.dir('tabs'), 'tabs');
    const b = await freshTab('tabs');
    await sendPrompt(pane(b, 'tabs'), 'Check from the second tab [scenario:tool]');
    await waitForText(statusOf(b, 'tabs'), 'done', T);
    await waitForText(a.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]'), FINAL_TEXT.tool);
    await waitForText(statusOf(page, 'tabs'), 'done');
    const inB = await rows(b, 'tabs');
    expect(inB.map((r) => r.role)).toEqual(['user', 'tool-call', 'tool-result', 'assistant']);
    expect(await rows(page, 'tabs')).toEqual(inB);
    await b.close();
  }, T * 2);
});
