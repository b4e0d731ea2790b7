/**
 * Restore benchmark: a data dir holding one project whose session has 20,000
 * stored messages; Corral is started on it and a fresh Chromium, once its own
 * start has settled, opens its URL, {@link LAUNCHES} times. Measured (median of the launches, and the
 * range): navigation start to the animation frame that shows the last
 * message, the same from the process spawn (relaunch), and the SQLite load of
 * the session's rows (`store.messages.load`) against a raw SELECT of the same
 * rows, for all 20,000 and for the tail a restore reads (`loadBefore`).
 *
 * Goals (issue 12): under 300 ms to the last message; the load within 3x the raw SELECT.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src-bun/core/store';
import { openBrowser, scratch, startCorral } from '../e2e/harness';
import { chromiumSettled } from './process-usage';
import { heapAfterGc, shownAt, watchForRow } from './page-probes';
import { PAGE_MESSAGES } from '../../src/lib/stores/transcript-paging';
import { count, mb, median, ms, times, type Figure } from './report';
import { writeStoredSessions } from './stored-sessions';

const MESSAGES = 20_000;
/** Relaunches measured; the figures are their median. */
const LAUNCHES = 5;
const SHOWN_GOAL_MS = 300;
const LOAD_RATIO_GOAL = 3;

/** What the restore benchmark measured, ms (heap in bytes). */
export type RestoreRun = {
  messages: number;
  /** Navigation start to the last message shown, each launch. */
  shownMs: number[];
  /** Process spawn to the last message shown, each launch. */
  relaunchMs: number[];
  loadMs: number;
  selectMs: number;
  tailLoadMs: number;
  tailSelectMs: number;
  heapBytes: number;
};

/** Runs the restore benchmark. Throws if the last message does not show within 60 s. */
export async function benchRestore(): Promise<RestoreRun> {
  const root = scratch('bench-restore');
  const dataDir = join(root, 'data');
  try {
    const data = writeStoredSessions(root, dataDir, { projects: 1, sessionsPerProject: 1, messagesPerSession: MESSAGES });
    const sessionId = data.projects[0]!.sessionIds[0]!;
    const loads = timeLoads(data.dbFile, sessionId);
    const shownMs: number[] = [];
    const relaunchMs: number[] = [];
    let heapBytes = 0;
    for (let i = 0; i < LAUNCHES; i++) {
      const browser = await openBrowser();
      try {
        await watchForRow(browser.page, 'assistant', 'last 0');
        // Corral is what relaunches, not the browser: a user's browser is already running, so its own start is done first.
        await chromiumSettled(process.pid);
        const spawnedAt = Date.now();
        const corral = await startCorral({ dataDir, env: { HOME: join(root, 'home') } });
        try {
          await browser.page.goto(corral.url);
          const shown = await shownAt(browser.page, 'last 0');
          shownMs.push(shown.sinceNavigationMs);
          relaunchMs.push(shown.epochMs - spawnedAt);
          if (i === LAUNCHES - 1) heapBytes = await heapAfterGc(browser.page);
        } finally {
          await corral.stop('SIGTERM');
        }
      } finally {
        await browser.close();
      }
    }
    return { messages: MESSAGES, shownMs, relaunchMs, ...loads, heapBytes };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Median ms of 15 runs each, after 3 warm-ups, the two taking turns so that the machine's drift reaches both
 * alike: `store.messages.load` of the whole session against a raw SELECT of the same rows, and
 * `store.messages.loadBefore` of the tail a restore reads against a raw SELECT of those rows.
 */
function timeLoads(dbFile: string, sessionId: string): Pick<RestoreRun, 'loadMs' | 'selectMs' | 'tailLoadMs' | 'tailSelectMs'> {
  const store = createStore(dbFile);
  try {
    const raw = store.db.query('SELECT seq_id, ts, event_json FROM messages WHERE session_id = ? ORDER BY seq_id');
    const rawTail = store.db.query('SELECT seq_id, ts, event_json FROM messages WHERE session_id = ? AND seq_id < ? ORDER BY seq_id DESC LIMIT ?');
    const pair = (rows: number, a: () => unknown[], b: () => unknown[]): [number, number] => {
      const once = (fn: () => unknown[]) => {
        const t = performance.now();
        if (fn().length !== rows) throw new Error('the session does not hold every message');
        return performance.now() - t;
      };
      for (let i = 0; i < 3; i++) [a, b].forEach(once);
      const runs: [number[], number[]] = [[], []];
      for (let i = 0; i < 15; i++) {
        runs[0].push(once(a));
        runs[1].push(once(b));
      }
      return [median(runs[0]), median(runs[1])];
    };
    const [loadMs, selectMs] = pair(MESSAGES, () => store.messages.load(sessionId), () => raw.all(sessionId));
    const [tailLoadMs, tailSelectMs] = pair(PAGE_MESSAGES, () => store.messages.loadBefore(sessionId, Number.MAX_SAFE_INTEGER, PAGE_MESSAGES).messages,
      () => rawTail.all(sessionId, Number.MAX_SAFE_INTEGER, PAGE_MESSAGES + 1).slice(0, PAGE_MESSAGES));
    return { loadMs, selectMs, tailLoadMs, tailSelectMs };
  } finally {
    store.close();
  }
}

/** The figures of a run, with their goals. */
export function restoreFigures(run: RestoreRun): Figure[] {
  const ratio = run.loadMs / run.selectMs;
  const shown = median(run.shownMs);
  const spread = (xs: number[]) => `${ms(median(xs))} (${ms(Math.min(...xs))} to ${ms(Math.max(...xs))}, ${xs.length} launches)`;
  return [
    { label: 'page load to last message', value: spread(run.shownMs), goal: `< ${SHOWN_GOAL_MS} ms`, met: shown < SHOWN_GOAL_MS },
    { label: 'process spawn to last message', value: spread(run.relaunchMs) },
    { label: `SQLite load, all ${count(run.messages)}`, value: `${run.loadMs.toFixed(1)} ms (raw SELECT ${run.selectMs.toFixed(1)} ms)` },
    { label: 'load / raw SELECT', value: times(ratio), goal: `<= ${LOAD_RATIO_GOAL}x`, met: ratio <= LOAD_RATIO_GOAL },
    { label: `SQLite load, the ${count(PAGE_MESSAGES)}-message tail a restore reads`, value: `${run.tailLoadMs.toFixed(1)} ms (raw SELECT ${run.tailSelectMs.toFixed(1)} ms)` },
    { label: 'UI heap after GC', value: mb(run.heapBytes) },
  ];
}
