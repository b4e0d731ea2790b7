/**
 * Scale benchmark: a data dir holding 1,000 finished sessions across 20
 * projects (50 each, 40 messages per session); Corral is started on it and
 * Chromium, once its own start has settled, opens its URL. Measured: process spawn to interactive (every
 * project listed, the selected pane's last message shown and its prompt box
 * ready), the main process's RSS and the page's heap once settled, whether
 * any sidecar runs before a prompt, and whether History (`session.list`) was
 * asked for before it was opened.
 *
 * Goals (issue 12): interactive under 1 s; main RSS under 150 MB; UI heap
 * under 100 MB; no sidecar before a prompt; History loads only when opened.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, scratch, startCorral } from '../e2e/harness';
import { heapAfterGc, shownAt, watchForRow } from './page-probes';
import { chromiumSettled, descendants, rssBytes } from './process-usage';
import { count, mb, ms, type Figure } from './report';
import { writeStoredSessions } from './stored-sessions';

const PROJECTS = 20;
const SESSIONS_PER_PROJECT = 50;
const MESSAGES_PER_SESSION = 40;

/** What the scale benchmark measured (ms, bytes). */
export type ScaleRun = {
  sessions: number; interactiveMs: number; mainRssBytes: number; heapBytes: number; sidecarsBeforePrompt: number; historyRequestsAtBoot: number;
};

/** Runs the scale benchmark once. Throws if the page is not interactive within 60 s. */
export async function benchScale(): Promise<ScaleRun> {
  const root = scratch('bench-scale');
  const dataDir = join(root, 'data');
  try {
    writeStoredSessions(root, dataDir, { projects: PROJECTS, sessionsPerProject: SESSIONS_PER_PROJECT, messagesPerSession: MESSAGES_PER_SESSION });
    const browser = await openBrowser();
    const { page } = browser;
    let historyRequests = 0;
    page.on('websocket', (ws) => ws.on('framesent', (f) => { if (String(f.payload).includes('"method":"session.list"')) historyRequests++; }));
    try {
      // The first project's pane is the one shown at start; its last session ends with "last 0".
      await watchForRow(page, 'assistant', 'last 0');
      // Corral is what starts, not the browser: a user's browser is already running, so its own start is done first.
      await chromiumSettled(process.pid);
      const spawnedAt = Date.now();
      const corral = await startCorral({ dataDir, env: { HOME: join(root, 'home') } });
      try {
        await page.goto(corral.url);
        const shown = await shownAt(page, 'last 0');
        await page.getByRole('navigation', { name: 'Projects' }).getByText(`project-${PROJECTS - 1}`, { exact: true }).waitFor();
        await page.getByRole('textbox', { name: 'Prompt' }).first().waitFor({ state: 'visible' });
        const interactiveMs = Math.max(shown.epochMs, Date.now()) - spawnedAt;
        await Bun.sleep(1000); // settle: restores, first persist round trips
        return {
          sessions: PROJECTS * SESSIONS_PER_PROJECT,
          interactiveMs,
          mainRssBytes: rssBytes(corral.proc.pid) ?? Number.NaN,
          heapBytes: await heapAfterGc(page),
          sidecarsBeforePrompt: descendants(corral.proc.pid).filter((p) => p.role === 'sidecar').length,
          historyRequestsAtBoot: historyRequests,
        };
      } finally {
        await corral.stop('SIGTERM');
      }
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The figures of a run, with their goals. */
export function scaleFigures(run: ScaleRun): Figure[] {
  return [
    { label: 'spawn to interactive', value: ms(run.interactiveMs), goal: '< 1,000 ms', met: run.interactiveMs < 1000 },
    { label: 'main process RSS', value: mb(run.mainRssBytes), goal: '< 150 MB', met: run.mainRssBytes < 150 * 1024 * 1024 },
    { label: 'UI heap after GC', value: mb(run.heapBytes), goal: '< 100 MB', met: run.heapBytes < 100 * 1024 * 1024 },
    { label: 'sidecars before a prompt', value: count(run.sidecarsBeforePrompt), goal: 'none', met: run.sidecarsBeforePrompt === 0 },
    { label: 'History requests at start', value: count(run.historyRequestsAtBoot), goal: 'none until opened', met: run.historyRequestsAtBoot === 0 },
  ];
}
