/**
 * File edits -> the rows of a unified diff, as DiffView draws them. The
 * diffing itself is jsdiff's `structuredPatch` (npm `diff`); this module only
 * numbers its hunk lines by where the edited text sits in the file and joins
 * the edits of one file.
 */
import { structuredPatch } from 'diff';
import type { FileEdit } from '../shared/events';

/**
 * One row of a diff: an unchanged, added or removed line, or a `gap` between
 * hunks (lines left out). `oldLine`/`newLine` are 1-based file line numbers,
 * absent on the side the line is not on, or when the edit's position in the
 * file is unknown.
 */
export interface DiffRow {
  kind: 'context' | 'added' | 'removed' | 'gap';
  text: string;
  oldLine?: number;
  newLine?: number;
}

/** The diff of one file: its path, whether the edits created it, the counts of added and removed lines, and the rows. */
export interface FileDiff {
  path: string;
  created: boolean;
  added: number;
  removed: number;
  rows: DiffRow[];
}

/** Unchanged lines shown around each change. */
export const CONTEXT_LINES = 3;

/** The rows of one edit: jsdiff's hunks, numbered from the edit's `oldStart`/`newStart`, a `gap` row between hunks. */
function editRows(edit: FileEdit, context: number): DiffRow[] {
  const patch = structuredPatch(edit.path, edit.path, edit.oldText ?? '', edit.newText, undefined, undefined, { context });
  // Positions are known when the provider gave them; a text that starts at line 1 of a new file is known too.
  const oldOffset = edit.oldStart !== undefined ? edit.oldStart - 1 : edit.oldText === null ? 0 : undefined;
  const newOffset = edit.newStart !== undefined ? edit.newStart - 1 : edit.oldText === null ? 0 : oldOffset;
  const rows: DiffRow[] = [];
  for (const [i, hunk] of patch.hunks.entries()) {
    if (i > 0) rows.push({ kind: 'gap', text: '' });
    // jsdiff numbers an empty side from 0; its first line would be line 1.
    let oldLine = Math.max(hunk.oldStart, 1);
    let newLine = Math.max(hunk.newStart, 1);
    for (const line of hunk.lines) {
      const mark = line[0];
      const text = line.slice(1);
      if (mark === '\\') continue; // "\ No newline at end of file"
      const at = (n: number, offset: number | undefined) => (offset === undefined ? undefined : n + offset);
      if (mark === '+') rows.push({ kind: 'added', text, newLine: at(newLine++, newOffset) });
      else if (mark === '-') rows.push({ kind: 'removed', text, oldLine: at(oldLine++, oldOffset) });
      else rows.push({ kind: 'context', text, oldLine: at(oldLine++, oldOffset), newLine: at(newLine++, newOffset) });
    }
  }
  return rows;
}

/**
 * The diffs of a tool call's edits, one per file in order of first
 * appearance; several edits of one file (MultiEdit, a patch with several
 * hunks) join with a `gap` row between them. An edit whose `oldText` is
 * null created the file: all its lines are added.
 */
export function fileDiffs(edits: readonly FileEdit[], context = CONTEXT_LINES): FileDiff[] {
  const byPath = new Map<string, FileDiff>();
  for (const edit of edits) {
    const rows = editRows(edit, context);
    let diff = byPath.get(edit.path);
    if (!diff) {
      diff = { path: edit.path, created: edit.oldText === null, added: 0, removed: 0, rows: [] };
      byPath.set(edit.path, diff);
    } else if (rows.length > 0 && diff.rows.length > 0) {
      diff.rows.push({ kind: 'gap', text: '' });
    }
    for (const row of rows) {
      if (row.kind === 'added') diff.added++;
      else if (row.kind === 'removed') diff.removed++;
      diff.rows.push(row);
    }
  }
  return [...byPath.values()];
}
