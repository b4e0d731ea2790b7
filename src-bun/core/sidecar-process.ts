/**
 * One sidecar process: spawned without a shell in its own process group,
 * fed commands on stdin, read as AgentEvent NDJSON on stdout. Lines that are
 * not JSON, not a known event, or over 8 MiB are counted and logged, never
 * fatal. Killing always targets the whole group, so the agent CLI the
 * sidecar started goes with it.
 */
import type { Subprocess } from 'bun';
import { AgentEventSchema, type AgentEvent } from '../../src/shared/events';
import type { SidecarCommand } from '../sidecar-protocol';
import { readLines } from '../ndjson/line-reader';
import { groupMembers, readStat } from './process-tree';

/** How long a sidecar may live on after closing its stdout before it is killed, ms. */
export const STDOUT_CLOSED_GRACE_MS = 1000;

export type SidecarExit = { code: number | null; signal: string | null };

export type SidecarCallbacks = {
  event(event: AgentEvent): void;
  /** A line that was dropped; `head` is its first 200 characters. */
  badLine(reason: string, head: string): void;
  /** Called once, after stdout has been read to its end and the process has exited. */
  exit(exit: SidecarExit): void;
};

export type SidecarHandle = {
  pid: number;
  /** /proc start time in clock ticks after boot (null where /proc is unavailable); see process-tree.ts */
  startTicks: number | null;
  send(command: SidecarCommand): boolean;
  /** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves when the process has exited. */
  kill(graceMs?: number): Promise<SidecarExit>;
  readonly exited: Promise<SidecarExit>;
  /** Lines dropped so far. */
  readonly badLines: number;
};

/** Sends `signal` to the process group led by `pid`; false when no such group exists. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns `argv` (e.g. `[bunPath, 'src-bun/sidecar.ts']`) with `env`, in its
 * own process group (setsid). Throws if the executable cannot be started.
 */
export function spawnSidecar(argv: string[], env: Record<string, string>, cb: SidecarCallbacks): SidecarHandle {
  const proc: Subprocess<'pipe', 'pipe', 'pipe'> = Bun.spawn(argv, { env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', detached: true });
  let badLines = 0;
  let stdinOpen = true;
  const drop = (reason: string, head: string) => {
    badLines++;
    cb.badLine(reason, head.slice(0, 200));
  };

  const stdoutDone = readLines(proc.stdout, {
    line(text) {
      if (!text.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return drop('not JSON', text);
      }
      const parsed = AgentEventSchema.safeParse(raw);
      if (!parsed.success) return drop(`not an AgentEvent: ${parsed.error.issues[0]?.message ?? 'invalid'}`, text);
      cb.event(parsed.data);
    },
    oversized: (head, bytes) => drop(`line of ${bytes} bytes is over the 8 MiB limit`, head),
  }).catch((e: unknown) => drop(`stdout read failed: ${String(e)}`, ''));
  // stderr is diagnostics only; drain it so the child never blocks on a full pipe.
  const stderrDone = readLines(proc.stderr, { line: (l) => l && console.error(`[sidecar ${proc.pid}] ${l.slice(0, 500)}`), oversized: () => {} }).catch(() => {});

  // A sidecar that closes stdout but lives on can no longer report anything: take its group down.
  void stdoutDone.then(async () => {
    const stillRunning = await Promise.race([proc.exited.then(() => false), Bun.sleep(STDOUT_CLOSED_GRACE_MS).then(() => true)]);
    if (stillRunning) {
      drop('stdout closed while the process kept running; killing it', '');
      killGroup(proc.pid, 'SIGKILL');
    }
  });

  const exited = (async (): Promise<SidecarExit> => {
    const code = await proc.exited;
    await Promise.all([stdoutDone, stderrDone]);
    stdinOpen = false;
    const exit = { code: proc.signalCode ? null : code, signal: proc.signalCode ?? null };
    cb.exit(exit);
    return exit;
  })();

  return {
    pid: proc.pid,
    startTicks: readStat(proc.pid)?.startTicks ?? null,
    exited,
    get badLines() { return badLines; },
    send(command) {
      if (!stdinOpen || proc.exitCode !== null || proc.signalCode) return false;
      try {
        proc.stdin.write(JSON.stringify(command) + '\n');
        proc.stdin.flush();
        return true;
      } catch {
        return false;
      }
    },
    async kill(graceMs = 5000) {
      if (proc.exitCode === null && !proc.signalCode) {
        killGroup(proc.pid, 'SIGTERM');
        let timer: ReturnType<typeof setTimeout> | undefined;
        const forced = new Promise<void>((res) => { timer = setTimeout(() => { killGroup(proc.pid, 'SIGKILL'); res(); }, graceMs); });
        await Promise.race([proc.exited, forced]);
        clearTimeout(timer);
      }
      // The leader may be gone while the agent CLI it started lives on in the group.
      killGroup(proc.pid, 'SIGKILL');
      await groupGone(proc.pid, 2000);
      return exited;
    },
  };
}

/** Waits (up to `maxMs`) until no live process is left in group `pgid`, so a stop returns only when the whole tree is gone. */
async function groupGone(pgid: number, maxMs: number): Promise<void> {
  for (let waited = 0; waited < maxMs && groupMembers(pgid).length > 0; waited += 25) await Bun.sleep(25);
}
