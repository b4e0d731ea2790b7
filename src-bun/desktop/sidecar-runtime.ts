/**
 * Which Bun runs the desktop app's sidecars. The app itself runs on the Bun
 * Electrobun bundles (1.3.13 with Electrobun 1.18.1), and a sidecar on it
 * needed about 1.5 times the CPU it needs on the project's Bun (1.4.5): 290
 * against 140 ms per firehose of 10,000 tool calls. `npm start` names the
 * Bun it runs on in {@link SIDECAR_BUN_VAR}, and the sidecars run on that
 * one; an app started otherwise (a packaged one) has only its own.
 */
import { accessSync, constants } from 'node:fs';

/** The environment variable `npm start` (src-bun/start.ts) sets to the Bun it runs on. */
export const SIDECAR_BUN_VAR = 'CORRAL_SIDECAR_BUN';

/**
 * The Bun executable for sidecars: the one {@link SIDECAR_BUN_VAR} names
 * when it is an executable file, else `own` (the app's own). A named one that
 * cannot be run is reported through `warn`, and `own` is used.
 */
export function sidecarRuntime(env: Record<string, string | undefined>, own: string, warn: (message: string) => void): string {
  const named = env[SIDECAR_BUN_VAR];
  if (!named) return own;
  try {
    accessSync(named, constants.X_OK);
    return named;
  } catch (e) {
    warn(`${SIDECAR_BUN_VAR}=${named} cannot be run (${e instanceof Error ? e.message : String(e)}); sidecars run on ${own}`);
    return own;
  }
}
