/**
 * Restore benchmark: a data dir holding one project whose session has 20,000
 * stored messages; Corral is started on it and Chromium opens its URL.
 * Measured: navigation start to the animation frame that shows the last
 * message, the same from the process spawn (relaunch), and the SQLite load of
 * those rows (`store.messages.load`) against a raw SELECT of the same rows.
 *
 * Goals (issue 12): under 300 ms to the last message; the load within 3x the raw SELECT.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src-bun/core/store';
import { openBrowser, scratch, startCorral } from '../e2e/harness';
import { heapAfterGc, shownAt, watchForRow } from './page-probes';
import { mb, median, ms, times, type Figure } from './report';
import { writeStoredSessions } from './stored-sessions';

const MESSAGES = 20_000;
const SHOWN_GOAL_MS = 300;
const LOAD_RATIO_GOAL = 3;

/** What the restore benchmark measured, ms (heap in bytes). */
export type RestoreRun = { messages: number; shownMs: number; relaunchMs: number; loadMs: number; selectMs: number; heapBytes: number };

/** Runs the restore benchmark once. Throws if the last message does not show within 60 s. */
export async function benchRestore(): Promise<RestoreRun> {
  const root = scratch('bench-restore');
  const dataDir = join(root, 'data');
  try {
    const data = writeStoredSessions(root, dataDir, { projects: 1, sessionsPerProject: 1, messagesPerSession: MESSAGES });
    const sessionId = data.projects[0]!.sessionIds[0]!;
    const { loadMs, selectMs } = timeLoads(data.dbFile, sessionId);
    const browser = await openBrowser();
    try {
      await watchForRow(browser.page, 'assistant', 'last 0');
      const spawnedAt = Date.now();
      const corral = await startCorral({ dataDir, env: { HOME: join(root, 'home') } });
      try {
        await browser.page.goto(corral.url);
        const shown = await shownAt(browser.page, 'last 0');
        return { messages: MESSAGES, shownMs: shown.sinceNavigationMs, relaunchMs: shown.epochMs - spawnedAt, loadMs, selectMs, heapBytes: await heapAfterGc(browser.page) };
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

/** Median ms of `store.messages.load` and of a raw SELECT of the same rows, 7 runs each after a warm-up. */
function timeLoads(dbFile: string, sessionId: string): { loadMs: number; selectMs: number } {
  const store = createStore(dbFile);
  try {
    const raw = store.db.query('SELECT seq_id, ts, event_json FROM messages WHERE session_id = ? ORDER BY seq_id');
    const time = (fn: () => unknown[]) => {
      fn();
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        if (fn().length !== MESSAGES) throw new Error('the session does not hold every message');
        runs.push(performance.now() - t);
      }
      return median(runs);
    };
    return { loadMs: time(() => store.messages.load(sessionId)), selectMs: time(() => raw.all(sessionId)) };
  } finally {
    store.close();
  }
}

/** The figures of a run, with their goals. */
export function restoreFigures(run: RestoreRun): Figure[] {
  const ratio = run.loadMs / run.selectMs;
  return [
    { label: 'page load to last message', value: ms(run.shownMs), goal: `< ${SHOWN_GOAL_MS} ms`, met: run.shownMs < SHOWN_GOAL_MS },
    { label: 'process spawn to last message', value: ms(run.relaunchMs) },
    { label: 'SQLite load (median)', value: `${run.loadMs.toFixed(1)} ms` },
    { label: 'raw SELECT (median)', value: `${run.selectMs.toFixed(1)} ms` },
    { label: 'load / raw SELECT', value: times(ratio), goal: `<= ${LOAD_RATIO_GOAL}x`, met: ratio <= LOAD_RATIO_GOAL },
    { label: 'UI heap after GC', value: mb(run.heapBytes) },
  ];
}
