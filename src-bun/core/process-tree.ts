/**
 * Process facts read from Linux /proc (`/proc/<pid>/stat`, see proc(5)):
 * process group, parent, CPU ticks and start time. Used to tell a zombie
 * sidecar from a busy one and to recognise our own orphans after a crash
 * without ever killing a reused PID. On systems without /proc every reader
 * answers "unknown" (null / empty), and callers stay on the safe side.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type ProcStat = {
  pid: number;
  /** R running, S sleeping, Z zombie (exited, not yet reaped), … */
  state: string;
  ppid: number;
  pgid: number;
  /** user + system CPU time, in clock ticks (usually 100 per second) */
  cpuTicks: number;
  /** start time after boot, in clock ticks; with the pid, it names a process uniquely */
  startTicks: number;
};

/** Parses one `/proc/<pid>/stat` line; null when malformed. The command name may contain spaces and parentheses. */
export function parseStat(line: string): ProcStat | null {
  const close = line.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // Fields after the name, starting at field 3 (state).
  const f = line.slice(close + 2).split(' ');
  const n = (i: number) => Number(f[i - 3]);
  const stat = { pid, ppid: n(4), pgid: n(5), cpuTicks: n(14) + n(15), startTicks: n(22) };
  return Object.values(stat).every(Number.isFinite) ? { ...stat, state: f[0] ?? '?' } : null;
}

/** The stat of one process, or null if it does not exist (or /proc is unavailable). */
export function readStat(pid: number): ProcStat | null {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Every live (not zombie) process in the process group `pgid` (a sidecar and the agent CLI it started). */
export function groupMembers(pgid: number): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s && s.pgid === pgid && s.state !== 'Z') out.push(s);
  }
  return out;
}

/** Total CPU ticks used so far by the group `pgid`; null when /proc cannot tell. */
export function groupCpuTicks(pgid: number): number | null {
  const members = groupMembers(pgid);
  return members.length ? members.reduce((sum, s) => sum + s.cpuTicks, 0) : null;
}
