/**
 * CPU time and resident memory of the processes a benchmark started, read
 * from Linux /proc (`/proc/<pid>/stat` via src-bun/core/process-tree.ts,
 * `/proc/<pid>/cmdline`, `/proc/<pid>/status` VmRSS). CPU time is what a busy
 * 2-core machine cannot inflate the way it inflates wall time, so it is the
 * figure to compare before and after a change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readStat, type ProcStat } from '../../src-bun/core/process-tree';

/** Which part of the firehose a process is, by its command line. */
export type Role = 'main' | 'sidecar' | 'agent' | 'chromium' | 'other';

/** Clock ticks per second of /proc's CPU fields (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function roleOf(cmdline: string): Role {
  if (cmdline.includes('src-bun/web/index.ts') || cmdline.includes('src-bun/start.ts')) return 'main';
  if (cmdline.includes('sidecar')) return 'sidecar';
  if (cmdline.includes('firehose-agent')) return 'agent';
  if (cmdline.includes('chromium') || cmdline.includes('chrome')) return 'chromium';
  return 'other';
}

/** Every live descendant of `rootPid` (not itself), with its role. */
export function descendants(rootPid: number): (ProcStat & { role: Role })[] {
  const all: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) all.push(stat);
  }
  const children = new Map<number, ProcStat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: (ProcStat & { role: Role })[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      let cmdline = '';
      try { cmdline = readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').replaceAll('\0', ' '); } catch { /* gone */ }
      out.push({ ...c, role: roleOf(cmdline) });
      walk(c.pid);
    }
  };
  walk(rootPid);
  return out;
}

/** CPU ms used so far per role, by the live descendants of `rootPid`. */
export function cpuMsByRole(rootPid: number): Record<Role, number> {
  const out: Record<Role, number> = { main: 0, sidecar: 0, agent: 0, chromium: 0, other: 0 };
  for (const p of descendants(rootPid)) out[p.role] += (p.cpuTicks * 1000) / TICKS_PER_SECOND;
  return out;
}

/** What each role used between two {@link cpuMsByRole} readings, ms. */
export function cpuDelta(before: Record<Role, number>, after: Record<Role, number>): Record<Role, number> {
  const out = { ...after };
  for (const role of Object.keys(out) as Role[]) out[role] = Math.max(0, after[role] - before[role]);
  return out;
}

/**
 * CPU time the hypervisor ran something else while this virtual machine's
 * CPUs had work (the `steal` column of the `cpu` line of /proc/stat, summed
 * over CPUs), ms since boot; 0 on a machine whose /proc/stat has no such
 * column. A run that lost CPU this way is slower for reasons outside Corral.
 */
export function stolenMs(): number {
  const fields = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  return ((fields[7] ?? 0) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of a process, bytes (VmRSS), or null when it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Resolves once the Chromium processes under `rootPid` used under `maxShare`
 * of one core over `windowMs` (a browser that just started keeps working for
 * a second or two: its spare renderer, its profile), or after `timeoutMs`;
 * returns how long it waited, ms. Polls /proc every 100 ms.
 */
export async function chromiumSettled(rootPid: number, opts: { windowMs?: number; maxShare?: number; timeoutMs?: number } = {}): Promise<number> {
  const windowMs = opts.windowMs ?? 300;
  const maxShare = opts.maxShare ?? 0.05;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const t0 = performance.now();
  const readings: { at: number; cpu: number }[] = [];
  while (performance.now() - t0 < timeoutMs) {
    readings.push({ at: performance.now(), cpu: cpuMsByRole(rootPid).chromium });
    const first = readings.find((r) => r.at >= readings[readings.length - 1]!.at - windowMs);
    const last = readings[readings.length - 1]!;
    if (first && last.at - first.at >= windowMs - 1 && (last.cpu - first.cpu) / (last.at - first.at) < maxShare) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - t0;
}
