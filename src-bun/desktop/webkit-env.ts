/**
 * What the desktop window's WebKitGTK gets in its environment beyond Corral's
 * own. On Linux without a GPU render node (`/dev/dri/renderD*`: a virtual
 * machine, a remote session, Xvfb), WebKitGTK still composites every frame
 * through OpenGL, which Mesa then runs on the CPU (llvmpipe): in a firehose
 * of 50,000 tool calls that was 58 % of the web process's CPU, and the window
 * took 3.5 s against 1.8 s without it. There the window draws without
 * accelerated compositing (`WEBKIT_DISABLE_COMPOSITING_MODE=1`, WebKitGTK's
 * own switch). A value the user set for that variable is kept as it is.
 */
import { readdirSync } from 'node:fs';

/** The variables to add, and the line that tells the user why; null when nothing is added. */
export type WebKitEnv = { env: Record<string, string>; note: string };

/** True when `driDir` holds a render node (`renderD128`, …); false when it is missing or has none. */
export function hasRenderNode(driDir = '/dev/dri'): boolean {
  try {
    return readdirSync(driDir).some((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
}

/**
 * The WebKitGTK environment for `env` on `platform` (see the module comment).
 * Never throws.
 */
export function webkitEnv(env: Record<string, string | undefined>, platform = process.platform, driDir = '/dev/dri'): WebKitEnv | null {
  if (platform !== 'linux' || env.WEBKIT_DISABLE_COMPOSITING_MODE !== undefined || hasRenderNode(driDir)) return null;
  return {
    env: { WEBKIT_DISABLE_COMPOSITING_MODE: '1' },
    note: `no GPU render node in ${driDir}, so the window draws without WebKit's compositing, which would run in software (set WEBKIT_DISABLE_COMPOSITING_MODE yourself to choose)`,
  };
}
