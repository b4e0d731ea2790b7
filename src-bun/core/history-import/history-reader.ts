/**
 * Reads a CLI's history file (JSON Lines) in pages, so a file of any size is
 * imported with bounded memory and the importer can report progress and
 * yield between pages. Read-only: the file is opened for reading and never
 * written. A line that is not a JSON object is counted in `badLines` and
 * skipped, never fatal.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One parsed line: its 1-based number in the file and its JSON object. */
export type HistoryLine = { lineNo: number; value: Record<string, unknown> };

/** Running figures of a read: lines seen (blank ones excluded), lines skipped as not JSON objects, bytes read so far. */
export type ReadStats = { lines: number; badLines: number; bytes: number };

/** Default page size, in lines. */
export const PAGE_LINES = 500;

/**
 * Yields the file's JSON-object lines in pages of at most `pageLines`
 * (default {@link PAGE_LINES}), in file order, updating `stats` as it goes.
 * Throws only when the file cannot be opened or read (ENOENT, EACCES).
 */
export async function* readHistoryPages(path: string, stats: ReadStats, pageLines = PAGE_LINES): AsyncGenerator<HistoryLine[]> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let page: HistoryLine[] = [];
  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    stats.bytes += Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    stats.lines++;
    const value = parseObject(text);
    if (!value) {
      stats.badLines++;
      continue;
    }
    page.push({ lineNo, value });
    if (page.length >= pageLines) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}

/** The first line of a file that parses as a JSON object, reading no further; null when there is none. */
export async function readFirstObject(path: string): Promise<Record<string, unknown> | null> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      const value = parseObject(text);
      if (value) return value;
    }
    return null;
  } finally {
    lines.close();
  }
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
