/**
 * End-to-end firehose benchmark: the firehose ACP agent
 * (test/bench/firehose-agent.ts) streams N completed tool calls into one pane
 * of the real web mode in Chromium. Measured: the time from pressing Send to
 * the animation frame that shows the last row (`firehose done N`, whose row
 * index proves every row before it was applied), the long tasks meanwhile,
 * and the reference: the same stream into a bare reader that parses each
 * line (firehose-raw.ts; the median of 7 runs, each with a fresh agent as each
 * end-to-end run has). The agent and its session are warmed up by a first
 * prompt in the same pane, so neither figure includes process start. Each N
 * runs {@link REPEATS} times, each in a pane of its own; the figures are
 * those of the median run (by time to the last row), the long tasks those of
 * all runs, and `runsMs` lists every run's time.
 *
 * Goals (issue 12): at most 8x the raw time, at most 1 s at N = 10,000, no
 * long task over 50 ms.
 */
import { Database } from 'bun:sqlite';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { addProject, openBrowser, pane, putSettings, scratch, sendPrompt, startCorral, eventually, waitForText } from '../e2e/harness';
import { firehoseDone, firehosePrompt } from './firehose-agent';
import { FIREHOSE_AGENT, rawFirehose } from './firehose-raw';
import { clickUntilShown, longTasksSince, observeLongTasks } from './page-probes';
import { cpuDelta, cpuMsByRole, stolenMs, type Role } from './process-usage';
import { count, median, ms, times, type Figure } from './report';

/** The timing of one N, in Chromium or in the desktop window (firehose-desktop.ts). */
export type FirehoseTiming = {
  n: number;
  /** Send to last row shown, ms (the median run). */
  e2eMs: number;
  /** Every run's Send to last row shown, ms, in run order. */
  runsMs: number[];
  /** Median of the raw reader's runs, ms. */
  rawMs: number;
  /** CPU time per process role from Send to the last row shown (the median run), ms. */
  cpuMs: Record<Role, number>;
  /** CPU time the host took from this machine from Send to the last row shown, all runs together, ms (process-usage.ts `stolenMs`). */
  stolenMs: number;
};

/** What one N measured. */
export type FirehoseRun = FirehoseTiming & {
  longTasks: { count: number; longestMs: number };
  /** Messages stored for the firehose turn (2 per tool call, the prompt and the final text). */
  storedRows: number;
  /** Message rows in the DOM when the last one showed (the list is virtualized). */
  domRows: number;
};

/** The firehose's goals (issue 12), shared with the desktop window's run (firehose-desktop.ts): longest task, ms; ratio to raw; time at N = 10,000, ms. */
export const LONG_TASK_GOAL_MS = 50;
/** Runs per N; the figures are the median run's. */
const REPEATS = 3;
export const RATIO_GOAL = 8;
export const TEN_K_GOAL_MS = 1000;

/**
 * Runs the benchmark for each of `counts` (one pane per N, one Corral and one
 * Chromium for all) and returns the runs. Throws when a run does not show
 * every row, or stores fewer than it showed.
 */
export async function benchFirehose(counts: readonly number[], opts: { rawRuns?: number; profileDir?: string } = {}): Promise<FirehoseRun[]> {
  const root = scratch('bench-firehose');
  const dataDir = join(root, 'data');
  // Profiling: every Bun process (main, sidecar, agent) writes a .cpuprofile on exit; the page is profiled over CDP.
  const profiling: Record<string, string> = opts.profileDir ? { BUN_OPTIONS: `--cpu-prof --cpu-prof-dir=${opts.profileDir}` } : {};
  const corral = await startCorral({ dataDir, env: { HOME: join(root, 'home'), ...profiling } });
  putSettings(dataDir, {
    permission_mode: 'bypassPermissions',
    provider_settings: { acp: { command: `${process.execPath} ${FIREHOSE_AGENT}` } },
  });
  const browser = await openBrowser();
  const runs: FirehoseRun[] = [];
  try {
    await observeLongTasks(browser.page);
    await browser.page.goto(corral.url);
    for (const n of counts) {
      const raw: number[] = [];
      for (let i = 0; i < (opts.rawRuns ?? 7); i++) raw.push((await rawFirehose(n)).ms);
      const each: Omit<FirehoseRun, 'rawMs' | 'runsMs'>[] = [];
      // A profile is of one run: profiling the others would only add up the same.
      for (let i = 0; i < (opts.profileDir ? 1 : REPEATS); i++) each.push(await oneRun(browser.page, root, dataDir, n, i, opts.profileDir));
      const mid = [...each].sort((a, b) => a.e2eMs - b.e2eMs)[Math.floor(each.length / 2)]!;
      const tasks = { count: each.reduce((sum, r) => sum + r.longTasks.count, 0), longestMs: Math.max(...each.map((r) => r.longTasks.longestMs)) };
      runs.push({ ...mid, longTasks: tasks, runsMs: each.map((r) => r.e2eMs), rawMs: median(raw), stolenMs: each.reduce((sum, r) => sum + r.stolenMs, 0) });
    }
  } finally {
    await browser.close();
    await corral.stop('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
  return runs;
}

async function oneRun(page: Page, root: string, dataDir: string, n: number, repeat: number, profileDir?: string): Promise<Omit<FirehoseRun, 'rawMs' | 'runsMs'>> {
  const name = `firehose-${n}-${repeat + 1}`;
  mkdirSync(join(root, name));
  const p = await addProject(page, join(root, name), name);
  await p.getByRole('combobox', { name: 'Provider' }).selectOption('acp');
  // Warm-up turn: starts the sidecar and the agent and opens the ACP session.
  await sendPrompt(p, 'warm up');
  await waitForText(p.getByRole('log', { name: 'Messages' }).locator('[data-role="assistant"]'), 'ready');
  await waitForText(p.getByRole('status', { name: 'Session status' }), 'done');

  await p.getByRole('textbox', { name: 'Prompt' }).fill(firehosePrompt(n));
  const profiler = profileDir ? await startPageProfile(page) : null;
  const cpuBefore = cpuMsByRole(process.pid);
  const stolenBefore = stolenMs();
  const shown = await clickUntilShown(p.getByRole('button', { name: 'Send' }), pane(page, name), 'assistant', firehoseDone(n), 300_000);
  if (profiler && profileDir) writeFileSync(join(profileDir, `renderer-${n}.cpuprofile`), JSON.stringify(await profiler.stop()));
  const cpuMs = cpuDelta(cpuBefore, cpuMsByRole(process.pid));
  const stolen = stolenMs() - stolenBefore;
  const domRows = await p.locator('[data-index]').count();
  const tasks = await longTasksSince(page, shown.clickedAt);
  // Rows: warm-up prompt and answer, then the prompt, a tool call and its result per call, and the final text.
  const expectedIndex = 2 + 1 + 2 * n;
  if (shown.rowIndex !== expectedIndex) throw new Error(`the last row of ${name} is row ${shown.rowIndex}, expected ${expectedIndex}`);
  await waitForText(p.getByRole('status', { name: 'Session status' }), 'done');
  // The main process stores what the UI confirms, debounced: the rows land within a debounce window of the last one shown.
  const storedRows = await eventually(() => Promise.resolve(storedRowsOfTurn(dataDir, name, firehosePrompt(n))), (rows) => rows === 2 * n + 2, `${2 * n + 2} stored rows of ${name}`, 30_000)
    .catch(() => storedRowsOfTurn(dataDir, name, firehosePrompt(n)));
  if (storedRows !== 2 * n + 2) throw new Error(`${storedRows} rows of ${name} are stored, expected ${2 * n + 2}`);
  return {
    n,
    e2eMs: shown.shownAt - shown.clickedAt,
    longTasks: { count: tasks.length, longestMs: Math.max(0, ...tasks.map((t) => t.durationMs)) },
    storedRows,
    domRows,
    cpuMs,
    stolenMs: stolen,
  };
}

/** Starts the page's CPU profiler (CDP `Profiler`, 1 ms sampling); `stop` returns the `.cpuprofile`. */
async function startPageProfile(page: Page): Promise<{ stop(): Promise<unknown> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.detach();
      return profile;
    },
  };
}

/** Messages stored for the project's firehose turn: from its prompt on. */
function storedRowsOfTurn(dataDir: string, project: string, prompt: string): number {
  const db = new Database(join(dataDir, 'corral.db'), { readonly: true });
  try {
    const row = db.query(`WITH s AS (SELECT s.id FROM sessions s JOIN projects p ON p.id = s.project_id WHERE p.name = ?)
      SELECT COUNT(*) AS n FROM messages WHERE session_id IN (SELECT id FROM s) AND seq_id >=
        (SELECT MIN(seq_id) FROM messages WHERE session_id IN (SELECT id FROM s) AND json_extract(event_json, '$.text') = ?)`).get(project, prompt) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

/** The figures of one run, with their goals. */
export function firehoseFigures(run: FirehoseRun): Figure[] {
  const ratio = run.e2eMs / run.rawMs;
  const c = run.cpuMs;
  const figures: Figure[] = [
    { label: 'last row shown', value: `${ms(run.e2eMs)} (median of ${run.runsMs.map(ms).join(', ')})`, ...(run.n === 10_000 ? { goal: `<= ${ms(TEN_K_GOAL_MS)}`, met: run.e2eMs <= TEN_K_GOAL_MS } : {}) },
    { label: 'raw reader (median of 7)', value: ms(run.rawMs) },
    { label: 'ratio to raw', value: times(ratio), goal: `<= ${RATIO_GOAL}x`, met: ratio <= RATIO_GOAL },
    {
      label: 'long tasks, all runs', value: `${run.longTasks.count}, longest ${ms(run.longTasks.longestMs)}`,
      goal: `none > ${LONG_TASK_GOAL_MS} ms`, met: run.longTasks.count === 0,
    },
    { label: 'CPU time (ms)', value: `main ${c.main.toFixed(0)}, sidecar ${c.sidecar.toFixed(0)}, agent ${c.agent.toFixed(0)}, Chromium ${c.chromium.toFixed(0)}` },
    { label: 'stored rows / DOM rows', value: `${count(run.storedRows)} / ${run.domRows}` },
    { label: 'CPU the host took (steal), all runs', value: ms(run.stolenMs) },
  ];
  return figures;
}
