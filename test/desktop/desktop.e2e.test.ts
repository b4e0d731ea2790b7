/**
 * The desktop app for real: `npm start`'s entry opens Corral's Electrobun
 * window under Xvfb; a user adds a project and runs a real Claude Code turn
 * (against the scripted model server) with pointer and keyboard; what the
 * window shows is read from its accessibility tree. Then: an OS notification
 * while unfocused, closing the window (exit 0, nothing left running), a
 * relaunch with the transcript and the window frame back, and a second start
 * on the same data dir that only brings the first window forward.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claudeOfflineVars } from '../agent-env';
import { FINAL_TEXT, OK_COMMAND } from '../model-server/scenarios';
import { startModelServer, type ModelServer } from '../model-server/server';
import {
  byRole, click, closeWindow, eventually, focusElsewhere, focusWindow, key, processesWithEnv, ROOT, run, screenshotDisplay, startDesktop, startDisplay,
  textsUnder, tree, typeText, waitForNode, type A11yNode, type DesktopCorral, type Display,
} from './harness';

const T = 120_000;
let display: Display;
let model: ModelServer;
let root: string;
let env: Record<string, string>;
let corral: DesktopCorral | null = null;
const dataDir = () => join(root, 'data');
const project = () => join(root, 'alpha');
const notifyLog = () => join(root, 'notify.log');
/** Timings for the closing note, printed at the end. */
const figures: string[] = [];

beforeAll(async () => {
  display = await startDisplay();
  model = await startModelServer({ slowDeltaMs: 60 });
  root = mkdtempSync(join(tmpdir(), 'corral-desktop-'));
  mkdirSync(project());
  mkdirSync(join(root, 'home', '.claude'), { recursive: true });
  // A notify-send that records what it was asked to show: the real one needs a notification daemon.
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'bin', 'notify-send'), `#!/bin/sh\nprintf '%s|' "$@" >> ${notifyLog()}\necho >> ${notifyLog()}\n`);
  chmodSync(join(root, 'bin', 'notify-send'), 0o755);
  env = {
    ...(process.env as Record<string, string>),
    ...display.env,
    ...claudeOfflineVars(join(root, 'home'), model.url),
    PATH: `${join(root, 'bin')}:${process.env.PATH}`,
    XDG_RUNTIME_DIR: join(root, 'home'),
  };
});

afterAll(async () => {
  if (corral && corral.proc.exitCode === null) {
    corral.proc.kill('SIGINT');
    await corral.proc.exited;
  }
  await model?.stop();
  display?.stop();
  console.log(`desktop e2e figures:\n  ${figures.join('\n  ')}`);
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The permission card for the Bash call, as the accessibility tree reads it (the card, its heading, the command), then its answer. */
const CARD_ROWS = (answer: string) => [
  `Permission requested: Run a command: ${OK_COMMAND}\nBash\n${OK_COMMAND}\n${answer}`,
  `Permission requested: Run a command: ${OK_COMMAND}`,
  OK_COMMAND,
];
/** What the window shows of the turn, row by row: the prompt, the Bash call, the answered card, the output, the answer. */
const TURN_ROWS = ['YOU', 'Check the shell works', `$ ${OK_COMMAND}`, 'Input', ...CARD_ROWS('Answered: Allow once'), 'Answered: Allow once', 'Bash output', 'corral-ok', FINAL_TEXT.tool];
const pane = (t: A11yNode[]) => byRole(t, 'landmark', 'alpha');
const messagesOf = (t: A11yNode[]) => {
  const log = byRole(t, 'log', 'Messages');
  return log ? textsUnder(t, log) : [];
};
const statusOf = (t: A11yNode[]) => {
  const s = byRole(t, 'status bar', 'Session status');
  return s ? textsUnder(t, s).join(' ') : '';
};
const sidecarPids = (): number[] => {
  const db = new Database(join(dataDir(), 'corral.db'), { readonly: true });
  try {
    return (db.query('SELECT sidecar_pid AS pid FROM sessions WHERE sidecar_pid IS NOT NULL').all() as { pid: number }[]).map((r) => r.pid);
  } finally {
    db.close();
  }
};
const alive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe('desktop window', () => {
  it('opens from npm start, adds a project and runs a real Claude Code turn with a tool call, all shown in the window', async () => {
    corral = await startDesktop({ dataDir: dataDir(), env });
    figures.push(`start to window ready: ${corral.startMs} ms (app's own count from its start: ${corral.windowMs} ms)`);
    const rss = Number(readFileSync(`/proc/${corral.appPid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
    figures.push(`main process RSS with the window open: ${rss.toFixed(0)} MB`);

    await focusWindow(env, corral.windowId);
    await click(env, await waitForNode(env, (t) => byRole(t, 'push button', 'Add project'), 'the Add project button'));
    await waitForNode(env, (t) => byRole(t, 'entry', 'Project path')?.states.includes('focused') ? byRole(t, 'entry', 'Project path') : undefined, 'the focused path field');
    await typeText(env, project());
    await key(env, 'Return');
    const prompt = await waitForNode(env, (t) => (pane(t) ? byRole(t, 'entry', 'Prompt') : undefined), 'the alpha pane with its prompt box');
    await click(env, prompt);
    await typeText(env, 'Check the shell works');
    await key(env, 'ctrl+Return');
    // The user switches to another app: the permission card and the end of the turn must raise OS notifications.
    await focusElsewhere(env);
    // The shipped mode (acceptEdits) asks before Bash: a card in the window, and "needs input" outside it.
    const allow = await waitForNode(env, (t) => byRole(t, 'push button', 'Allow once'), 'the permission card', T);
    expect(messagesOf(await tree(env))).toEqual(['YOU', 'Check the shell works', `$ ${OK_COMMAND}`, 'Input', ...CARD_ROWS('Message to the agent (optional, sent with Deny)')]);
    await eventually(async () => (existsSync(notifyLog()) ? readFileSync(notifyLog(), 'utf8') : ''), (s) => s.includes('needs input'), 'notify-send for the card', 10_000);
    expect(existsSync(join(project(), 'corral-ok.txt'))).toBe(false);
    await focusWindow(env, corral.windowId);
    await click(env, allow);
    await focusElsewhere(env);

    const done = await eventually(() => tree(env), (t) => statusOf(t).includes('done') && messagesOf(t).some((m) => m.includes(FINAL_TEXT.tool)), 'the finished turn in the window', T);
    expect(messagesOf(done)).toEqual(TURN_ROWS);
    // The window acknowledged every message frame (frame-pump.ts warns when one goes unacknowledged for 1 s).
    expect(corral.output.filter((l) => l.includes('did not acknowledge'))).toEqual([]);
    expect(readFileSync(join(project(), 'corral-ok.txt'), 'utf8')).toBe('corral-ok\n');
    const notified = await eventually(async () => (existsSync(notifyLog()) ? readFileSync(notifyLog(), 'utf8') : ''), (s) => s.includes('Agent completed on alpha'), 'notify-send for the finished turn', 10_000);
    expect(notified.trim().split('\n')).toEqual([`--app-name=Corral|--|Corral: attention|Agent needs input on alpha: Run a command: ${OK_COMMAND}|`, '--app-name=Corral|--|Corral|Agent completed on alpha|']);
    if (process.env.CORRAL_SCREENSHOTS) await screenshotDisplay(env, join(process.env.CORRAL_SCREENSHOTS, 'desktop-window.png'));
  }, T * 2);

  it('closing the window stops every sidecar, writes every message and exits 0, leaving no process', async () => {
    const c = corral!;
    const [sidecar] = sidecarPids();
    expect(sidecar && alive(sidecar)).toBe(true);
    // It runs on the Bun npm start runs on (the project's), not on the older one Electrobun bundles.
    expect(readlinkSync(`/proc/${sidecar}/exe`)).toBe(realpathSync(process.execPath));
    // A size and place of the user's own, to find again after the relaunch.
    await run(['xdotool', 'windowsize', c.windowId, '1100', '720'], env);
    await run(['xdotool', 'windowmove', c.windowId, '60', '40'], env);
    await eventually(async () => (existsSync(join(dataDir(), 'window.json')) ? readFileSync(join(dataDir(), 'window.json'), 'utf8') : ''), (s) => s.includes('"width":1100'), 'the saved window frame', 5000);

    const t0 = Date.now();
    await closeWindow(env, c.windowId, join(root, 'tools'));
    const code = await Promise.race([c.proc.exited, Bun.sleep(30_000).then(() => 'still running')]);
    figures.push(`window close to exit: ${Date.now() - t0} ms`);
    expect(code).toBe(0);
    expect(alive(sidecar!)).toBe(false);
    expect(await eventually(async () => processesWithEnv('CORRAL_DATA_DIR', dataDir()), (p) => p.length === 0, 'every process of the app to end', 10_000)).toEqual([]);
    const db = new Database(join(dataDir(), 'corral.db'), { readonly: true });
    const session = db.query('SELECT status, sidecar_pid FROM sessions').get() as { status: string; sidecar_pid: number | null };
    const stored = (db.query('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    db.close();
    expect(session).toEqual({ status: 'done', sidecar_pid: null });
    expect(stored).toBeGreaterThanOrEqual(5); // prompt, text, tool call, result, answer
    expect(existsSync(join(dataDir(), 'corral.lock'))).toBe(false);
  }, T);

  it('a relaunch shows the transcript again, in the window frame the user left', async () => {
    corral = await startDesktop({ dataDir: dataDir(), env });
    const restored = await eventually(() => tree(env), (t) => messagesOf(t).some((m) => m.includes(FINAL_TEXT.tool)), 'the restored transcript', 30_000);
    expect(messagesOf(restored)).toEqual(TURN_ROWS);
    expect(statusOf(restored)).toContain('done');
    const geometry = await run(['xdotool', 'getwindowgeometry', corral.windowId], env);
    expect(geometry).toContain('Position: 60,40');
    expect(geometry).toContain('Geometry: 1100x720');
  }, T);

  it('a second start on the same data dir brings the first window forward, and leaves its sidecars alone', async () => {
    const first = corral!;
    const prompt = await waitForNode(env, (t) => byRole(t, 'entry', 'Prompt'), 'the prompt box');
    await focusWindow(env, first.windowId);
    await click(env, prompt);
    await typeText(env, 'And now just say hello [scenario:text]');
    await key(env, 'ctrl+Return');
    await eventually(() => tree(env), (t) => messagesOf(t).some((m) => m.includes(FINAL_TEXT.text)), 'the follow-up answer', T);
    const [sidecar] = sidecarPids();
    expect(sidecar && alive(sidecar)).toBe(true);
    // It runs on the Bun npm start runs on (the project's), not on the older one Electrobun bundles.
    expect(readlinkSync(`/proc/${sidecar}/exe`)).toBe(realpathSync(process.execPath));

    const second = Bun.spawn([process.execPath, join(ROOT, 'src-bun', 'start.ts'), '--data-dir', dataDir()], { cwd: ROOT, env, stdout: 'pipe', stderr: 'pipe' });
    const [out, code] = await Promise.all([new Response(second.stdout).text(), second.exited]);
    expect(out.trim()).toBe(`Corral: Corral is already running on ${dataDir()} (PID ${first.appPid}, desktop mode); brought its window to the front.`);
    expect(code).toBe(0);
    expect(alive(first.appPid)).toBe(true);
    expect(alive(sidecar!)).toBe(true);
    expect(first.proc.exitCode).toBeNull();
  }, T);

  it('Ctrl+C in the terminal quits the window gracefully: exit 0 and nothing left', async () => {
    const c = corral!;
    c.proc.kill('SIGINT');
    expect(await c.proc.exited).toBe(0);
    expect(await eventually(async () => processesWithEnv('CORRAL_DATA_DIR', dataDir()), (p) => p.length === 0, 'every process of the app to end', 10_000)).toEqual([]);
    expect(c.output.some((l) => /\[corral\] stopped 1 sidecar\(s\), saved \d+ pending message\(s\)/.test(l))).toBe(true);
  }, T);
});
