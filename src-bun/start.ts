/**
 * `npm start [-- --data-dir DIR …]`: the desktop window where Electrobun can
 * run; otherwise one line saying why, then the web mode with the same flags
 * as `npm run web`. Never hangs: a desktop app that fails, or shows no
 * window within 20 s (CORRAL_DESKTOP_TIMEOUT_MS), is ended and replaced by
 * the web mode. Ctrl+C (or SIGTERM) quits the window the way its close
 * button does: sidecars stopped, messages written, exit 0.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseWebArgs, type WebArgs } from './cli-args';
import { liveHolder } from './core/instance-lock';
import { requestFocus } from './desktop/focus-channel';
import { launchDesktopRetrying } from './desktop/launch';
import { SIDECAR_BUN_VAR } from './desktop/sidecar-runtime';
import { webkitEnv } from './desktop/webkit-env';
import { runWeb } from './web/index';

const root = join(import.meta.dir, '..');
/** The project folder `electrobun dev` runs in: this repo, or CORRAL_DESKTOP_ROOT (tests point it at a copy with a broken core). */
const desktopRoot = process.env.CORRAL_DESKTOP_ROOT || root;

/** Why the desktop window cannot open here, or null when it can be tried. */
export function desktopBlocker(env: Record<string, string | undefined> = process.env, platform = process.platform): string | null {
  if (env.CORRAL_WEB === '1') return 'CORRAL_WEB=1 asks for the web mode';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY/WAYLAND_DISPLAY unset), so no desktop window can open';
  return null;
}

/**
 * A Corral already running on the data dir: a desktop one is asked to bring
 * its window forward and we exit 0; otherwise it is named and we exit 3.
 * Null when the data dir is free.
 */
async function alreadyRunning(dataDir: string): Promise<{ message: string; code: number } | null> {
  const holder = liveHolder(dataDir);
  if (!holder) return null;
  const where = `Corral is already running on ${dataDir} (PID ${holder.pid}, ${holder.mode} mode)`;
  if (holder.mode !== 'desktop') return { message: `${where}; open the URL it printed, or stop it first.`, code: 3 };
  if (await requestFocus(dataDir)) return { message: `${where}; brought its window to the front.`, code: 0 };
  return { message: `${where}; it did not answer the request to show its window.`, code: 3 };
}

/** Runs the desktop app; returns its exit code, or the reason to fall back to the web mode. */
async function runDesktop(args: WebArgs): Promise<{ code: number } | { fallback: string }> {
  const cli = join(desktopRoot, 'node_modules', '.bin', 'electrobun');
  if (!existsSync(cli)) return { fallback: 'the electrobun CLI is not installed (run npm install)' };
  const timeoutMs = Number(process.env.CORRAL_DESKTOP_TIMEOUT_MS) || 20_000;
  // `electrobun dev` downloads Electrobun's native core from GitHub on first use; without internet it fails and we fall back.
  const webkit = webkitEnv(process.env);
  if (webkit) console.log(`Corral: ${webkit.note}.`);
  const launch = await launchDesktopRetrying(
    // The sidecars run on this Bun, the project's, rather than the older one Electrobun bundles (sidecar-runtime.ts).
    { argv: [cli, 'dev'], cwd: desktopRoot, env: { ...process.env, ...webkit?.env, CORRAL_DATA_DIR: args.dataDir, [SIDECAR_BUN_VAR]: process.execPath }, timeoutMs },
    (line) => console.log(`Corral: ${line}.`),
  );
  if (launch.kind === 'already-running') {
    console.log(`Corral: ${launch.message}`);
    return { code: 3 };
  }
  if (launch.kind === 'failed') return { fallback: `the desktop app did not start: ${launch.reason}` };
  let stopping: Promise<number> | null = null;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void (stopping ??= launch.stop()));
  return { code: await launch.exited };
}

if (import.meta.main) {
  let args: WebArgs;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`corral: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  const running = await alreadyRunning(args.dataDir);
  if (running) {
    console.log(`Corral: ${running.message}`);
    process.exit(running.code);
  }
  const blocker = desktopBlocker();
  const desktop = blocker === null ? await runDesktop(args) : { fallback: blocker };
  if ('code' in desktop) process.exit(desktop.code);
  console.log(`Corral: desktop window unavailable: ${desktop.fallback}; serving the web UI instead.`);
  await runWeb(args);
}
