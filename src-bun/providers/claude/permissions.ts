/**
 * Claude Code tool approvals, pure: which tool calls Corral asks the user
 * about in each permission mode, how such a call becomes a
 * `permission_request` card, and how the user's answer becomes the result of
 * the Claude Agent SDK's `canUseTool` callback
 * (`(toolName, input, {signal, toolUseID, title?, …}) => PermissionResult`,
 * where a result is `{behavior:'allow', updatedInput?}` or
 * `{behavior:'deny', message, interrupt?}`; see the SDK's sdk.d.ts).
 *
 * Claude Code calls `canUseTool` only for calls its own rules would ask
 * about (reads inside the project, for example, never reach it); the policy
 * here decides the rest, so every mode means what it says whatever Claude
 * Code's settings files contain.
 */
import type { Approvals, AgentEvent } from '../../../src/shared/events';
import type { PermissionMode } from '../../../src/shared/providers';
import { ID_MAX, TEXT_MAX, clip, objects, str } from '../raw-fields';

/** Tools that only read or plan: never asked about. */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set([
  'Read', 'Glob', 'Grep', 'LS', 'NotebookRead', 'TodoWrite', 'Task', 'Agent', 'BashOutput', 'TaskOutput',
]);
/** Tools that change files. */
export const EDIT_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** What a tool does, as the policy sees it; `other` is anything unknown (WebFetch, MCP tools, …). */
export type ClaudeToolKind = 'read' | 'edit' | 'shell' | 'exit-plan' | 'other';

export function claudeToolKind(toolName: string): ClaudeToolKind {
  if (READ_ONLY_TOOLS.has(toolName)) return 'read';
  if (EDIT_TOOLS.has(toolName)) return 'edit';
  if (toolName === 'Bash') return 'shell';
  if (toolName === 'ExitPlanMode') return 'exit-plan';
  return 'other';
}

/**
 * The key "Allow for this session" remembers: every edit tool shares one
 * (allowing edits allows Write and Edit alike); any other tool is its own.
 */
export function sessionAllowKey(toolName: string): string {
  return claudeToolKind(toolName) === 'edit' ? 'edit' : toolName;
}

/** What Corral does with one tool call: let it run, ask the user, or refuse it with `message` to the model. */
export type ClaudeDecision = { behavior: 'allow' } | { behavior: 'ask' } | { behavior: 'deny'; message: string };

/** The message the model reads when plan mode refuses a tool. */
export const PLAN_DENIAL = 'This session is in plan mode: do not change files or run commands. Present the plan as text; the user will carry it out in another mode.';

/**
 * The policy per permission mode:
 * - `default`: asks before Bash, edits and any other non-read tool;
 * - `acceptEdits`: edits run, asks before Bash and other non-read tools;
 * - `plan`: only reads; everything else, leaving plan mode included, is refused;
 * - `bypassPermissions`: everything runs.
 * Read-only tools always run. `sessionAllowed` holds the keys
 * ({@link sessionAllowKey}) the user allowed for the session.
 */
export function claudeDecision(mode: PermissionMode, toolName: string, sessionAllowed: ReadonlySet<string> = new Set()): ClaudeDecision {
  const kind = claudeToolKind(toolName);
  if (mode === 'bypassPermissions' || kind === 'read') return { behavior: 'allow' };
  if (mode === 'plan') return { behavior: 'deny', message: PLAN_DENIAL };
  if (kind === 'exit-plan') return { behavior: 'allow' }; // not in plan mode: nothing to leave
  if (kind === 'edit' && mode === 'acceptEdits') return { behavior: 'allow' };
  if (sessionAllowed.has(sessionAllowKey(toolName))) return { behavior: 'allow' };
  return { behavior: 'ask' };
}

/** The answers a Claude card offers (option ids are what `answerPermission` takes). */
export const CLAUDE_PERMISSION_OPTIONS = [
  { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
  { optionId: 'allow_session', name: 'Allow for this session', kind: 'allow_always' },
  { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
] as const;
export type ClaudeOptionId = (typeof CLAUDE_PERMISSION_OPTIONS)[number]['optionId'];

export function isClaudeOptionId(optionId: string): optionId is ClaudeOptionId {
  return CLAUDE_PERMISSION_OPTIONS.some((o) => o.optionId === optionId);
}

/** The file a file tool works on: `file_path` (Write, Edit, MultiEdit) or `notebook_path` (NotebookEdit). */
export function claudeToolPath(input: Record<string, unknown>): string | undefined {
  return str(input.file_path) ?? str(input.notebook_path);
}

/**
 * Before/after text of an edit, from the tool input: Write `{file_path,
 * content}` against `existingText` (the file as it is now, null when absent);
 * Edit `{old_string, new_string}`; MultiEdit `{edits:[{old_string,
 * new_string}]}`, joined; NotebookEdit `{new_source}`.
 */
function editDiff(toolName: string, input: Record<string, unknown>, existingText: string | null): { oldText: string | null; newText: string } | undefined {
  switch (toolName) {
    case 'Write': return { oldText: existingText, newText: str(input.content) ?? '' };
    case 'Edit': return { oldText: str(input.old_string) ?? '', newText: str(input.new_string) ?? '' };
    case 'MultiEdit': {
      const join = (key: string) => objects(input.edits).map((e) => str(e[key]) ?? '').join('\n…\n');
      return { oldText: join('old_string'), newText: join('new_string') };
    }
    case 'NotebookEdit': return { oldText: null, newText: str(input.new_source) ?? '' };
    default: return undefined;
  }
}

/**
 * The `permission_request` of a tool call Corral asks about. `title` is
 * Claude Code's own sentence when it gave one (`canUseTool`'s `title`);
 * `existingText` is the current content of a file a Write replaces.
 */
export function claudePermissionRequest(
  id: string,
  toolName: string,
  input: Record<string, unknown>,
  context: { title?: string; existingText?: string | null } = {},
): Extract<AgentEvent, { type: 'permission_request' }> {
  const command = toolName === 'Bash' ? str(input.command) : undefined;
  const path = claudeToolPath(input);
  const diff = path ? editDiff(toolName, input, context.existingText ?? null) : undefined;
  const fallback = command ? `Run a command: ${command}` : path ? `${toolName} ${path}` : `Use ${toolName}`;
  return {
    type: 'permission_request',
    id: clip(id, ID_MAX),
    title: clip(context.title ?? fallback, 4096),
    options: CLAUDE_PERMISSION_OPTIONS.map((o) => ({ ...o })),
    tool: clip(toolName, 256),
    ...(command ? { command: clip(command, 65536) } : {}),
    ...(path ? { path: clip(path, 4096) } : {}),
    ...(diff && path ? {
      diff: {
        path: clip(path, 4096), oldText: diff.oldText === null ? null : clip(diff.oldText, TEXT_MAX), newText: clip(diff.newText, TEXT_MAX),
        // A Write's texts are the whole file; an Edit's snippets sit at a line Claude Code has not said yet.
        ...(toolName === 'Write' ? { oldStart: 1, newStart: 1 } : {}),
      },
    } : {}),
    acceptsMessage: true,
  };
}

/** The `canUseTool` result for a user's answer, in the SDK's PermissionResult shape. */
export type ClaudePermissionResult =
  | { behavior: 'allow'; updatedInput: Record<string, unknown> }
  | { behavior: 'deny'; message: string; interrupt?: boolean };

/** The reason the model reads when the user denies without a message. */
export const DEFAULT_DENIAL = 'The user denied this tool call.';

/** Maps the user's answer to the SDK result; a denial carries the user's message, or {@link DEFAULT_DENIAL}. */
export function claudePermissionResult(optionId: ClaudeOptionId, input: Record<string, unknown>, message?: string): ClaudePermissionResult {
  if (optionId === 'deny') return { behavior: 'deny', message: message?.trim() || DEFAULT_DENIAL };
  return { behavior: 'allow', updatedInput: input };
}

/** What the pane header says about approvals in `mode`. */
export function claudeApprovals(mode: PermissionMode): Approvals {
  return { policy: mode === 'bypassPermissions' ? 'bypass' : 'ask' };
}
