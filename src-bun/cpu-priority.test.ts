import { describe, expect, it } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { niceOfAutogroup, sessionIdOfStat, SIDECAR_AUTOGROUP_NICE } from './cpu-priority';

const MODULE = join(import.meta.dir, 'cpu-priority.ts');
/** A child that runs yieldCpuToUi and prints its outcome and its own autogroup line. */
const CHILD = `import { yieldCpuToUi } from ${JSON.stringify(MODULE)};
import { readFileSync, existsSync } from 'node:fs';
const outcome = yieldCpuToUi();
console.log(JSON.stringify({ outcome, group: existsSync('/proc/self/autogroup') ? readFileSync('/proc/self/autogroup', 'utf8').trim() : null }));`;

async function runChild(detached: boolean): Promise<{ outcome: { kind: string; nice?: number; reason?: string }; group: string | null }> {
  const proc = Bun.spawn([process.execPath, '-e', CHILD], { stdout: 'pipe', stderr: 'pipe', detached });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`child exited ${code}: ${err}`);
  return JSON.parse(out);
}

const autogroupOn = process.platform === 'linux' && existsSync('/proc/self/autogroup')
  && readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
const ownGroup = () => (existsSync('/proc/self/autogroup') ? readFileSync('/proc/self/autogroup', 'utf8').trim() : null);

describe('a sidecar yields the CPU to the UI (autogroup nice)', () => {
  it('a process in a session of its own (spawned detached, as sidecars are) gets its autogroup nice; the parent keeps its own', async () => {
    const before = ownGroup();
    const { outcome, group } = await runChild(true);
    if (autogroupOn) {
      expect(outcome).toEqual({ kind: 'applied', nice: SIDECAR_AUTOGROUP_NICE });
      expect(niceOfAutogroup(group!)).toBe(SIDECAR_AUTOGROUP_NICE);
      // Its own group: not the test runner's, whose nice did not move.
      expect(group!.split(' ')[0]).not.toBe(before!.split(' ')[0]);
    } else {
      expect(outcome.kind).toBe('unsupported');
    }
    expect(ownGroup()).toBe(before);
  });

  it('a process that shares its parent’s session changes nothing: the group is the parent’s', async () => {
    const before = ownGroup();
    const { outcome, group } = await runChild(false);
    expect(outcome.kind).toBe('unsupported');
    if (autogroupOn) {
      expect(outcome.reason).toBe("not a session leader: its autogroup is its parent's");
      expect(group).toBe(before);
    }
    expect(ownGroup()).toBe(before);
  });

  it('reads the session id after the command name, whatever the name holds', () => {
    expect(sessionIdOfStat('4242 (bun) S 1 4242 4242 0 -1 4194560 ...')).toBe(4242);
    expect(sessionIdOfStat('77 (a) b (c) R 5 70 71 0 -1 ...')).toBe(71);
    expect(() => sessionIdOfStat('no stat here')).toThrow('not a /proc/<pid>/stat line');
    expect(niceOfAutogroup('/autogroup-10512 nice 5')).toBe(5);
    expect(niceOfAutogroup('/autogroup-1 nice -3')).toBe(-3);
    expect(niceOfAutogroup('garbage')).toBeNull();
  });
});
