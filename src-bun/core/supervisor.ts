/**
 * Supervision policies for sidecars, kept apart from the session manager's
 * bookkeeping: the restart guard, zombie detection, the idle reaper's
 * ticking, and reaping orphans a crashed main process left behind. All
 * timing goes through the injected Clock.
 */
import type { Clock, TimerHandle } from '../../src/shared/clock';
import type { Logger } from './session-manager';
import { killGroup } from './sidecar-process';
import { readStat } from './process-tree';
import type { Store } from './store';

/** Automatic recoveries after crashes, per session, before giving up. */
export const MAX_RECOVERIES = 3;

/**
 * Whether to recover a session whose sidecar crashed: never after a fatal
 * provider error (auth, quota, prompt too long), at most {@link MAX_RECOVERIES}
 * times in a row, with backoff 1, 2, 4 s. `crashes` counts this one.
 */
export function recoveryDecision(crashes: number, fatal: boolean): { recover: true; delayMs: number } | { recover: false; why: string } {
  if (fatal) return { recover: false, why: 'the provider reported a fatal error' };
  if (crashes > MAX_RECOVERIES) return { recover: false, why: `recovery gave up after ${MAX_RECOVERIES} attempts` };
  return { recover: true, delayMs: 1000 * 2 ** (crashes - 1) };
}

/**
 * Zombie detection for one running sidecar. When nothing was written for
 * `idleMs`, and the process group used no CPU in that window, `onZombie`
 * fires. A long tool run that burns CPU (a test suite) only re-arms the watch.
 * Where CPU cannot be read (no /proc), silence alone is not enough to kill.
 */
export function watchForZombie(opts: {
  clock: Clock; idleMs: number; pgid: number; lastOutputAt: () => number;
  cpuTicks: (pgid: number) => number | null; onZombie: () => void;
}): { cancel(): void } {
  const { clock, idleMs } = opts;
  let timer: TimerHandle | null = null;
  let cpuAtArm: number | null = null;
  const arm = (delay: number) => {
    cpuAtArm = opts.cpuTicks(opts.pgid);
    timer = clock.setTimeout(check, Math.max(1, delay));
  };
  const check = () => {
    timer = null;
    const quietFor = clock.now() - opts.lastOutputAt();
    if (quietFor < idleMs) return arm(idleMs - quietFor);
    const cpu = opts.cpuTicks(opts.pgid);
    if (cpu !== null && cpuAtArm !== null && cpu === cpuAtArm) return opts.onZombie();
    arm(idleMs);
  };
  if (idleMs > 0) arm(idleMs);
  return { cancel: () => clock.clearTimeout(timer) };
}

/** Calls `tick` every `intervalMs()` (re-read each time, so a settings change applies); 0 pauses until re-read. */
export function startReaper(clock: Clock, intervalMs: () => number, tick: () => void): { stop(): void } {
  let timer: TimerHandle | null = null;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const ms = intervalMs();
    // While disabled, look again in a minute in case the setting changes.
    timer = clock.setTimeout(() => {
      if (intervalMs() > 0) tick();
      schedule();
    }, ms > 0 ? ms : 60_000);
  };
  schedule();
  return { stop: () => { stopped = true; clock.clearTimeout(timer); } };
}

/**
 * After a crash of the main process: kills the process groups of recorded
 * sidecars that are still alive, but only when the live process's start time
 * matches the recorded one, so a reused pid is never touched. Returns the pids killed.
 */
export function reapOrphans(store: Store, log: Logger, readStart: (pid: number) => number | null = (pid) => readStat(pid)?.startTicks ?? null): number[] {
  const killed: number[] = [];
  for (const s of store.sessions.withSidecar()) {
    const pid = s.sidecarPid!;
    const start = readStart(pid);
    if (start !== null && s.sidecarStartTicks !== null && start === s.sidecarStartTicks) {
      killGroup(pid, 'SIGKILL');
      killed.push(pid);
      log.warn(`killed orphan sidecar group ${pid} of session ${s.id} left by a previous run`);
    }
    store.sessions.update(s.id, { sidecarPid: null, sidecarStartTicks: null });
  }
  return killed;
}
