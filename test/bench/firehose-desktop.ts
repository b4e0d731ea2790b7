/**
 * The end-to-end firehose in the desktop window: the same ACP agent
 * (firehose-agent.ts) streams N completed tool calls into the real
 * Electrobun window (WebKitGTK) under Xvfb, driven with xdotool and read
 * through its accessibility tree, as the desktop e2e does
 * (test/desktop/harness.ts). Measured: Send (ctrl+Return) to the first
 * accessibility-tree read that holds the last row, `firehose done N`.
 * Each read runs test/desktop/atspi.py, so the figure is an upper bound, late
 * by at most one read (its duration is printed). WebKitGTK offers no
 * long-task API from outside the window: long tasks are not measured here.
 *
 * The project's last session is a stored ACP session, so the pane's prompt
 * continues with the firehose agent (the agent cannot resume; the runner
 * opens a new ACP session and says so in the pane).
 *
 * Needs what the desktop e2e needs (Xvfb, dbus, at-spi2-core, python3-gi,
 * xdotool and Electrobun's native core); without it, says what is missing.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createStore } from '../../src-bun/core/store';
import { putSettings, scratch } from '../e2e/harness';
import { byRole, coreBuilt, focusWindow, key, startDesktop, startDisplay, textsUnder, tree, typeText, waitForNode, type A11yNode } from '../desktop/harness';
import { firehoseDone, firehosePrompt } from './firehose-agent';
import { FIREHOSE_AGENT, rawFirehose } from './firehose-raw';
import { count, median, ms, times, type Figure } from './report';

/** What one N measured in the window. */
export type DesktopFirehoseRun = { n: number; e2eMs: number; readMs: number; rawMs: number };

/** Why the desktop firehose cannot run here, or null when it can. */
export function desktopMissing(): string | null {
  const missing: string[] = [];
  if (!coreBuilt()) missing.push("Electrobun's native core (../shared/electrobun-core/build.sh)");
  for (const tool of ['Xvfb', 'xdotool', 'dbus-daemon']) if (!Bun.which(tool)) missing.push(tool);
  if (!existsSync('/usr/libexec/at-spi-bus-launcher')) missing.push('at-spi2-core');
  return missing.length ? `missing ${missing.join(', ')}` : null;
}

const messagesOf = (t: A11yNode[]) => {
  const log = byRole(t, 'log', 'Messages');
  return log ? textsUnder(t, log) : [];
};

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
  const env = { ...(process.env as Record<string, string>), ...display.env, HOME: join(root, 'home'), XDG_RUNTIME_DIR: join(root, 'home') };
  mkdirSync(env.HOME, { recursive: true });
  const corral = await startDesktop({ dataDir, env });
  const runs: DesktopFirehoseRun[] = [];
  try {
    await focusWindow(env, corral.windowId);
    const send = async (prompt: string) => {
      const box = await waitForNode(env, (t) => byRole(t, 'entry', 'Prompt'), 'the prompt box');
      await run(['xdotool', 'mousemove', '--sync', String(box.x + 20), String(box.y + 10), 'click', '1'], env);
      await typeText(env, prompt);
      await key(env, 'ctrl+Return');
    };
    // Warm-up turn: starts the sidecar and the agent and opens the ACP session.
    await send('warm up');
    await waitForNode(env, (t) => (messagesOf(t).includes('ready') ? byRole(t, 'log', 'Messages') : undefined), 'the warm-up answer', 60_000)
      .catch(async (e: unknown) => {
        const t = await tree(env);
        throw new Error(`the warm-up turn did not answer; the window shows ${JSON.stringify(messagesOf(t))} and ${JSON.stringify(t.filter((n) => n.role === 'alert' || n.role === 'status bar').map((n) => textsUnder(t, n)))}`, { cause: e });
      });
    for (const n of counts) {
      const raw: number[] = [];
      for (let i = 0; i < 3; i++) raw.push((await rawFirehose(n)).ms);
      const box = await waitForNode(env, (t) => byRole(t, 'entry', 'Prompt'), 'the prompt box');
      await run(['xdotool', 'mousemove', '--sync', String(box.x + 20), String(box.y + 10), 'click', '1'], env);
      await typeText(env, firehosePrompt(n));
      const sentAt = performance.now();
      await key(env, 'ctrl+Return');
      const reads: number[] = [];
      for (;;) {
        const t0 = performance.now();
        const nodes = await tree(env);
        reads.push(performance.now() - t0);
        if (messagesOf(nodes).includes(firehoseDone(n))) break;
        if (performance.now() - sentAt > 300_000) throw new Error(`${firehoseDone(n)} did not show in the window within 300 s`);
      }
      runs.push({ n, e2eMs: performance.now() - sentAt, readMs: median(reads), rawMs: median(raw) });
    }
  } finally {
    corral.proc.kill('SIGINT');
    await corral.proc.exited;
    display.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return runs;
}

async function run(argv: string[], env: Record<string, string>): Promise<void> {
  const p = Bun.spawn(argv, { env, stdout: 'ignore', stderr: 'pipe' });
  if ((await p.exited) !== 0) throw new Error(`${argv.join(' ')} failed: ${await new Response(p.stderr).text()}`);
}

/** The figures of one run: informational (an upper bound; see the module comment), so without goals. */
export function desktopFirehoseFigures(r: DesktopFirehoseRun): Figure[] {
  return [
    { label: 'last row in the window, at most', value: `${ms(r.e2eMs)} (one read of the window's accessibility tree takes ${ms(r.readMs)})` },
    { label: 'raw reader (median)', value: ms(r.rawMs) },
    { label: 'ratio to raw, at most', value: times(r.e2eMs / r.rawMs) },
    { label: 'long tasks', value: 'not measurable from outside WebKitGTK' },
  ];
}

/** Title of a run's figures. */
export const desktopFirehoseTitle = (n: number) => `\nEnd-to-end firehose in the desktop window: ${count(n)} completed tool calls from an ACP agent (Electrobun, WebKitGTK, Xvfb)`;
