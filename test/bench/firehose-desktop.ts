/**
 * The end-to-end firehose in the desktop window: the same ACP agent
 * (firehose-agent.ts) streams N completed tool calls into the real
 * Electrobun window (WebKitGTK) under Xvfb, the way the desktop e2e runs it
 * (test/desktop/harness.ts). The window is driven and timed from inside,
 * through WebKitGTK's remote inspector (webkit-inspector.ts): the prompt is
 * filled and Send clicked in the page, and the time is the page's own clock
 * from the click to the animation frame that shows the last row,
 * `firehose done N` (whose row's `data-position` proves every row before it
 * was applied), as in Chromium (page-probes.ts). WebKit has no long-task API:
 * main-thread stalls are read from a 10 ms timer heartbeat in the page, whose
 * gaps over 60 ms are stalls over 50 ms. Each N runs {@link REPEATS} times in
 * the same pane, after a warm-up turn and a warm-up firehose of
 * {@link WARM_UP_CALLS} (not measured); the figures are the median run's, the
 * stalls those of all runs.
 *
 * The project's last session is a stored ACP session, so the pane's prompt
 * continues with the firehose agent (the agent cannot resume; the runner
 * opens a new ACP session and says so in the pane).
 *
 * Needs what the desktop e2e needs (Xvfb, dbus, at-spi2-core, and
 * Electrobun's native core); without it, says what is missing.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src-bun/core/store';
import { putSettings, scratch } from '../e2e/harness';
import { coreBuilt, startDesktop, startDisplay } from '../desktop/harness';
import { LONG_TASK_GOAL_MS, RATIO_GOAL, TEN_K_GOAL_MS, type FirehoseTiming } from './firehose';
import { firehoseDone, firehosePrompt } from './firehose-agent';
import { FIREHOSE_AGENT, rawFirehose } from './firehose-raw';
import { cpuDelta, cpuMsByRole, stolenMs, type Role } from './process-usage';
import { count, median, ms, times, type Figure } from './report';
import { connectWebKitPage, type WebKitPage } from './webkit-inspector';

/** Runs per N, in the same pane; the figures are the median run's. */
const REPEATS = 3;
/** Tool calls of the warm-up firehose, not measured. */
const WARM_UP_CALLS = 5000;
/** Stalls count as long tasks do in Chromium. */
const STALL_GOAL_MS = LONG_TASK_GOAL_MS;

/** What one N measured in the window: times on the page's clock; the window's processes count as `other` in `cpuMs`. */
export type DesktopFirehoseRun = FirehoseTiming & {
  /** Main-thread stalls over 50 ms in all runs (heartbeat gaps), with the longest, ms. */
  stalls: { count: number; longestMs: number };
};

/** Why the desktop firehose cannot run here, or null when it can. */
export function desktopMissing(): string | null {
  const missing: string[] = [];
  if (!coreBuilt()) missing.push("Electrobun's native core (../shared/electrobun-core/build.sh)");
  for (const tool of ['Xvfb', 'dbus-daemon']) if (!Bun.which(tool)) missing.push(tool);
  if (!existsSync('/usr/libexec/at-spi-bus-launcher')) missing.push('at-spi2-core');
  return missing.length ? `missing ${missing.join(', ')}` : null;
}

/** A TCP port free on 127.0.0.1 a moment ago. */
function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const { port } = server;
  server.stop(true);
  return port;
}

/**
 * In the page: fills the prompt, clicks Send, and resolves on the first animation frame that shows `text` in an
 * assistant row placed after `afterPosition` (an earlier turn of the pane may show the same text), with the page-clock times, that row's `data-position`, and the heartbeat's stalls meanwhile.
 */
const sendAndWatch = (prompt: string, text: string, timeoutMs: number, afterPosition = -1) => `new Promise((resolve, reject) => {
  const box = document.querySelector('textarea[aria-label="Prompt"]');
  if (!box) return reject(new Error('no prompt box in the window'));
  box.value = ${JSON.stringify(prompt)};
  box.dispatchEvent(new Event('input', { bubbles: true }));
  requestAnimationFrame(() => {
    const send = box.form.querySelector('button[type="submit"]');
    if (!send || send.disabled) return reject(new Error('Send is not enabled'));
    const stalls = [];
    let beat = performance.now();
    let watching = true;
    const heartbeat = () => {
      const now = performance.now();
      if (now - beat > ${STALL_GOAL_MS + 10}) stalls.push(now - beat - 10);
      beat = now;
      if (watching) setTimeout(heartbeat, 10);
    };
    const clickedAt = performance.now();
    const frame = () => {
      for (const el of document.querySelectorAll('[data-role="assistant"]')) {
        if (!el.textContent.includes(${JSON.stringify(text)})) continue;
        const row = el.closest('[data-position]');
        if (Number(row ? row.getAttribute('data-position') : -1) <= ${afterPosition}) continue;
        watching = false;
        resolve({ clickedAt, shownAt: performance.now(), rowIndex: Number(row ? row.getAttribute('data-position') : -1), stalls });
        return;
      }
      if (performance.now() - clickedAt > ${timeoutMs}) { watching = false; reject(new Error(${JSON.stringify(`"${text}" was not shown within ${timeoutMs} ms`)})); }
      else requestAnimationFrame(frame);
    };
    send.click();
    setTimeout(heartbeat, 10);
    requestAnimationFrame(frame);
  });
})`;

type Shown = { clickedAt: number; shownAt: number; rowIndex: number; stalls: number[] };

/** Polls `expression` in the page every 100 ms until it is truthy. Throws after `timeoutMs`, naming `what`. */
async function waitInPage(page: WebKitPage, expression: string, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`${what} did not show in the window within ${timeoutMs} ms`);
    await Bun.sleep(100);
  }
}

/** Waits until the session status in the window says `done`. Throws after `timeoutMs`. */
const statusDone = (page: WebKitPage, timeoutMs: number) =>
  waitInPage(page, `document.querySelector('[role="status"][aria-label="Session status"]')?.textContent.includes('done')`, 'the status "done"', timeoutMs);

/** Runs the firehose in the desktop window for each of `counts`. Throws when the window or a row does not come. */
export async function benchFirehoseDesktop(counts: readonly number[]): Promise<DesktopFirehoseRun[]> {
  const root = scratch('bench-firehose-desktop');
  const dataDir = join(root, 'data');
  const folder = join(root, 'firehose');
  mkdirSync(folder);
  mkdirSync(dataDir);
  const store = createStore(join(dataDir, 'corral.db'));
  store.projects.insert({ id: 'firehose', name: 'firehose', path: folder, createdAt: 1 });
  store.sessions.insert({
    id: 'stored-acp', projectId: 'firehose', provider: 'acp', status: 'done', reason: 'completed', error: null, providerSessionId: null, model: null,
    costUsd: null, inputTokens: 0, outputTokens: 0, createdAt: 1, updatedAt: 1, cwd: folder, optionsJson: JSON.stringify({ permissionMode: 'bypassPermissions' }), sidecarPid: null, sidecarStartTicks: null,
  });
  store.messages.save('stored-acp', [{ seqId: 0, ts: 1, event: { type: 'text', id: 'u0', role: 'user', text: 'an earlier prompt', mode: 'replace' } }]);
  store.close();
  putSettings(dataDir, { permission_mode: 'bypassPermissions', provider_settings: { acp: { command: `${process.execPath} ${FIREHOSE_AGENT}` } } });

  const display = await startDisplay();
  const inspectorPort = freePort();
  const env = {
    ...(process.env as Record<string, string>), ...display.env, HOME: join(root, 'home'), XDG_RUNTIME_DIR: join(root, 'home'),
    WEBKIT_INSPECTOR_HTTP_SERVER: `127.0.0.1:${inspectorPort}`,
  };
  mkdirSync(env.HOME, { recursive: true });
  const runs: DesktopFirehoseRun[] = [];
  let corral: Awaited<ReturnType<typeof startDesktop>> | null = null;
  let page: WebKitPage | null = null;
  try {
    // Inside the try: a window that does not come still has its display, bus and scratch folder taken down.
    corral = await startDesktop({ dataDir, env });
    page = await connectWebKitPage(inspectorPort, 'Corral');
    const p = page;
    let lastRow = -1;
    // The restored pane: its stored prompt and a prompt box.
    await waitInPage(p, `document.querySelector('textarea[aria-label="Prompt"]') && document.querySelector('[role="log"][aria-label="Messages"]')?.textContent.includes('an earlier prompt')`, 'the restored pane', 30_000);
    // Warm-up turn: starts the sidecar and the agent and opens the ACP session.
    await p.evaluate(sendAndWatch('warm up', 'ready', 60_000)).catch((e: unknown) => {
      throw new Error('the warm-up turn did not answer in the window', { cause: e });
    });
    await statusDone(p, 30_000);
    // Warm-up firehose: the first big stream after a start runs while the window's, the main process's and the
    // sidecar's JavaScript engines first compile its path (it was 15 to 60 % slower than the next ones).
    await p.evaluate(sendAndWatch(firehosePrompt(WARM_UP_CALLS), firehoseDone(WARM_UP_CALLS), 120_000));
    await statusDone(p, 60_000);
    lastRow = await p.evaluate<number>(`Math.max(...[...document.querySelectorAll('[data-position]')].map((r) => Number(r.getAttribute('data-position'))))`);
    for (const n of counts) {
      const raw: number[] = [];
      for (let i = 0; i < 7; i++) raw.push((await rawFirehose(n)).ms);
      const each: { shown: Shown; cpuMs: Record<Role, number>; stolenMs: number }[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const cpuBefore = cpuMsByRole(process.pid);
        const stolenBefore = stolenMs();
        const shown = await p.evaluate<Shown>(sendAndWatch(firehosePrompt(n), firehoseDone(n), 300_000, lastRow));
        each.push({ shown, cpuMs: cpuDelta(cpuBefore, cpuMsByRole(process.pid)), stolenMs: stolenMs() - stolenBefore });
        // The prompt, a tool call and its result per call, the final text: the firehose's last row is 2n + 1 rows on.
        if (lastRow >= 0 && shown.rowIndex !== lastRow + 2 * n + 2) throw new Error(`the last row of the firehose of ${n} is row ${shown.rowIndex}, expected ${lastRow + 2 * n + 2}`);
        lastRow = shown.rowIndex;
        await statusDone(p, 60_000);
      }
      const mid = [...each].sort((a, b) => (a.shown.shownAt - a.shown.clickedAt) - (b.shown.shownAt - b.shown.clickedAt))[Math.floor(each.length / 2)]!;
      const stalls = each.flatMap((r) => r.shown.stalls);
      runs.push({
        n, e2eMs: mid.shown.shownAt - mid.shown.clickedAt, runsMs: each.map((r) => r.shown.shownAt - r.shown.clickedAt), rawMs: median(raw),
        stalls: { count: stalls.length, longestMs: Math.max(0, ...stalls) }, cpuMs: mid.cpuMs, stolenMs: each.reduce((sum, r) => sum + r.stolenMs, 0),
      });
    }
  } catch (e) {
    // The window's own words, when it went away (a crashed web process closes the inspector socket).
    const said = corral ? `\nCorral's last output:\n${corral.output.slice(-30).join('\n')}` : '';
    throw new Error(`the desktop firehose failed: ${e instanceof Error ? e.message : String(e)}${said}`, { cause: e });
  } finally {
    page?.close();
    if (corral) {
      corral.proc.kill('SIGINT');
      await corral.proc.exited;
    }
    display.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return runs;
}

/** The figures of one N in the window, with the goals of the firehose (issue 12). */
export function desktopFirehoseFigures(r: DesktopFirehoseRun): Figure[] {
  const ratio = r.e2eMs / r.rawMs;
  const c = r.cpuMs;
  return [
    { label: 'last row shown', value: `${ms(r.e2eMs)} (median of ${r.runsMs.map(ms).join(', ')})`, ...(r.n === 10_000 ? { goal: `<= ${ms(TEN_K_GOAL_MS)}`, met: r.e2eMs <= TEN_K_GOAL_MS } : {}) },
    { label: 'raw reader (median of 7)', value: ms(r.rawMs) },
    { label: 'ratio to raw', value: times(ratio), goal: `<= ${RATIO_GOAL}x`, met: ratio <= RATIO_GOAL },
    {
      label: 'main-thread stalls, all runs', value: `${r.stalls.count}, longest ${ms(r.stalls.longestMs)} (10 ms heartbeat; WebKit has no long-task API)`,
      goal: `none > ${STALL_GOAL_MS} ms`, met: r.stalls.count === 0,
    },
    { label: 'CPU time (ms)', value: `main and window ${(c.main + c.other).toFixed(0)}, sidecar ${c.sidecar.toFixed(0)}, agent ${c.agent.toFixed(0)}` },
    { label: 'CPU the host took (steal), all runs', value: ms(r.stolenMs) },
  ];
}

/** Title of a run's figures. */
export const desktopFirehoseTitle = (n: number) => `\nEnd-to-end firehose in the desktop window: ${count(n)} completed tool calls from an ACP agent (Electrobun, WebKitGTK, Xvfb)`;
