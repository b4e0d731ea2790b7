import { afterEach, describe, expect, it } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireInstanceLock, InstanceLockedError, liveHolder, realProbe, type ProcessProbe } from './instance-lock';

const dirs: string[] = [];
const procs: Bun.Subprocess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'corral-lock-')); dirs.push(d); return d; };

/** A real second process that takes the lock and reports when it holds it. */
async function holderProcess(dataDir: string, mode: 'desktop' | 'web' = 'desktop'): Promise<Bun.Subprocess<'ignore', 'pipe', 'inherit'>> {
  const script = `import { acquireInstanceLock } from ${JSON.stringify(join(import.meta.dir, 'instance-lock.ts'))};
    acquireInstanceLock(${JSON.stringify(dataDir)}, ${JSON.stringify(mode)}); console.log('held'); setInterval(() => {}, 1000);`;
  const proc = Bun.spawn([process.execPath, '-e', script], { stdout: 'pipe', stderr: 'inherit' });
  procs.push(proc);
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  expect(new TextDecoder().decode(value)).toBe('held\n');
  reader.releaseLock();
  return proc;
}

describe('instance lock', () => {
  it('refuses a second instance while a live process holds the data dir, naming its PID and mode', async () => {
    const dir = tempDir();
    const other = await holderProcess(dir, 'desktop');
    let error: unknown;
    try {
      acquireInstanceLock(dir, 'web');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InstanceLockedError);
    expect((error as InstanceLockedError).holder).toMatchObject({ pid: other.pid, mode: 'desktop' });
    expect((error as Error).message).toStartWith(`Corral is already running on ${dir} (PID ${other.pid}, desktop mode, since `);
  });

  it('takes over the lock of an instance killed with SIGKILL', async () => {
    const dir = tempDir();
    const other = await holderProcess(dir);
    other.kill('SIGKILL');
    await other.exited;
    const lock = acquireInstanceLock(dir, 'web');
    expect(lock.holder.pid).toBe(process.pid);
    expect(JSON.parse(readFileSync(join(dir, 'corral.lock'), 'utf8'))).toEqual(lock.holder);
    lock.release();
    expect(existsSync(join(dir, 'corral.lock'))).toBe(false);
  });

  it('is free again once released, and release twice is harmless', () => {
    const dir = tempDir();
    const first = acquireInstanceLock(dir, 'desktop');
    first.release();
    first.release();
    const second = acquireInstanceLock(dir, 'desktop');
    expect(second.holder.mode).toBe('desktop');
    second.release();
  });

  it('ignores a holder file whose PID now belongs to a process with another start time (PID reuse)', () => {
    const dir = tempDir();
    const reused: ProcessProbe = { exists: () => true, startTicks: (pid) => (pid === 4242 ? 999 : realProbe.startTicks(pid)) };
    writeFileSync(join(dir, 'corral.lock'), JSON.stringify({ pid: 4242, startTicks: 111, mode: 'desktop', startedAt: 1 }));
    expect(liveHolder(dir, reused)).toBeNull();
    const lock = acquireInstanceLock(dir, 'web', { probe: reused });
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
  });

  it('refuses when the holder file names a live process with the same start time, even if the kernel lock was free', () => {
    const dir = tempDir();
    const alive: ProcessProbe = { exists: () => true, startTicks: (pid) => (pid === 4242 ? 111 : 5) };
    writeFileSync(join(dir, 'corral.lock'), JSON.stringify({ pid: 4242, startTicks: 111, mode: 'web', startedAt: 1 }));
    expect(() => acquireInstanceLock(dir, 'desktop', { probe: alive })).toThrow('Corral is already running on');
  });

  it('takes over a malformed holder file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'corral.lock'), '{"pid": "not a number"');
    expect(liveHolder(dir)).toBeNull();
    const lock = acquireInstanceLock(dir, 'desktop');
    expect(lock.holder.pid).toBe(process.pid);
    lock.release();
  });
});
