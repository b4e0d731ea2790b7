/**
 * Runs the `git` executable (no shell, argv only) and turns a failure into a
 * {@link GitError} carrying git's own stderr, so the message a user sees says
 * what git said. Used by the worktree modules; nothing here knows sessions.
 */

/** A git command that failed: `exitCode` is git's, `stderr` is what it printed (trimmed). */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr || 'no message'}`);
    this.name = 'GitError';
  }
}

/** What one git run printed and how it exited. */
export type GitResult = { stdout: string; stderr: string; exitCode: number };

/** Options of one git run: extra environment (e.g. `GIT_INDEX_FILE`) over the process's own. */
export type GitOptions = { env?: Record<string, string> };

// Commits Corral makes need an identity even where the user configured none; the user's own wins when set.
const IDENTITY = { GIT_AUTHOR_NAME: 'Corral', GIT_AUTHOR_EMAIL: 'corral@localhost', GIT_COMMITTER_NAME: 'Corral', GIT_COMMITTER_EMAIL: 'corral@localhost' };

/**
 * Runs `git -C <cwd> <args>` and resolves with its output whatever the exit
 * code (for commands whose exit code is an answer, like `merge-tree`).
 * Rejects only when git cannot be spawned.
 */
export async function gitRaw(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  const env: Record<string, string | undefined> = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env };
  for (const [k, v] of Object.entries(IDENTITY)) if (!env[k]) env[k] = v;
  const proc = Bun.spawn(['git', '-C', cwd, ...args], { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', env });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, exitCode };
}

/** Runs `git -C <cwd> <args>` and resolves with stdout; throws {@link GitError} with git's stderr on a non-zero exit. */
export async function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  const r = await gitRaw(cwd, args, opts);
  if (r.exitCode !== 0) throw new GitError(args, r.exitCode, r.stderr.trim());
  return r.stdout;
}

/** True when `dir` is inside a git work tree (and git runs). Never throws. */
export async function isGitWorkTree(dir: string): Promise<boolean> {
  try {
    return (await gitRaw(dir, ['rev-parse', '--is-inside-work-tree'])).stdout.trim() === 'true';
  } catch {
    return false;
  }
}

/** Splits NUL-separated git output (`-z`) into its non-empty fields. */
export const nulFields = (out: string): string[] => out.split('\0').filter((f) => f.length > 0);
