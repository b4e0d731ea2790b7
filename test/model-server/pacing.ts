/**
 * Paced text for the `slow` scenario, shared by the dialects of the scripted
 * model server: the same text piece after piece on a timer, each piece
 * wrapped in the dialect's own wire frame.
 */
import { sleep } from './streaming';
import type { ScriptedReply } from './types';

/** How a paced reply streams its text (`ScriptedReply.pacing`). */
export type Pacing = NonNullable<Extract<ScriptedReply, { kind: 'stream' }>['pacing']>;

/**
 * Yields `frame(piece)` for each piece of `text` sent under `pacing`: one
 * every `deltaMs` for `durationMs` in total (at least one), the piece being
 * `${text}${i} ` for tick i. `frame` is called just before its frame is
 * yielded, so a dialect can count the piece there. Returns true when every
 * piece went out, false when `signal` aborted first: the dialect then ends
 * its stream.
 */
export async function* pacedText(text: string, pacing: Pacing, signal: AbortSignal, frame: (piece: string) => string): AsyncGenerator<string, boolean, void> {
  const ticks = Math.max(1, Math.round(pacing.durationMs / pacing.deltaMs));
  for (let i = 1; i <= ticks; i++) {
    await sleep(pacing.deltaMs, signal);
    if (signal.aborted) return false;
    yield frame(`${text}${i} `);
  }
  return true;
}
