/**
 * Desktop end-to-end harness: a private X display (Xvfb) with its own D-Bus
 * session and AT-SPI bus, Corral started the way a user does (`bun
 * src-bun/start.ts`, which runs `electrobun dev` and waits for the window),
 * and the window driven as a user would: pointer and keyboard through
 * xdotool, and read through its accessibility tree (test/desktop/atspi.py).
 *
 * Needs Debian's xvfb, xdotool, dbus, at-spi2-core, python3-gi,
 * gir1.2-atspi-2.0, imagemagick (screenshots), gcc + libx11-dev (the kit's
 * WM_DELETE_WINDOW tool) and Electrobun's core built by
 * ../shared/electrobun-core/build.sh; `.ci/run` installs them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../src-bun/ndjson/line-reader';

export const ROOT = join(import.meta.dir, '..', '..');
const KIT = join(ROOT, '..', 'shared', 'electrobun-core');

/** One node of the window's accessibility tree (see atspi.py). */
export type A11yNode = { depth: number; role: string; name: string; text: string; states: string[]; x: number; y: number; w: number; h: number };

/** A private display and session bus; `env` holds DISPLAY and DBUS_SESSION_BUS_ADDRESS for everything started on it. */
export type Display = { env: Record<string, string>; stop(): void };

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  let line = '';
  await readLines(stream, { line: (l) => { if (!line) line = l; }, oversized: () => {} }).catch(() => {});
  return line;
}

/** Starts Xvfb on a free display number, a D-Bus session bus and the AT-SPI bus on it. */
export async function startDisplay(): Promise<Display> {
  const xvfb = Bun.spawn(['Xvfb', '-displayfd', '1', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], { stdout: 'pipe', stderr: 'ignore' });
  const reader = xvfb.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  const display = `:${new TextDecoder().decode(value).trim()}`;
  const dbus = Bun.spawn(['dbus-daemon', '--session', '--nofork', '--nopidfile', '--print-address=1'], { stdout: 'pipe', stderr: 'ignore' });
  const dbusReader = dbus.stdout.getReader();
  const addr = new TextDecoder().decode((await dbusReader.read()).value).trim();
  dbusReader.releaseLock();
  const env = { DISPLAY: display, DBUS_SESSION_BUS_ADDRESS: addr };
  const atspi = Bun.spawn(['/usr/libexec/at-spi-bus-launcher', '--launch-immediately'], { env: { ...process.env, ...env }, stdout: 'ignore', stderr: 'ignore' });
  return {
    env,
    stop() {
      for (const p of [atspi, dbus, xvfb]) p.kill('SIGTERM');
    },
  };
}

/** A running desktop Corral, started through `npm start`'s entry. */
export type DesktopCorral = {
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  output: string[];
  /** PID of the app's Bun main process, and how long the window took, from its ready line. */
  appPid: number;
  windowMs: number;
  /** ms from spawning start.ts to the ready line */
  startMs: number;
  /** X id of the Corral window */
  windowId: string;
};

/** Runs `bun src-bun/start.ts --data-dir DIR`; resolves when the window is up, rejects with the output if start exits or falls back first. */
export async function startDesktop(opts: { dataDir: string; env: Record<string, string>; args?: string[] }): Promise<DesktopCorral> {
  const t0 = Date.now();
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src-bun', 'start.ts'), '--data-dir', opts.dataDir, '--no-open', ...(opts.args ?? [])], {
    cwd: ROOT, env: opts.env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe',
  });
  const output: string[] = [];
  const ready = await new Promise<{ appPid: number; windowMs: number }>((resolve, reject) => {
    const onLine = (line: string) => {
      output.push(line);
      const m = /\[corral\] window ready in (\d+) ms \(pid (\d+)\)/.exec(line);
      if (m) resolve({ windowMs: Number(m[1]), appPid: Number(m[2]) });
      if (line.startsWith('Corral web UI:')) reject(new Error(`fell back to the web mode:\n${output.slice(-30).join('\n')}`));
    };
    void readLines(proc.stdout, { line: onLine, oversized: () => {} }).then(() => reject(new Error(`start.ts ended before the window was up:\n${output.slice(-30).join('\n')}`)));
    void readLines(proc.stderr, { line: (l) => output.push(l), oversized: () => {} });
  }).catch(async (e: unknown) => {
    // A start that fell back to the web mode is still serving it: end it before reporting, so nothing is left running.
    proc.kill('SIGINT');
    await proc.exited;
    throw e;
  });
  const startMs = Date.now() - t0;
  const windowId = await eventually(async () => (await run(['xdotool', 'search', '--onlyvisible', '--name', '^Corral$'], opts.env)).split('\n')[0] ?? '', (id) => id !== '', 'the Corral X window', 10_000);
  return { proc, output, ...ready, startMs, windowId };
}

/** Runs a command and returns its stdout; throws with stderr on a non-zero exit. */
export async function run(argv: string[], env: Record<string, string>): Promise<string> {
  const p = Bun.spawn(argv, { env, stdout: 'pipe', stderr: 'pipe' });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}: ${err.trim()}`);
  return out.trim();
}

/** The window's accessibility tree, in document order. */
export async function tree(env: Record<string, string>): Promise<A11yNode[]> {
  return JSON.parse(await run(['/usr/bin/python3', join(import.meta.dir, 'atspi.py'), 'dump'], env)) as A11yNode[];
}

/** The first node with `role` whose name is `name` (exact), if any. */
export function byRole(nodes: A11yNode[], role: string, name?: string): A11yNode | undefined {
  return nodes.find((n) => n.role === role && (name === undefined || n.name === name));
}

/** The texts of every node under `parent` (by document order and depth), non-empty, in order; U+FFFC (an embedded child's placeholder) removed. */
export function textsUnder(nodes: A11yNode[], parent: A11yNode): string[] {
  const i = nodes.indexOf(parent);
  const out: string[] = [];
  for (let j = i + 1; j < nodes.length && nodes[j]!.depth > parent.depth; j++) {
    const text = nodes[j]!.text.replaceAll('\uFFFC', '').trim();
    if (text) out.push(text);
  }
  return out;
}

/** Polls `read` until `ok` holds; fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  let error: unknown;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (e) {
      error = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last saw ${JSON.stringify(last)?.slice(0, 2000) ?? String(error)}`);
    await Bun.sleep(200);
  }
}

/** Waits for a node matching `pick` in the window's tree. */
export async function waitForNode(env: Record<string, string>, pick: (nodes: A11yNode[]) => A11yNode | undefined, what: string, timeoutMs = 60_000): Promise<A11yNode> {
  const nodes = await eventually(() => tree(env), (t) => pick(t) !== undefined, what, timeoutMs);
  return pick(nodes)!;
}

/** Clicks the middle of a node with the pointer. */
export async function click(env: Record<string, string>, node: A11yNode): Promise<void> {
  await run(['xdotool', 'mousemove', '--sync', String(node.x + Math.floor(node.w / 2)), String(node.y + Math.floor(node.h / 2)), 'click', '1'], env);
}

/** Types text with the keyboard into whatever has focus. */
export async function typeText(env: Record<string, string>, text: string): Promise<void> {
  await run(['xdotool', 'type', '--delay', '8', '--', text], env);
}

/** Presses a key combination, e.g. `Return` or `ctrl+Return`. */
export async function key(env: Record<string, string>, combo: string): Promise<void> {
  await run(['xdotool', 'key', combo], env);
}

/** Gives the keyboard focus to a window (there is no window manager to do it on click). */
export async function focusWindow(env: Record<string, string>, windowId: string): Promise<void> {
  await run(['xdotool', 'windowfocus', '--sync', windowId], env);
}

/**
 * Takes the focus away from every app window, as switching to another app
 * does: the root window gets it, and the pointer leaves the window (with the
 * focus on the root, X sends keys to whatever window is under the pointer).
 */
export async function focusElsewhere(env: Record<string, string>): Promise<void> {
  const rootId = (await run(['xdotool', 'search', '--maxdepth', '0', '--name', ''], env)).split('\n')[0]!;
  await run(['xdotool', 'mousemove', '--sync', '1', '1'], env);
  await run(['xdotool', 'windowfocus', rootId], env);
}

let wmDelete: string | null = null;
/** Closes a window as a window manager's close button does (WM_DELETE_WINDOW), with the kit's tool built into `dir`. */
export async function closeWindow(env: Record<string, string>, windowId: string, dir: string): Promise<void> {
  if (!wmDelete) {
    mkdirSync(dir, { recursive: true });
    wmDelete = join(dir, 'wm_delete');
    await run(['gcc', '-O2', '-o', wmDelete, join(KIT, 'tools', 'wm_delete.c'), '-lX11'], env);
  }
  await run([wmDelete, windowId], env);
}

/** Saves a screenshot of the whole display as PNG (ImageMagick's import). */
export async function screenshotDisplay(env: Record<string, string>, file: string): Promise<void> {
  await run(['import', '-window', 'root', file], env);
}

/** PIDs of live processes whose environment holds `KEY=value` (every process the app started inherits CORRAL_DATA_DIR). */
export function processesWithEnv(key: string, value: string): number[] {
  const needle = `${key}=${value}\0`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) out.push(Number(name));
    } catch {
      // It exited while we looked.
    }
  }
  return out;
}

/** True when the kit's native core is laid into node_modules/electrobun. */
export const coreBuilt = (): boolean => existsSync(join(ROOT, 'node_modules', 'electrobun', 'dist-linux-x64', 'libNativeWrapper.so'));
