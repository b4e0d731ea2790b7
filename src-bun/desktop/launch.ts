/**
 * Starts the desktop app (`electrobun dev`) for `npm start` and watches it
 * until its window is up. The app says so on stdout (`[corral] window ready
 * in N ms (pid P)`, from src-bun/desktop/index.ts). If the app exits first,
 * or says nothing within the timeout, everything it started is ended (its
 * own process group: CLI, launcher, Bun, WebKit helpers, sidecars) and the
 * caller gets the reason in one line, to fall back to the web mode.
 */
import { readLines } from '../ndjson/line-reader';

/** How the launch went. `ready`: the window is up and `exited` settles when the app ends. */
export type LaunchResult =
  | { kind: 'ready'; appPid: number; windowMs: number; exited: Promise<number>; stop(): Promise<number> }
  | { kind: 'already-running'; message: string }
  | { kind: 'failed'; reason: string; crashSignal?: number };

export type LaunchOptions = {
  /** argv of the desktop app, e.g. [node_modules/.bin/electrobun, 'dev'] */
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** ms to wait for the window (default 20000) */
  timeoutMs?: number;
  /** where the app's output lines go (default: our stdout/stderr) */
  out?: (line: string) => void;
  err?: (line: string) => void;
};

const READY = /^\[corral\] window ready in (\d+) ms \(pid (\d+)\)/;
const ALREADY = /^\[corral\] already running: (.*)$/;

/** Launches and waits for the window; never throws for a failing app, only reports it. */
export async function launchDesktop(opts: LaunchOptions): Promise<LaunchResult> {
  const out = opts.out ?? ((l) => console.log(l));
  const err = opts.err ?? ((l) => console.error(l));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>;
  try {
    // detached: its own process group (setsid), so a terminal's Ctrl+C reaches only us and we end it in order.
    proc = Bun.spawn(opts.argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } catch (e) {
    return { kind: 'failed', reason: `could not start ${opts.argv[0]} (${e instanceof Error ? e.message : String(e)})` };
  }
  const pgid = proc.pid;
  let lastErr = '';
  let settle!: (r: LaunchResult | { kind: 'exit'; code: number }) => void;
  const first = new Promise<LaunchResult | { kind: 'exit'; code: number }>((r) => (settle = r));
  const exited = proc.exited;

  void readLines(proc.stdout, {
    line(text) {
      out(text);
      const ready = READY.exec(text);
      if (ready) settle({ kind: 'ready', appPid: Number(ready[2]), windowMs: Number(ready[1]), exited, stop: () => stopApp(Number(ready[2])) });
      const already = ALREADY.exec(text);
      if (already) settle({ kind: 'already-running', message: already[1]! });
    },
    oversized: () => {},
  });
  void readLines(proc.stderr, {
    line(text) {
      err(text);
      if (text.trim()) lastErr = text.trim();
    },
    oversized: () => {},
  });
  void exited.then((code) => settle({ kind: 'exit', code }));
  const timer = setTimeout(() => settle({ kind: 'failed', reason: `no window appeared within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);

  /** Asks the app to quit (SIGTERM to its Bun main, which stops sidecars and writes messages), then ends the group. */
  async function stopApp(appPid: number, graceMs = 15_000): Promise<number> {
    signal(appPid, 'SIGTERM');
    const code = await Promise.race([exited, Bun.sleep(graceMs).then(() => null)]);
    // Whatever is still in the group once the CLI is gone (or after the grace) is a straggler.
    signal(-pgid, 'SIGKILL');
    return code ?? exited;
  }

  const result = await first;
  clearTimeout(timer);
  if (result.kind === 'ready') return result;
  // Failed, timed out or refused: end whatever it started before anyone serves the web mode instead.
  signal(-pgid, 'SIGTERM');
  await Promise.race([exited, Bun.sleep(3000)]);
  // The CLI may be gone while a child that ignores SIGTERM (a hung launcher) lives on in its group.
  signal(-pgid, 'SIGKILL');
  await exited;
  if (result.kind === 'exit') {
    const reason = `the desktop app exited with code ${result.code} before its window appeared${lastErr ? ` (${lastErr.slice(0, 160)})` : ''}`;
    const crashSignal = result.code - 128;
    return CRASH_SIGNALS.has(crashSignal) ? { kind: 'failed', reason, crashSignal } : { kind: 'failed', reason };
  }
  return result;
}

/**
 * Signals of a crash, as an exit code of 128 + N says (the launcher mirrors its Bun's): SIGILL, SIGTRAP (a
 * GLib or WebKit assertion), SIGABRT, SIGBUS, SIGFPE, SIGSEGV. Not SIGINT, SIGTERM or SIGKILL: someone ended it.
 */
const CRASH_SIGNALS = new Set([4, 5, 6, 7, 8, 11]);

/**
 * {@link launchDesktop}, started once more when the app crashed before its window appeared (a native start
 * that fails now and then: one in a few dozen starts here died of SIGTRAP). `note` is told why, in one line.
 * Any other failure, or a second crash, is returned as it is.
 */
export async function launchDesktopRetrying(opts: LaunchOptions, note: (line: string) => void): Promise<LaunchResult> {
  const first = await launchDesktop(opts);
  if (first.kind !== 'failed' || first.crashSignal === undefined) return first;
  note(`${first.reason}; starting it once more`);
  return launchDesktop(opts);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
