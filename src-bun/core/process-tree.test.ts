import { describe, expect, it } from 'bun:test';
import { groupCpuTicks, groupMembers, parseStat, readStat } from './process-tree';
import { killGroup } from './sidecar-process';

describe('process tree', () => {
  it('parses stat lines whose command name has spaces and parentheses', () => {
    const line = '4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 10 0 0 0 7 3 0 0 20 0 1 0 99291 1 1 0';
    expect(parseStat(line)).toEqual({ pid: 4242, state: 'S', ppid: 1, pgid: 4242, cpuTicks: 10, startTicks: 99291 });
    expect(parseStat('garbage')).toBeNull();
  });

  it('finds a spawned group, its child, and the CPU it burns', async () => {
    const proc = Bun.spawn(['sh', '-c', 'sleep 30 & i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; wait'], { detached: true, stdio: ['ignore', 'ignore', 'ignore'] });
    try {
      const me = readStat(proc.pid);
      expect(me?.pgid).toBe(proc.pid);
      let members = groupMembers(proc.pid);
      for (let i = 0; i < 50 && members.length < 2; i++) { await Bun.sleep(20); members = groupMembers(proc.pid); }
      expect(members.map((m) => m.pid)).toContain(proc.pid);
      expect(members.length).toBeGreaterThanOrEqual(2);
      expect(groupCpuTicks(proc.pid)).toBeGreaterThanOrEqual(0);
    } finally {
      killGroup(proc.pid, 'SIGKILL');
      await proc.exited;
    }
    expect(readStat(proc.pid)).toBeNull();
  });
});
