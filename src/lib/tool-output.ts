/** How much of a tool's output a transcript row shows before "Show more". */

/** Lines shown while collapsed. */
export const PREVIEW_LINES = 12;
/** Characters shown while collapsed. */
export const PREVIEW_CHARS = 2000;
/** Characters shown even when expanded; beyond this the DOM would choke on a single row. */
export const EXPANDED_CHARS = 200_000;

/** A view of an output: what to show and what was left out. */
export interface OutputView {
  text: string;
  truncated: boolean;
  /** Lines not shown (0 when nothing was cut by lines). */
  hiddenLines: number;
}

/** Cuts `output` to the preview (first lines and chars), or to the expanded cap. */
export function viewOutput(output: string, expanded: boolean): OutputView {
  if (expanded) {
    const truncated = output.length > EXPANDED_CHARS;
    return { text: truncated ? output.slice(0, EXPANDED_CHARS) : output, truncated, hiddenLines: 0 };
  }
  let end = Math.min(output.length, PREVIEW_CHARS);
  let lines = 0;
  for (let i = 0; i < end; i++) {
    if (output.charCodeAt(i) === 10 && ++lines === PREVIEW_LINES) {
      end = i;
      break;
    }
  }
  if (end >= output.length) return { text: output, truncated: false, hiddenLines: 0 };
  // The rest starts after the newline we cut at, or mid-line when cut by characters.
  const restStart = output.charCodeAt(end) === 10 ? end + 1 : end;
  let hiddenLines = 0;
  for (let i = restStart; i < output.length; i++) if (output.charCodeAt(i) === 10) hiddenLines++;
  if (restStart < output.length && !output.endsWith('\n')) hiddenLines++;
  return { text: output.slice(0, end), truncated: true, hiddenLines };
}
