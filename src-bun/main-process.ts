/**
 * What both entries share: the data dir taken for this process (one Corral
 * per data dir), the core built with real processes, the real clock and a
 * console logger. The entries only add their transport.
 */
import { join } from 'node:path';
import { realClock } from '../src/shared/clock';
import { createCore, type Core } from './core/core';
import { acquireInstanceLock, type InstanceMode } from './core/instance-lock';
import type { Logger, Publish } from './core/session-manager';
import { spawnSidecar } from './core/sidecar-process';

export const consoleLogger: Logger = {
  info: (m) => console.log(`[corral] ${m}`),
  warn: (m) => console.warn(`[corral] ${m}`),
  error: (m) => console.error(`[corral] ${m}`),
};

/** The sidecar script when running from the sources: src-bun/sidecar.ts (CORRAL_SIDECAR_ENTRY overrides it). */
export const SOURCE_SIDECAR_ENTRY = process.env.CORRAL_SIDECAR_ENTRY || join(import.meta.dir, 'sidecar.ts');

/**
 * Takes the data dir (throws InstanceLockedError when another Corral holds
 * it, before the database is opened), then builds the core. Sidecars run as
 * `[sidecarRuntime (default: this Bun runtime), sidecarEntry]`. The core's `shutdown` releases the lock
 * after the last message is written.
 */
export function createMainCore(opts: {
  dataDir: string; mode: InstanceMode; publish: Publish; hasClients: () => boolean; log?: Logger;
  /** Script each sidecar runs (default {@link SOURCE_SIDECAR_ENTRY}). */
  sidecarEntry?: string;
  /** Bun executable each sidecar runs on (default: this one, `process.execPath`). */
  sidecarRuntime?: string;
}): Core {
  const lock = acquireInstanceLock(opts.dataDir, opts.mode);
  const log = opts.log ?? consoleLogger;
  const argv = [opts.sidecarRuntime ?? process.execPath, opts.sidecarEntry ?? SOURCE_SIDECAR_ENTRY];
  let core: Core;
  try {
    core = createCore({
      dataDir: opts.dataDir,
      clock: realClock,
      publish: opts.publish,
      hasClients: opts.hasClients,
      baseEnv: process.env,
      log,
      spawn: (env, cb) => spawnSidecar(argv, env, cb),
    });
  } catch (e) {
    lock.release();
    throw e;
  }
  const shutdown = core.shutdown;
  return { ...core, shutdown: async () => { try { return await shutdown(); } finally { lock.release(); } } };
}
