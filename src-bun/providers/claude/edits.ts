/**
 * Pure: the file edits of Claude Code's file tools, as {@link FileEdit}s.
 *
 * Sources (Claude Code 2.1.x, see test/fixtures/claude/edit.jsonl and write.jsonl):
 *  - the call's input: `Edit {file_path, old_string, new_string, replace_all}`,
 *    `MultiEdit {file_path, edits:[{old_string, new_string}]}`; where the
 *    snippets sit in the file is not known yet. `Write {file_path, content}`
 *    does not say whether it creates the file, so it has no edit until its result.
 *  - the `user` event's `tool_use_result` once the tool ran:
 *    `{type:'create', filePath, content, originalFile:null}` for a Write that
 *    created the file; otherwise `{filePath, structuredPatch:[{oldStart,
 *    oldLines, newStart, newLines, lines:[' ctx', '-old', '+new']}]}` (jsdiff's
 *    hunk shape, `originalFile` too), which places each hunk in the file.
 */
import type { FileEdit } from '../../../src/shared/events';
import { TEXT_MAX, clip, isObj, objects, str, type Obj } from '../raw-fields';

/** Tools whose calls carry file edits. */
export const CLAUDE_EDIT_TOOLS: ReadonlySet<string> = new Set(['Edit', 'MultiEdit', 'Write']);

const edit = (path: string, oldText: string | null, newText: string, starts: { oldStart?: number; newStart?: number } = {}): FileEdit => ({
  path: clip(path, 4096), oldText: oldText === null ? null : clip(oldText, TEXT_MAX), newText: clip(newText, TEXT_MAX), ...starts,
});

/** The edits a call's input announces (Edit, MultiEdit), or undefined: not an edit, or not known before it runs (Write). */
export function claudeCallEdits(toolName: string, input: Obj): FileEdit[] | undefined {
  const path = str(input.file_path);
  if (!path) return undefined;
  if (toolName === 'Edit') return [edit(path, str(input.old_string) ?? '', str(input.new_string) ?? '')];
  if (toolName === 'MultiEdit') {
    const edits = objects(input.edits).slice(0, 256).map((e) => edit(path, str(e.old_string) ?? '', str(e.new_string) ?? ''));
    return edits.length > 0 ? edits : undefined;
  }
  return undefined;
}

/** The side of a hunk's lines: context and removed lines (`old`), or context and added ones (`new`). */
function hunkSide(lines: string[], side: 'old' | 'new'): string {
  const skip = side === 'old' ? '+' : '-';
  const kept = lines.filter((l) => l[0] !== skip && l[0] !== '\\').map((l) => l.slice(1));
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}

/**
 * The edits a tool made, from its `tool_use_result`: a created file whole
 * (`oldText: null`), else one edit per `structuredPatch` hunk, placed at the
 * hunk's `oldStart`/`newStart`. Undefined when the result says neither.
 */
export function claudeResultEdits(toolUseResult: unknown): FileEdit[] | undefined {
  if (!isObj(toolUseResult)) return undefined;
  const path = str(toolUseResult.filePath);
  if (!path) return undefined;
  const content = str(toolUseResult.content);
  if (toolUseResult.type === 'create' && content !== undefined) return [edit(path, null, content, { oldStart: 1, newStart: 1 })];
  const hunks = objects(toolUseResult.structuredPatch).slice(0, 256);
  const edits = hunks.flatMap((h) => {
    const lines = Array.isArray(h.lines) ? h.lines.filter((l): l is string => typeof l === 'string') : [];
    if (lines.length === 0) return [];
    const start = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 1);
    return [edit(path, hunkSide(lines, 'old'), hunkSide(lines, 'new'), { oldStart: start(h.oldStart), newStart: start(h.newStart) })];
  });
  return edits.length > 0 ? edits : undefined;
}
