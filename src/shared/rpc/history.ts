/**
 * RPC domain `history`: sessions that Claude Code and Codex stored on disk
 * for a project's folder, and importing one into a Corral session.
 * - Claude Code: `<CLAUDE_CONFIG_DIR or ~/.claude>/projects/<folder slug>/*.jsonl`;
 * - Codex: `<CODEX_HOME or ~/.codex>/sessions/**\/rollout-*.jsonl` whose `session_meta.cwd` is the folder.
 * Corral only reads those files. An import runs in the background: the
 * request answers at once with an import id, and `history.import.progress`
 * events report it until one says `done`.
 */
import { z } from 'zod';

export const HistoryProviderSchema = z.enum(['claude', 'codex']);
export type HistoryProvider = z.infer<typeof HistoryProviderSchema>;

/** One session file a CLI stored for the project's folder. */
export const HistorySourceSchema = z.object({
  provider: HistoryProviderSchema,
  /** Absolute path of the CLI's file. */
  path: z.string(),
  /** Claude `session_id`, Codex `thread_id`: what a follow-up resumes. */
  providerSessionId: z.string(),
  /** ms since epoch of the first line with a time (else the file's mtime). */
  startedAt: z.number(),
  /** ms since epoch the file was last written. */
  modifiedAt: z.number(),
  /** The first prompt, cut to 200 characters; '' when the file has none. */
  firstPrompt: z.string(),
  /** Messages an import would add (prompts, answers, thinking, tool calls and results). */
  messageCount: z.number().int().nonnegative(),
  sizeBytes: z.number().int().nonnegative(),
  /** The Corral session an earlier import made, while it exists; null when not imported. */
  importedSessionId: z.string().nullable(),
});
export type HistorySource = z.infer<typeof HistorySourceSchema>;

/** Progress of one import, reported after each page and at the end. */
export const HistoryImportProgressSchema = z.object({
  importId: z.string(),
  projectId: z.string(),
  path: z.string(),
  /** The Corral session being filled (null until it exists). */
  sessionId: z.string().nullable(),
  /** Bytes of the file read so far, and its size when the import started. */
  bytesRead: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** Messages stored so far. */
  messages: z.number().int().nonnegative(),
  /** Lines skipped because they are not JSON objects. */
  badLines: z.number().int().nonnegative(),
  done: z.boolean(),
  /** Set on a failed import (nothing of it is kept). */
  error: z.string().optional(),
  /** The file was imported before: nothing was added. */
  alreadyImported: z.boolean().optional(),
});
export type HistoryImportProgress = z.infer<typeof HistoryImportProgressSchema>;

export const historyRequests = {
  /** The project's sessions on disk, newest first. Errors: unknown project. */
  'history.sources': {
    params: z.object({ projectId: z.string().min(1).max(64) }).strict(),
    response: z.object({ sources: z.array(HistorySourceSchema) }),
  },
  /**
   * Starts importing one of the project's sources (named by its path, which
   * must be one `history.sources` lists). Answers at once; progress follows as
   * events. Importing a file again adds nothing. Errors: unknown project, a path
   * that is not one of the project's sources.
   */
  'history.import': {
    params: z.object({ projectId: z.string().min(1).max(64), path: z.string().min(1).max(4096) }).strict(),
    response: z.object({ importId: z.string() }),
  },
};

export const historyEvents = {
  'history.import.progress': HistoryImportProgressSchema,
};
