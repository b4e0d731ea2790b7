/**
 * `npm start`: the desktop window where Electrobun can run; otherwise one
 * line saying why, then the web mode with the same flags as `npm run web`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseWebArgs } from './cli-args';
import { runWeb } from './web/index';

const root = join(import.meta.dir, '..');

/** Why the desktop window cannot open here, or null when it can be tried. */
export function desktopBlocker(env: Record<string, string | undefined> = process.env, platform = process.platform): string | null {
  if (env.CORRAL_WEB === '1') return 'CORRAL_WEB=1 asks for the web mode';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY/WAYLAND_DISPLAY unset), so no desktop window can open';
  return null;
}

async function tryDesktop(): Promise<string | null> {
  const cli = join(root, 'node_modules', '.bin', 'electrobun');
  if (!existsSync(cli)) return 'the electrobun CLI is not installed (run npm install)';
  // `electrobun dev` downloads Electrobun's native core from GitHub on first use; it fails without internet.
  const env = { ...process.env, CORRAL_SIDECAR_ENTRY: join(root, 'src-bun', 'sidecar.ts') };
  const proc = Bun.spawn([cli, 'dev'], { cwd: root, env, stdio: ['inherit', 'inherit', 'pipe'] });
  const code = await proc.exited;
  if (code === 0) return null;
  const stderr = (await new Response(proc.stderr).text()).trim().split('\n').pop() ?? '';
  return `Electrobun's native core could not be downloaded or started (electrobun dev exited ${code}${stderr ? `: ${stderr.slice(0, 160)}` : ''})`;
}

if (import.meta.main) {
  let args;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`corral: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  const blocker = desktopBlocker() ?? (await tryDesktop());
  if (blocker === null) process.exit(0);
  console.log(`Corral: desktop window unavailable: ${blocker}; serving the web UI instead.`);
  await runWeb(args);
}
