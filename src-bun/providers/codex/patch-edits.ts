/**
 * Pure: the file edits of Codex's `apply_patch` tool, as {@link FileEdit}s.
 *
 * `codex exec --json` reports a patch only as `file_change{changes:[{path,
 * kind}]}` (recorded in test/fixtures/codex/edit.jsonl); the patch text
 * itself is in the thread's rollout file,
 * `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread_id>.jsonl`, as a
 * `{type:'response_item', payload:{type:'custom_tool_call', name:'apply_patch',
 * input}}` line (Codex 0.169). The runner reads that file and the changed
 * files; this module parses what it read.
 *
 * Patch grammar (Codex's own, not a unified diff):
 * ```
 * *** Begin Patch
 * *** Add File: <path>        then lines `+<text>`
 * *** Delete File: <path>
 * *** Update File: <path>     optionally `*** Move to: <path>`, then chunks:
 * @@ [context line]            then lines ` <context>`, `-<removed>`, `+<added>`, optionally `*** End of File`
 * *** End Patch
 * ```
 * Paths are relative to the session's cwd, or absolute.
 */
import { isAbsolute, resolve } from 'node:path';
import type { FileEdit } from '../../../src/shared/events';
import { TEXT_MAX, clip, isObj, str } from '../raw-fields';

const joinLines = (lines: string[]) => (lines.length > 0 ? `${lines.join('\n')}\n` : '');

/**
 * The `input` of every `apply_patch` call in a rollout file's text, oldest
 * first. Lines that are not JSON, or not such a call, are skipped. Also takes
 * the function-call form (`function_call{name:'apply_patch', arguments:'{"input":…}'}`).
 */
export function rolloutPatches(rolloutText: string): string[] {
  const patches: string[] = [];
  for (const line of rolloutText.split('\n')) {
    if (!line.includes('apply_patch')) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const item = isObj(entry) && isObj(entry.payload) ? entry.payload : undefined;
    if (!item || item.name !== 'apply_patch') continue;
    if (item.type === 'custom_tool_call' && typeof item.input === 'string') patches.push(item.input);
    if (item.type === 'function_call' && typeof item.arguments === 'string') {
      try {
        const args: unknown = JSON.parse(item.arguments);
        const input = isObj(args) ? str(args.input) : undefined;
        if (input) patches.push(input);
      } catch {
        // Arguments that are not JSON carry no patch.
      }
    }
  }
  return patches;
}

/**
 * The edits of one patch: an added file whole (`oldText: null`, from line 1),
 * each chunk of an updated file as its context and removed lines (`oldText`)
 * and context and added lines (`newText`), position unknown until
 * {@link placeEdits}. A deleted file gives no edit (the patch holds no text
 * of it). Paths are resolved against `cwd`; a moved file is shown at its new path.
 */
export function parsePatchEdits(patch: string, cwd: string): FileEdit[] {
  const edits: FileEdit[] = [];
  const at = (p: string) => clip(isAbsolute(p) ? p : resolve(cwd, p), 4096);
  let file: { path: string; mode: 'add' | 'update' | 'delete' } | undefined;
  let added: string[] = [];
  let chunk: { old: string[]; new: string[] } | undefined;
  const flush = () => {
    if (file?.mode === 'add') edits.push({ path: file.path, oldText: null, newText: clip(joinLines(added), TEXT_MAX), oldStart: 1, newStart: 1 });
    if (file?.mode === 'update' && chunk && (chunk.old.length > 0 || chunk.new.length > 0)) {
      edits.push({ path: file.path, oldText: clip(joinLines(chunk.old), TEXT_MAX), newText: clip(joinLines(chunk.new), TEXT_MAX) });
    }
    added = [];
    chunk = undefined;
  };
  for (const line of patch.split('\n')) {
    const header = /^\*\*\* (Add|Delete|Update) File: (.+)$/.exec(line);
    if (header) {
      flush();
      file = { path: at(header[2]!.trim()), mode: header[1]!.toLowerCase() as 'add' | 'delete' | 'update' };
      continue;
    }
    const move = /^\*\*\* Move to: (.+)$/.exec(line);
    if (move && file) {
      file.path = at(move[1]!.trim());
      continue;
    }
    if (line.startsWith('*** End Patch')) {
      flush();
      file = undefined;
      continue;
    }
    if (line.startsWith('*** ')) continue; // Begin Patch, End of File
    if (file?.mode === 'add') {
      if (line.startsWith('+')) added.push(line.slice(1));
      continue;
    }
    if (file?.mode !== 'update') continue;
    if (line.startsWith('@@')) {
      if (chunk) flush();
      chunk = { old: [], new: [] };
      continue;
    }
    chunk ??= { old: [], new: [] };
    const mark = line[0];
    const text = line.slice(1);
    if (mark === '-') chunk.old.push(text);
    else if (mark === '+') chunk.new.push(text);
    else if (mark === ' ' || line === '') {
      chunk.old.push(text);
      chunk.new.push(text);
    }
  }
  flush();
  return edits;
}

/** Where `needle` (lines) first occurs in `haystack` (lines) at or after `from`, 0-based; -1 when nowhere. */
function findLines(haystack: string[], needle: string[], from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Places the chunks of one file's update in the file as it is after the
 * patch: each chunk's new text is looked for, in order, below the previous
 * one, giving `newStart`; `oldStart` is that minus the lines earlier chunks
 * added. A chunk not found (the file changed again since) stays unplaced,
 * and so do the ones after it. Added files are already placed.
 */
export function placeEdits(edits: FileEdit[], afterText: string): FileEdit[] {
  const lines = afterText.split('\n');
  let from = 0;
  let shift = 0;
  let lost = false;
  return edits.map((edit) => {
    if (edit.oldText === null || edit.oldStart !== undefined) return edit;
    const newLines = edit.newText === '' ? [] : edit.newText.replace(/\n$/, '').split('\n');
    const oldCount = edit.oldText === '' ? 0 : edit.oldText.replace(/\n$/, '').split('\n').length;
    const index = lost || newLines.length === 0 ? -1 : findLines(lines, newLines, from);
    if (index < 0) {
      lost = true;
      return edit;
    }
    if (index + 1 - shift < 1) {
      lost = true;
      return edit;
    }
    from = index + newLines.length;
    const placed = { ...edit, oldStart: index + 1 - shift, newStart: index + 1 };
    shift += newLines.length - oldCount;
    return placed;
  });
}
