/**
 * RPC domain `worktree`: a session's isolated git worktree (branch
 * `corral/<short session id>` under Corral's data dir), its changes against
 * the commit it started from, Merge into the project folder's base branch,
 * and Discard. Also whether a project folder can have worktrees at all, and
 * the events that warn about work in progress: two sessions writing the
 * same file in one checkout, and worktrees retention had to keep.
 */
import { z } from 'zod';

const sessionId = z.string().min(1).max(64);
const projectId = z.string().min(1).max(64);

/** `active`: in use; `merged`: its work is in the base branch (the worktree stays until discarded); `discarded`: worktree and branch are gone. */
export const WorktreeStateSchema = z.enum(['active', 'merged', 'discarded']);
export type WorktreeState = z.infer<typeof WorktreeStateSchema>;

/** A session's worktree as the pane header shows it. */
export const WorktreeInfoSchema = z.object({
  sessionId,
  projectId,
  /** Absolute folder of the worktree (the session's cwd). */
  path: z.string(),
  branch: z.string(),
  /** The branch Merge goes into; null when the project was on a detached HEAD. */
  baseBranch: z.string().nullable(),
  /** Full hex id of the commit the branch started from. */
  baseCommit: z.string(),
  state: WorktreeStateSchema,
  /** ms since epoch. */
  createdAt: z.number(),
});
export type WorktreeInfo = z.infer<typeof WorktreeInfoSchema>;

/**
 * One changed file: `oldText` null for an added file; `newText` empty for a
 * deleted one. Binary files and files over 512 KiB carry no text, only the flag.
 */
export const WorktreeFileChangeSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted']),
  oldText: z.string().nullable(),
  newText: z.string(),
  binary: z.boolean().optional(),
  tooLarge: z.boolean().optional(),
});
export type WorktreeFileChange = z.infer<typeof WorktreeFileChangeSchema>;

const Refusal = z.object({ ok: z.literal(false), error: z.string(), conflicts: z.array(z.string()).optional() });

export const worktreeRequests = {
  /** Whether sessions of this project can run in an isolated worktree (its folder is in a git work tree), and why not. */
  'worktree.available': {
    params: z.object({ projectId }).strict(),
    response: z.object({ available: z.boolean(), reason: z.string().optional() }),
  },
  /** The session's worktree, or null when it runs in the project folder. */
  'worktree.info': { params: z.object({ sessionId }).strict(), response: z.object({ worktree: WorktreeInfoSchema.nullable() }) },
  /** Files that differ from the base commit (committed, uncommitted, untracked), sorted by path, at most 200 (`more` when more). */
  'worktree.changes': {
    params: z.object({ sessionId }).strict(),
    response: z.union([z.object({ ok: z.literal(true), files: z.array(WorktreeFileChangeSchema), more: z.boolean() }), Refusal]),
  },
  /**
   * Commits the worktree's uncommitted work on its branch and merges the branch
   * (`--no-ff`) into the base branch in the project folder. Refused, with
   * nothing changed, when the folder is not on the base branch, has
   * uncommitted changes to tracked files, or the merge would conflict
   * (`conflicts` lists the files).
   */
  'worktree.merge': {
    params: z.object({ sessionId }).strict(),
    response: z.union([z.object({ ok: z.literal(true), mergeCommit: z.string(), files: z.array(z.string()), worktree: WorktreeInfoSchema }), Refusal]),
  },
  /** Stops the session, removes its worktree (uncommitted work included: the UI asks first) and deletes its branch. */
  'worktree.discard': {
    params: z.object({ sessionId }).strict(),
    response: z.union([z.object({ ok: z.literal(true), worktree: WorktreeInfoSchema }), Refusal]),
  },
  /** The project's worktrees that hold work not in their base branch (uncommitted files or commits): what removing the project would delete. */
  'worktree.unsaved': {
    params: z.object({ projectId }).strict(),
    response: z.object({ worktrees: z.array(z.object({ sessionId, path: z.string(), branch: z.string(), uncommitted: z.number().int(), commits: z.number().int() })) }),
  },
};

export const worktreeEvents = {
  /**
   * Two running sessions in the same checkout (neither isolated) wrote the
   * same file, by their tool calls' paths. Sent once per pair and file; both
   * panes also get it in their transcripts.
   */
  'worktree.conflict': z.object({ projectIds: z.array(projectId), sessionIds: z.array(sessionId), path: z.string() }),
  /** Retention would have removed these sessions, but their worktrees hold unsaved work: kept, with their worktrees. */
  'worktree.retained': z.object({ projectId, worktrees: z.array(z.object({ sessionId, path: z.string(), branch: z.string() })) }),
};
