/**
 * File listings with line numbers, as coding agents' read tools return them
 * (Claude Code's Read: `     1→text` or `     1\ttext`, the `cat -n` shape):
 * the numbers are split off so only the code is highlighted.
 */

/** A listing split into its line-number gutters and its code. */
export interface NumberedListing {
  /** The gutter of each line, number and separator included ("     1→"); '' for a line without one. */
  gutters: string[];
  /** The code, gutters removed, lines joined by "\n". */
  code: string;
}

const GUTTER = /^ *\d+(?:→|\t)/;

/**
 * Splits `text` when every non-empty line starts with a line number and
 * `→` or a tab (a trailing line may be empty); null when it is not such a
 * listing, so it is highlighted as it is.
 */
export function splitNumberedListing(text: string): NumberedListing | null {
  const lines = text.split('\n');
  const gutters: string[] = [];
  const code: string[] = [];
  for (const line of lines) {
    const match = GUTTER.exec(line);
    if (!match && line !== '') return null;
    const gutter = match?.[0] ?? '';
    gutters.push(gutter);
    code.push(line.slice(gutter.length));
  }
  return gutters.some(Boolean) ? { gutters, code: code.join('\n') } : null;
}
