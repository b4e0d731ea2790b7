/**
 * One Corral per data dir. Two processes writing one corral.db would each
 * believe they own every session, and the second one's orphan reaper would
 * kill the first one's sidecars.
 *
 * Exclusion is a kernel lock: an SQLite database (`corral.lock.db`) held in
 * `locking_mode=EXCLUSIVE` with a write transaction done, so its fcntl lock
 * lasts until the connection closes or the process dies. A crashed instance
 * therefore never leaves the lock taken. Beside it, `corral.lock` names the
 * holder as JSON `{pid, startTicks, mode, startedAt}`, so a refused start can
 * say who runs there; its PID and /proc start time are checked too, as a
 * second guard where the filesystem ignores locks (some network mounts).
 */
import { Database } from 'bun:sqlite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readStat } from './process-tree';

/** Which entry holds the lock. */
export type InstanceMode = 'desktop' | 'web';

const HolderSchema = z.object({
  pid: z.number().int().positive(),
  /** /proc start time of `pid` in clock ticks; null where there is no /proc (macOS). */
  startTicks: z.number().int().nullable(),
  mode: z.enum(['desktop', 'web']),
  /** ms since epoch */
  startedAt: z.number(),
});
/** The process that holds a data dir, as written in `corral.lock`. */
export type LockHolder = z.infer<typeof HolderSchema>;

/** Thrown by {@link acquireInstanceLock} when a live Corral already holds the data dir. */
export class InstanceLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder | null) {
    super(holder
      ? `Corral is already running on ${dataDir} (PID ${holder.pid}, ${holder.mode} mode, since ${new Date(holder.startedAt).toISOString()})`
      : `Corral is already running on ${dataDir} (another process holds ${join(dataDir, LOCK_DB)})`);
    this.name = 'InstanceLockedError';
  }
}

/** A held lock; `release()` is idempotent. */
export type InstanceLock = { holder: LockHolder; release(): void };

/** How the lock learns about processes; tests pass fakes. */
export type ProcessProbe = {
  /** /proc start ticks of `pid`, or null when it does not exist or cannot be read. */
  startTicks(pid: number): number | null;
  /** True when a process `pid` exists (signal 0). */
  exists(pid: number): boolean;
};

const LOCK_DB = 'corral.lock.db';
const HOLDER_FILE = 'corral.lock';

export const realProbe: ProcessProbe = {
  startTicks: (pid) => readStat(pid)?.startTicks ?? null,
  exists(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

/**
 * Takes the data dir for this process. Throws {@link InstanceLockedError}
 * when a live instance holds it; a holder file left by a dead one (its PID
 * gone, or reused by a process with another start time) is taken over.
 * Other errors (an unwritable dir) are thrown as they come.
 */
export function acquireInstanceLock(dataDir: string, mode: InstanceMode, opts: { now?: number; probe?: ProcessProbe; pid?: number } = {}): InstanceLock {
  const probe = opts.probe ?? realProbe;
  const pid = opts.pid ?? process.pid;
  mkdirSync(dataDir, { recursive: true });
  let db: Database | null = new Database(join(dataDir, LOCK_DB));
  try {
    db.exec('PRAGMA locking_mode=EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY, pid INTEGER)');
    // The write takes the exclusive lock; EXCLUSIVE mode keeps it after the commit.
    db.exec(`INSERT OR REPLACE INTO lock (id, pid) VALUES (1, ${pid})`);
  } catch (e) {
    db.close();
    if (/locked|busy/i.test(String(e))) throw new InstanceLockedError(dataDir, liveHolder(dataDir, probe));
    throw e;
  }
  // The kernel lock was free, so a live holder here means a filesystem without working locks.
  // Only a PID whose start time matches counts: a bare PID may have been reused since a crash.
  const stale = liveHolder(dataDir, probe);
  if (stale && stale.pid !== pid && stale.startTicks !== null) {
    db.close();
    throw new InstanceLockedError(dataDir, stale);
  }
  const holder: LockHolder = { pid, startTicks: probe.startTicks(pid), mode, startedAt: opts.now ?? Date.now() };
  writeFileSync(join(dataDir, HOLDER_FILE), JSON.stringify(holder) + '\n', { mode: 0o600 });
  return {
    holder,
    release() {
      if (!db) return;
      rmSync(join(dataDir, HOLDER_FILE), { force: true });
      db.close();
      db = null;
    },
  };
}

/**
 * The holder named in `corral.lock` if that process is still alive (same PID
 * and, where /proc can tell, the same start time); null otherwise, also when
 * the file is missing or malformed.
 */
export function liveHolder(dataDir: string, probe: ProcessProbe = realProbe): LockHolder | null {
  let parsed;
  try {
    parsed = HolderSchema.safeParse(JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const holder = parsed.data;
  if (!probe.exists(holder.pid)) return null;
  const ticks = probe.startTicks(holder.pid);
  // A reused PID has another start time; without /proc (null) the PID alone decides.
  if (ticks !== null && holder.startTicks !== null && ticks !== holder.startTicks) return null;
  return holder;
}
