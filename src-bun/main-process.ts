/**
 * What both entries share: the core built with real processes, the real
 * clock and a console logger. The entries only add their transport.
 */
import { join } from 'node:path';
import { realClock } from '../src/shared/clock';
import { createCore, type Core } from './core/core';
import type { Logger, Publish } from './core/session-manager';
import { spawnSidecar } from './core/sidecar-process';

export const consoleLogger: Logger = {
  info: (m) => console.log(`[corral] ${m}`),
  warn: (m) => console.warn(`[corral] ${m}`),
  error: (m) => console.error(`[corral] ${m}`),
};

/** argv of a sidecar: this Bun runtime running src-bun/sidecar.ts (CORRAL_SIDECAR_ENTRY overrides the script, for bundled builds). */
export const SIDECAR_ARGV = [process.execPath, process.env.CORRAL_SIDECAR_ENTRY || join(import.meta.dir, 'sidecar.ts')];

export function createMainCore(opts: { dataDir: string; publish: Publish; hasClients: () => boolean; log?: Logger }): Core {
  const clock = realClock;
  const log = opts.log ?? consoleLogger;
  return createCore({
    dataDir: opts.dataDir,
    clock,
    publish: opts.publish,
    hasClients: opts.hasClients,
    baseEnv: process.env,
    log,
    spawn: (env, cb) => spawnSidecar(SIDECAR_ARGV, env, cb),
  });
}
