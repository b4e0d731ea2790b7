/**
 * Runs a provider CLI's own login flow for the user: `claude auth login`,
 * `codex login` or `codex login --device-auth`. The CLI is spawned without a
 * shell in its own process group; its output (URL, one-time code, progress)
 * is pushed to the UI as `providers.login` updates; a line the user types
 * (Claude's pasted code) goes to its stdin; cancel kills the whole group.
 * One flow runs at a time. When it ends, the UI asks `providers.list` again.
 */
import type { Clock } from '../../../src/shared/clock';
import type { ProviderId } from '../../../src/shared/providers';
import type { LoginUpdate } from '../../../src/shared/rpc/providers-login';
import type { LoginFlow } from '../../../src/shared/sign-in';
import { groupMembers } from '../../core/process-tree';
import { buildSidecarEnv } from '../../core/sidecar-env';
import { killGroup } from '../../core/sidecar-process';
import { deviceCode, outputLines, signInUrl } from './login-output';

/** SIGTERM→SIGKILL grace of a cancelled login, ms. */
export const LOGIN_CANCEL_GRACE_MS = 2000;
/** A login the user walked away from is ended after this long, ms (the CLIs' own code expiry is shorter). */
export const LOGIN_MAX_MS = 15 * 60_000;
/** Raw output kept per flow, characters (the newest). */
const RAW_CHARS = 64 * 1024;

/** Which executable each flow runs: the paths sessions use. */
export type LoginExecutables = { claude: string | null; codex: string | null };

export type LoginRunnerDeps = {
  /** Pushes an update to every client. */
  publish(update: LoginUpdate): void;
  /** The main process environment, filtered like a sidecar's. */
  env: Record<string, string | undefined>;
  /** The executables, resolved from the current settings at each start. */
  executables(): LoginExecutables;
  clock: Clock;
};

type Running = {
  update: LoginUpdate;
  proc: ReturnType<typeof Bun.spawn<'pipe', 'pipe', 'pipe'>>;
  raw: string;
  cancelled: boolean;
  expiry: unknown;
  exited: Promise<void>;
};

const FLOW_PROVIDER: Record<LoginFlow['id'], ProviderId> = { claude: 'claude', codex: 'codex', 'codex-device': 'codex' };

/** The argv of a flow, or null when its CLI is not found. */
export function loginArgv(flow: LoginFlow['id'], executables: LoginExecutables): string[] | null {
  if (flow === 'claude') return executables.claude ? [executables.claude, 'auth', 'login'] : null;
  if (!executables.codex) return null;
  return flow === 'codex' ? [executables.codex, 'login'] : [executables.codex, 'login', '--device-auth'];
}

/** Creates the runner; nothing runs until {@link start}. */
export function createLoginRunner(deps: LoginRunnerDeps) {
  let current: Running | null = null;
  let seq = 0;

  function emit(run: Running, patch: Partial<LoginUpdate> = {}) {
    const output = outputLines(run.raw);
    run.update = { ...run.update, output, url: signInUrl(output), code: deviceCode(output), ...patch };
    deps.publish(run.update);
  }

  async function pump(run: Running, stream: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      run.raw = (run.raw + decoder.decode(chunk, { stream: true })).slice(-RAW_CHARS);
      emit(run);
    }
  }

  /** SIGTERM to the group, SIGKILL after the grace; resolves when no process of the group is left. */
  async function killRun(run: Running): Promise<void> {
    killGroup(run.proc.pid, 'SIGTERM');
    let forced: unknown;
    await Promise.race([
      run.proc.exited,
      new Promise<void>((resolve) => { forced = deps.clock.setTimeout(() => { killGroup(run.proc.pid, 'SIGKILL'); resolve(); }, LOGIN_CANCEL_GRACE_MS); }),
    ]);
    deps.clock.clearTimeout(forced);
    // A browser opener or helper the CLI started lives in the same group.
    killGroup(run.proc.pid, 'SIGKILL');
    for (let i = 0; i < 80 && groupMembers(run.proc.pid).length > 0; i++) await Bun.sleep(25);
    await run.exited;
  }

  /**
   * Starts `flow`. Fails (never throws) when another flow is running, the CLI
   * is not found, or it cannot be spawned.
   */
  function start(flow: LoginFlow['id']): { ok: true; login: LoginUpdate } | { ok: false; error: string } {
    if (current) return { ok: false, error: 'A login is already running; cancel it first' };
    const argv = loginArgv(flow, deps.executables());
    if (!argv) return { ok: false, error: `The ${FLOW_PROVIDER[flow] === 'claude' ? 'Claude Code' : 'Codex'} CLI was not found` };
    let proc: Running['proc'];
    try {
      proc = Bun.spawn(argv, { env: buildSidecarEnv(deps.env), stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', detached: true });
    } catch (e) {
      return { ok: false, error: `Could not start ${argv[0]}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const update: LoginUpdate = { loginId: `login-${++seq}`, provider: FLOW_PROVIDER[flow], flow, state: 'running', output: [], url: null, code: null, message: null };
    const run: Running = { update, proc, raw: '', cancelled: false, expiry: null, exited: Promise.resolve() };
    run.expiry = deps.clock.setTimeout(() => void cancel(update.loginId), LOGIN_MAX_MS);
    run.exited = (async () => {
      await Promise.all([pump(run, proc.stdout).catch(() => {}), pump(run, proc.stderr).catch(() => {}), proc.exited]);
      deps.clock.clearTimeout(run.expiry);
      if (current === run) current = null;
      const code = proc.exitCode;
      if (run.cancelled) emit(run, { state: 'cancelled', message: null });
      else if (code === 0) emit(run, { state: 'succeeded', message: null });
      else emit(run, { state: 'failed', message: code === null ? `ended by signal ${proc.signalCode ?? 'unknown'}` : `exited with code ${code}` });
    })();
    current = run;
    deps.publish(update);
    return { ok: true, login: update };
  }

  /** Writes `text` and a newline to the running flow's stdin; false when `loginId` is not running. */
  function input(loginId: string, text: string): boolean {
    if (current?.update.loginId !== loginId) return false;
    try {
      current.proc.stdin.write(`${text.replace(/[\r\n]+/g, '')}\n`);
      current.proc.stdin.flush();
      return true;
    } catch {
      return false;
    }
  }

  /** Cancels the running flow; resolves true once its whole group is gone, false when `loginId` is not running. */
  async function cancel(loginId: string): Promise<boolean> {
    const run = current;
    if (run?.update.loginId !== loginId) return false;
    run.cancelled = true;
    await killRun(run);
    return true;
  }

  return {
    start,
    input,
    cancel,
    /** The running flow's latest update, for a client that connects mid-flow. */
    current: (): LoginUpdate | null => current?.update ?? null,
    /** Cancels whatever runs (on quit). */
    async shutdown(): Promise<void> {
      if (current) await cancel(current.update.loginId);
    },
  };
}
export type LoginRunner = ReturnType<typeof createLoginRunner>;
