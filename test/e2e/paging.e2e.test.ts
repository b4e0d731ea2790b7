/**
 * A long session's window, end to end in Chromium against the real web mode:
 * a stored session of 3,000 messages comes back after a start with its newest
 * messages only; scrolling up pages the older ones in from the main process
 * until the first; a page asked for while the link is cut (a TCP proxy
 * refuses every connection) says so, with a Retry that works once the link
 * is back. What the pane shows is compared row by row with what was stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { writeStoredSessions } from '../bench/stored-sessions';
import { eventually, openBrowser, scratch, screenshot, startCorral, waitForText, type CorralProcess } from './harness';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

const MESSAGES = 3000;
const T = 60_000;
let root: string;
let corral: CorralProcess;
let proxy: TcpProxy;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let url: string;

beforeAll(async () => {
  root = scratch('paging');
  const dataDir = join(root, 'data');
  writeStoredSessions(root, dataDir, { projects: 1, sessionsPerProject: 1, messagesPerSession: MESSAGES });
  corral = await startCorral({ dataDir, env: { HOME: join(root, 'home') } });
  const direct = new URL(corral.url);
  proxy = await startTcpProxy(Number(direct.port), { listenHost: '::1', listenPort: Number(direct.port) });
  url = `http://[::1]:${direct.port}/${direct.search}`;
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await corral?.stop('SIGTERM');
  if (root) rmSync(root, { recursive: true, force: true });
});

type Row = { position: number; role: string; text: string };

/** The rows in the DOM, in order: their place (data-position), role and text. */
function rows(log: Locator): Promise<Row[]> {
  return log.locator('[data-position]').evaluateAll((els) =>
    els.map((el) => {
      const body = el.querySelector('[data-role]');
      return { position: Number(el.getAttribute('data-position')), role: body?.getAttribute('data-role') ?? '', text: (body?.textContent ?? '').replace(/\s+/g, ' ').trim() };
    }));
}

/** What the stored message at `seqId` shows as (test/bench/stored-sessions.ts writes 4 kinds in turn; each is one row). */
function expected(seqId: number): { role: string; contains: string } {
  if (seqId === MESSAGES - 1) return { role: 'assistant', contains: 'last 0' };
  switch (seqId % 4) {
    case 0: return { role: 'user', contains: `Step ${seqId}: run the tests in src/app.ts` };
    case 1: return { role: 'tool-call', contains: `npm test -- ${seqId}` };
    case 2: return { role: 'tool-result', contains: `ok ${seqId}` };
    default: return { role: 'assistant', contains: `All ${seqId} tests pass; the change to src/app.ts is done.` };
  }
}

/** Each row shows the stored message it stands for: row positions count from the restored tail's first row. */
function expectRowsMatch(shown: Row[], firstSeqOfTail: number): void {
  expect(shown.length).toBeGreaterThan(0);
  for (const row of shown) {
    const want = expected(firstSeqOfTail + row.position);
    expect(row.role).toBe(want.role);
    expect(row.text).toContain(want.contains);
  }
}

/** Scrolls the list to its top with the mouse wheel, as a user would (a scroll by script does not let go of the bottom). */
async function scrollToTop(log: Locator): Promise<void> {
  await log.hover();
  await log.page().mouse.wheel(0, -1_000_000);
}

describe('a long session is paged, not loaded whole', () => {
  it('restores the newest messages, pages older ones in on scroll, says when a page failed, and retries', async () => {
    const { page } = browser;
    await page.goto(url);
    const log = page.getByRole('log', { name: 'Messages' });
    const earlier = page.getByRole('status', { name: 'Earlier messages' });
    await waitForText(log, 'last 0', T);
    // The tail is the newest 1,000 messages (transcript-paging.ts): seqIds 2,000 to 2,999.
    const tailStart = MESSAGES - 1000;
    const atEnd = await rows(log);
    expect(atEnd.at(-1)).toEqual({ position: 999, role: 'assistant', text: 'last 0' });
    expectRowsMatch(atEnd, tailStart);
    await expect(earlier.getByRole('button', { name: 'Load earlier messages' }).isVisible()).resolves.toBe(true);

    // The link is cut while the user scrolls up: the page of older messages cannot come, and the pane says so.
    const outage = proxy.blip(4000);
    await scrollToTop(log);
    await waitForText(earlier, 'Could not load earlier messages: Disconnected from Corral', T);
    await screenshot(page, 'paging-failed');
    await outage;
    await eventually(() => page.getByRole('alert').count(), (n) => n === 0, 'the link to come back', T);
    await earlier.getByRole('button', { name: 'Retry' }).click();
    await eventually(async () => (await rows(log)).some((r) => r.position < 0), (older) => older, 'the older page after Retry', T);
    expectRowsMatch(await rows(log), tailStart);

    // Up to the first message: then nothing is left to page in.
    await eventually(async () => {
      await scrollToTop(log);
      return earlier.count();
    }, (n) => n === 0, 'every page up to the first message', T);
    const top = await eventually(async () => {
      await scrollToTop(log);
      return rows(log);
    }, (shown) => shown[0]?.position === -tailStart, 'the first message at the top', T);
    expect(top[0]).toMatchObject({ position: -tailStart, role: 'user' });
    expect(top[0]!.text).toContain('Step 0: run the tests in src/app.ts');
    expectRowsMatch(top, tailStart);
  }, 120_000);
});
