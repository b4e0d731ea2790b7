/**
 * Lets a sidecar, and the agent CLI it starts, yield the CPU to Corral's
 * window when the machine is busy.
 *
 * Linux's autogroup scheduling (`CONFIG_SCHED_AUTOGROUP`, on by default in
 * most distributions; see sched(7), "The autogroup feature") shares the CPU
 * fairly between sessions (setsid), not between processes, and a process's
 * nice value counts only inside its own session. A sidecar runs in a session
 * of its own (so that its process group can be killed as one), which on a
 * 2-core machine gave an agent that streams flat out the same CPU share as the
 * whole UI: the window's frames waited 50 to 120 ms for a core (long tasks
 * in `npm run bench`'s firehose). Raising the nice value of the sidecar's
 * session (`/proc/self/autogroup`) to {@link SIDECAR_AUTOGROUP_NICE} gives it
 * about a third of the UI's weight while both want the CPU; a sidecar alone
 * still gets all of it.
 *
 * Raising a nice value needs no privilege; nothing here ever lowers one.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** The nice value a sidecar's autogroup gets (0 is the default; 19 the lowest priority). Weight 335 against 1024 at 0. */
export const SIDECAR_AUTOGROUP_NICE = 5;

/**
 * What {@link yieldCpuToUi} did:
 * - `applied`: the session's autogroup now has `nice`;
 * - `unsupported`: not Linux, no autogroup scheduling, or the process is not
 *   a session leader (its autogroup is its parent's, which must keep its
 *   priority), with the reason;
 * - `failed`: the kernel refused the write, with its error.
 */
export type CpuPriorityOutcome =
  | { kind: 'applied'; nice: number }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'failed'; error: string };

/**
 * The session id in the text of `/proc/<pid>/stat` (proc(5): `pid (comm)
 * state ppid pgrp session ...`; `comm` may hold spaces and parentheses, so
 * the fields are counted from its last `)`). Throws when the text is not in
 * that format.
 */
export function sessionIdOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const session = Number(fields[3]);
  if (stat.lastIndexOf(')') < 0 || !Number.isInteger(session) || session < 0) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return session;
}

/** The nice value in the text of `/proc/<pid>/autogroup` (`/autogroup-123 nice 5`), or null when it has none. */
export function niceOfAutogroup(text: string): number | null {
  const m = /\bnice (-?\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Raises the nice value of this process's autogroup to `nice`, when this
 * process leads its own session (a sidecar spawned detached) on a Linux
 * kernel with autogroup scheduling on. Never throws; see
 * {@link CpuPriorityOutcome}.
 */
export function yieldCpuToUi(nice = SIDECAR_AUTOGROUP_NICE): CpuPriorityOutcome {
  if (process.platform !== 'linux') return { kind: 'unsupported', reason: `autogroup scheduling is Linux's (this is ${process.platform})` };
  let leader: boolean;
  let enabled: string;
  try {
    leader = sessionIdOfStat(readFileSync('/proc/self/stat', 'utf8')) === process.pid;
    enabled = readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim();
  } catch {
    return { kind: 'unsupported', reason: 'the kernel has no autogroup scheduling' };
  }
  if (enabled !== '1') return { kind: 'unsupported', reason: 'autogroup scheduling is off (kernel.sched_autogroup_enabled)' };
  if (!leader) return { kind: 'unsupported', reason: "not a session leader: its autogroup is its parent's" };
  try {
    // A session leader's autogroup is its own, made at its setsid with nice 0.
    writeFileSync('/proc/self/autogroup', String(nice));
    return { kind: 'applied', nice: niceOfAutogroup(readFileSync('/proc/self/autogroup', 'utf8')) ?? nice };
  } catch (e) {
    return { kind: 'failed', error: e instanceof Error ? e.message : String(e) };
  }
}
