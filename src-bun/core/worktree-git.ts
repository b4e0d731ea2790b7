/**
 * The git side of a session's isolated worktree: create it on a new branch
 * `corral/<short id>` from the project's current HEAD, tell whether it holds
 * work that is not in the base branch, merge it into the base branch of the
 * project folder (or say which files conflict and touch nothing), and
 * remove it with its branch. Every failure is a {@link WorktreeError} or a
 * {@link GitError} whose message can be shown as is.
 */
import { mkdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitRaw, GitError, nulFields } from './git';

/** A refusal the user can act on (dirty project folder, wrong branch, conflicts); shown as is. */
export class WorktreeError extends Error {
  constructor(message: string, readonly conflicts: string[] = []) {
    super(message);
    this.name = 'WorktreeError';
  }
}

/** A created worktree: where, on which branch, and what it started from. */
export type CreatedWorktree = {
  path: string;
  branch: string;
  /** The branch the project folder had checked out, or null on a detached HEAD (then Merge is refused). */
  baseBranch: string | null;
  /** The commit the branch starts at (the project's HEAD then), full hex. */
  baseCommit: string;
};

/** The branch name of a session: `corral/` and the first 8 characters of its id. */
export const branchFor = (sessionId: string): string => `corral/${sessionId.replace(/-/g, '').slice(0, 8)}`;

/**
 * Runs `git worktree add -b <branch> <path> <HEAD commit>` from `projectDir`.
 * Throws {@link WorktreeError} when the project has no commit yet or the path
 * exists, {@link GitError} for anything git refuses (e.g. the branch exists).
 */
export async function addWorktree(projectDir: string, path: string, branch: string): Promise<CreatedWorktree> {
  const head = await gitRaw(projectDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) throw new WorktreeError('The repository has no commit yet: commit once before starting a session in an isolated worktree');
  const baseCommit = head.stdout.trim();
  const ref = await gitRaw(projectDir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const baseBranch = ref.exitCode === 0 ? ref.stdout.trim() : null;
  if (existsSync(path)) throw new WorktreeError(`Cannot create the worktree: ${path} already exists`);
  mkdirSync(dirname(path), { recursive: true });
  await git(projectDir, ['worktree', 'add', '--quiet', '-b', branch, path, baseCommit]);
  return { path, branch, baseBranch, baseCommit };
}

/** Paths with uncommitted changes in a work tree (tracked and untracked, ignored files left out); `trackedOnly` skips untracked ones. */
export async function uncommitted(dir: string, trackedOnly = false): Promise<string[]> {
  const out = await git(dir, ['status', '--porcelain=v1', '-z', trackedOnly ? '--untracked-files=no' : '--untracked-files=all']);
  // Each entry is "XY path"; a rename adds the old path as a separate field, without the status prefix.
  return nulFields(out).filter((f) => /^.. /.test(f)).map((f) => f.slice(3));
}

/** Number of commits on `branch` that `base` does not have. */
export async function commitsAhead(repoDir: string, base: string, branch: string): Promise<number> {
  return Number((await git(repoDir, ['rev-list', '--count', `${base}..${branch}`])).trim());
}

/**
 * What is in the worktree and not in its base: uncommitted paths, and commits
 * on the branch that the base branch (else the base commit) lacks. A
 * worktree whose folder is gone holds nothing.
 */
export async function unsavedWork(wt: { path: string; branch: string; baseBranch: string | null; baseCommit: string }): Promise<{ uncommitted: string[]; commits: number }> {
  if (!existsSync(wt.path)) return { uncommitted: [], commits: 0 };
  const files = await uncommitted(wt.path);
  const base = wt.baseBranch && (await gitRaw(wt.path, ['rev-parse', '--verify', '--quiet', `refs/heads/${wt.baseBranch}`])).exitCode === 0 ? wt.baseBranch : wt.baseCommit;
  return { uncommitted: files, commits: await commitsAhead(wt.path, base, 'HEAD') };
}

/**
 * A commit of everything in the worktree (untracked files too) on top of its
 * HEAD, made with a scratch index so neither the branch nor the worktree's
 * index moves. Returns HEAD itself when nothing is uncommitted.
 */
async function snapshotCommit(wtPath: string, message: string): Promise<{ commit: string; head: string }> {
  const head = (await git(wtPath, ['rev-parse', 'HEAD'])).trim();
  if ((await uncommitted(wtPath)).length === 0) return { commit: head, head };
  const scratch = mkdtempSync(join(tmpdir(), 'corral-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    await git(wtPath, ['read-tree', 'HEAD'], { env });
    await git(wtPath, ['add', '-A', '.'], { env });
    const tree = (await git(wtPath, ['write-tree'], { env })).trim();
    return { commit: (await git(wtPath, ['commit-tree', tree, '-p', head, '-m', message])).trim(), head };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What a merge did: the merge commit in the project folder, and the files it brought in. */
export type MergeResult = { mergeCommit: string; files: string[] };

/**
 * Merges the session's work into the base branch of the project folder:
 * uncommitted work in the worktree is committed on its branch first, then
 * `git merge --no-ff <branch>` runs in the project folder. Checked before
 * anything moves: the project folder must be on the base branch with no
 * uncommitted changes to tracked files, and the merge must be free of
 * conflicts (`git merge-tree`). Throws {@link WorktreeError} naming the
 * conflicting files (both sides left as they were), or why it refused.
 */
export async function mergeWorktree(projectDir: string, wt: CreatedWorktree): Promise<MergeResult> {
  if (!wt.baseBranch) throw new WorktreeError('The project folder was on a detached HEAD when this session started: there is no base branch to merge into');
  if (!existsSync(wt.path)) throw new WorktreeError(`The worktree ${wt.path} is gone`);
  const current = await gitRaw(projectDir, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  if (current.exitCode !== 0 || current.stdout.trim() !== wt.baseBranch) {
    throw new WorktreeError(`The project folder is on ${current.exitCode === 0 ? current.stdout.trim() : 'a detached HEAD'}, not on ${wt.baseBranch}: check out ${wt.baseBranch} there to merge`);
  }
  const dirty = await uncommitted(projectDir, true);
  if (dirty.length > 0) throw new WorktreeError(`The project folder has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): commit or stash them first`);

  const { commit, head } = await snapshotCommit(wt.path, `Corral session work on ${wt.branch}`);
  if ((await commitsAhead(projectDir, wt.baseBranch, commit)) === 0) throw new WorktreeError(`Nothing to merge: ${wt.baseBranch} already has everything on ${wt.branch}`);
  const trial = await gitRaw(projectDir, ['merge-tree', '--write-tree', '--name-only', '--no-messages', wt.baseBranch, commit]);
  if (trial.exitCode === 1) {
    // Output: the tree id, then the conflicted paths, one per line.
    const conflicts = trial.stdout.trim().split('\n').slice(1).filter(Boolean);
    throw new WorktreeError(`Merging ${wt.branch} into ${wt.baseBranch} conflicts in ${conflicts.join(', ')}; nothing was changed`, conflicts);
  }
  if (trial.exitCode !== 0) throw new GitError(['merge-tree', wt.baseBranch, commit], trial.exitCode, trial.stderr.trim());

  if (commit !== head) {
    await git(wt.path, ['update-ref', '-m', 'corral: commit session work', `refs/heads/${wt.branch}`, commit, head]);
    await git(wt.path, ['reset', '--quiet']); // the index follows the new HEAD; the files already match it
  }
  const files = nulFields(await git(projectDir, ['diff', '--name-only', '-z', `${wt.baseBranch}...${wt.branch}`]));
  const merged = await gitRaw(projectDir, ['merge', '--no-ff', '--no-edit', '-m', `Merge ${wt.branch} (Corral session)`, wt.branch]);
  if (merged.exitCode !== 0) {
    // Something changed the folder since the check: undo the half merge.
    const conflicts = nulFields(await git(projectDir, ['diff', '--name-only', '-z', '--diff-filter=U']).catch(() => ''));
    await gitRaw(projectDir, ['merge', '--abort']);
    throw new WorktreeError(`Merging ${wt.branch} into ${wt.baseBranch} failed${conflicts.length ? ` with conflicts in ${conflicts.join(', ')}` : `: ${merged.stderr.trim() || merged.stdout.trim()}`}; the merge was aborted`, conflicts);
  }
  return { mergeCommit: (await git(projectDir, ['rev-parse', 'HEAD'])).trim(), files };
}

/**
 * Removes the worktree (`git worktree remove --force`, then `prune` for one
 * whose folder is already gone) and deletes its branch (`git branch -D`).
 * A branch or worktree that no longer exists is not an error.
 */
export async function removeWorktree(projectDir: string, wt: { path: string; branch: string }): Promise<void> {
  if (existsSync(wt.path)) {
    const r = await gitRaw(projectDir, ['worktree', 'remove', '--force', wt.path]);
    if (r.exitCode !== 0) {
      // Not (or no longer) a registered worktree: its folder is ours, under the data dir.
      rmSync(wt.path, { recursive: true, force: true });
    }
  }
  await gitRaw(projectDir, ['worktree', 'prune']);
  const b = await gitRaw(projectDir, ['branch', '-D', wt.branch]);
  if (b.exitCode !== 0 && !/not found/.test(b.stderr)) throw new GitError(['branch', '-D', wt.branch], b.exitCode, b.stderr.trim());
}
