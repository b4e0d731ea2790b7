/**
 * A session's changes in its worktree against the commit it started from:
 * committed and uncommitted edits, and new files git does not ignore. Each
 * file comes with its text before and after, so the UI draws it with the
 * same diff view as a tool call's edits (src/lib/file-diff.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WorktreeFileChange } from '../../src/shared/rpc/worktree';
import { git, nulFields } from './git';

/** Largest side of a file shown as text, in bytes; larger ones are listed with `tooLarge`. */
export const MAX_DIFF_FILE_BYTES = 512 * 1024;
/** Most files listed; `more` says when others were left off. */
export const MAX_CHANGED_FILES = 200;

const isBinary = (buf: Uint8Array): boolean => buf.subarray(0, 8000).includes(0);

/** The base side of a path (`git show <base>:<path>`), as bytes. */
async function baseBytes(dir: string, base: string, path: string): Promise<Uint8Array> {
  const proc = Bun.spawn(['git', '-C', dir, 'show', `${base}:${path}`], { stdin: 'ignore', stdout: 'pipe', stderr: 'ignore' });
  const [bytes] = await Promise.all([new Response(proc.stdout).bytes(), proc.exited]);
  return bytes;
}

/**
 * Every file that differs between `baseCommit` and the worktree's files on
 * disk, sorted by path: `git diff --name-status <base>` (renames as a delete
 * and an add) plus `git ls-files --others --exclude-standard`. Throws
 * GitError when git fails (e.g. the base commit is gone).
 */
export async function worktreeChanges(dir: string, baseCommit: string): Promise<{ files: WorktreeFileChange[]; more: boolean }> {
  const entries = new Map<string, WorktreeFileChange['status']>();
  const fields = nulFields(await git(dir, ['diff', '--name-status', '--no-renames', '-z', baseCommit, '--']));
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const code = fields[i]![0];
    entries.set(fields[i + 1]!, code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified');
  }
  for (const path of nulFields(await git(dir, ['ls-files', '--others', '--exclude-standard', '-z']))) entries.set(path, 'added');
  const paths = [...entries.keys()].sort();
  const files: WorktreeFileChange[] = [];
  for (const path of paths.slice(0, MAX_CHANGED_FILES)) {
    const status = entries.get(path)!;
    const abs = join(dir, path);
    const after = status === 'deleted' || !existsSync(abs) ? new Uint8Array() : statSync(abs).size > MAX_DIFF_FILE_BYTES ? null : new Uint8Array(readFileSync(abs));
    const before = status === 'added' ? new Uint8Array() : await baseBytes(dir, baseCommit, path);
    if (after === null || before.length > MAX_DIFF_FILE_BYTES) {
      files.push({ path, status, oldText: null, newText: '', tooLarge: true });
    } else if (isBinary(before) || isBinary(after)) {
      files.push({ path, status, oldText: null, newText: '', binary: true });
    } else {
      const decode = (b: Uint8Array) => new TextDecoder().decode(b);
      files.push({ path, status, oldText: status === 'added' ? null : decode(before), newText: decode(after) });
    }
  }
  return { files, more: paths.length > MAX_CHANGED_FILES };
}

