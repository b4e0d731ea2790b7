/**
 * The desktop window's size and position across relaunches, kept as
 * `window.json` in the data dir: `{x, y, width, height}` in screen pixels.
 * Not in corral.db: it is the desktop shell's own state, not a session's.
 * A missing, malformed or absurd file gives the default frame, with a warning
 * for the last two; nothing here ever stops the window from opening.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, TimerHandle } from '../../src/shared/clock';

/** A window frame in screen pixels. */
export type WindowFrame = { x: number; y: number; width: number; height: number };

export const DEFAULT_FRAME: WindowFrame = { x: 120, y: 80, width: 1280, height: 820 };
/** Below this the sidebar and pane do not fit; above it is no screen we know of. */
const MIN = { width: 640, height: 400 };
const MAX_PX = 16_384;

const px = z.number().int().min(-MAX_PX).max(MAX_PX);
const FrameSchema = z.object({ x: px, y: px, width: px.min(MIN.width), height: px.min(MIN.height) }).strict();

const FILE = 'window.json';

/** Reads the saved frame; the default when there is none. `warn` hears why a file was not used. */
export function loadWindowFrame(dataDir: string, warn: (msg: string) => void): WindowFrame {
  let text: string;
  try {
    text = readFileSync(join(dataDir, FILE), 'utf8');
  } catch {
    return { ...DEFAULT_FRAME };
  }
  let parsed;
  try {
    parsed = FrameSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) {
    warn(`ignoring ${join(dataDir, FILE)}: not a window frame {x, y, width >= ${MIN.width}, height >= ${MIN.height}}; using the default`);
    return { ...DEFAULT_FRAME };
  }
  return parsed.data;
}

/** Writes the frame atomically (temp file, then rename), so a crash mid-write leaves the old one. */
export function saveWindowFrame(dataDir: string, frame: WindowFrame): void {
  const rounded = { x: Math.round(frame.x), y: Math.round(frame.y), width: Math.round(frame.width), height: Math.round(frame.height) };
  if (!FrameSchema.safeParse(rounded).success) return; // a minimised or zero-size report is not worth keeping
  const tmp = join(dataDir, `${FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(rounded) + '\n');
  renameSync(tmp, join(dataDir, FILE));
}

/**
 * Saves the frame `debounceMs` after the last move or resize, and at once
 * on `flush()` (the window is closing). Move and resize events come many per
 * second while the user drags.
 */
export function createFrameSaver(deps: { dataDir: string; clock: Clock; debounceMs?: number; warn: (msg: string) => void }) {
  let pending: WindowFrame | null = null;
  let timer: TimerHandle | null = null;
  const write = () => {
    deps.clock.clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const frame = pending;
    pending = null;
    try {
      saveWindowFrame(deps.dataDir, frame);
    } catch (e) {
      deps.warn(`could not save the window frame: ${String(e)}`);
    }
  };
  return {
    /** The window moved or resized to `frame`. */
    changed(frame: WindowFrame): void {
      pending = frame;
      deps.clock.clearTimeout(timer);
      timer = deps.clock.setTimeout(write, deps.debounceMs ?? 500);
    },
    /** Writes a pending frame now. */
    flush: write,
  };
}
