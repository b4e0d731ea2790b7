/**
 * Codex tool approvals, pure: the sandbox and approval policy Codex runs
 * under in each permission mode, which of its approval requests Corral
 * answers by itself, the answers a card offers, and the decision each answer
 * sends back. Codex's app-server asks through two server requests
 * (protocol v2, Codex 0.169): `item/commandExecution/requestApproval`,
 * answered `{decision: 'accept'|'acceptForSession'|'decline'|'cancel'|…}`,
 * and `item/fileChange/requestApproval`, answered
 * `{decision: 'accept'|'acceptForSession'|'decline'|'cancel'}`.
 *
 * Under the `untrusted` approval policy Codex asks before every command it
 * does not know to be read-only (`ls`, `cat`, `grep` … run without asking,
 * like Claude's read tools) and before every file change; the policy here
 * decides which of those questions reach the user.
 */
import type { Approvals } from '../../../src/shared/events';
import type { CodexSandbox, PermissionMode } from '../../../src/shared/providers';

/** Codex approval policies Corral uses: `untrusted` asks before anything not known safe, `never` asks nothing. */
export type CodexApprovalPolicy = 'untrusted' | 'never';

/**
 * Sandbox and approval policy per permission mode. `plan` keeps the
 * read-only sandbox and declines every request, `bypassPermissions` is
 * Codex's "Full Access" (no sandbox, nothing asked), the others ask inside
 * `workspace-write`. An explicit `sandbox` (the setting) wins; the approval
 * policy stays, so a mode means the same in any sandbox.
 */
export function codexPolicy(mode: PermissionMode, sandbox?: CodexSandbox): { sandbox: CodexSandbox; approvalPolicy: CodexApprovalPolicy } {
  const preset: { sandbox: CodexSandbox; approvalPolicy: CodexApprovalPolicy } =
    mode === 'plan' ? { sandbox: 'read-only', approvalPolicy: 'untrusted' }
      : mode === 'bypassPermissions' ? { sandbox: 'danger-full-access', approvalPolicy: 'never' }
        : { sandbox: 'workspace-write', approvalPolicy: 'untrusted' };
  return sandbox ? { ...preset, sandbox } : preset;
}

/** What the pane header says: Codex asks (permission cards) unless the mode bypasses permissions; and in which sandbox. */
export function codexApprovals(mode: PermissionMode, sandbox?: CodexSandbox): Approvals {
  return { policy: mode === 'bypassPermissions' ? 'bypass' : 'ask', sandbox: codexPolicy(mode, sandbox).sandbox };
}

/** What Codex asks about: running a command, or changing files (apply_patch). */
export type CodexApprovalKind = 'command' | 'edit';

/** What Corral does with one approval request: accept it, decline it, or ask the user. */
export type CodexDecision = 'accept' | 'decline' | 'ask';

/**
 * The policy per permission mode: `default` asks before commands and edits;
 * `acceptEdits` accepts edits and asks before commands; `plan` declines
 * both; `bypassPermissions` accepts both (Codex does not ask then anyway).
 * `sessionAllowed` holds the kinds the user allowed for the session.
 */
export function codexDecision(mode: PermissionMode, kind: CodexApprovalKind, sessionAllowed: ReadonlySet<CodexApprovalKind> = new Set()): CodexDecision {
  if (mode === 'bypassPermissions') return 'accept';
  if (mode === 'plan') return 'decline';
  if (kind === 'edit' && mode === 'acceptEdits') return 'accept';
  return sessionAllowed.has(kind) ? 'accept' : 'ask';
}

/** The answers a Codex card offers (option ids are what `answerPermission` takes). */
export const CODEX_PERMISSION_OPTIONS = [
  { optionId: 'allow_once', name: 'Allow once', kind: 'allow_once' },
  { optionId: 'allow_session', name: 'Allow for this session', kind: 'allow_always' },
  { optionId: 'deny', name: 'Deny', kind: 'reject_once' },
] as const;
export type CodexOptionId = (typeof CODEX_PERMISSION_OPTIONS)[number]['optionId'];

export function isCodexOptionId(optionId: string): optionId is CodexOptionId {
  return CODEX_PERMISSION_OPTIONS.some((o) => o.optionId === optionId);
}

/** A decision as the app-server takes it. */
export type CodexWireDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

/**
 * The decision sent for the user's answer. "Allow for this session" sends
 * `acceptForSession` where Codex offers it: a command request lists what it
 * takes in `availableDecisions` (under `untrusted` it omits
 * `acceptForSession`), a file change request takes it always. Either way the
 * runner remembers the kind, so later requests of that kind are accepted
 * without a card.
 */
export function codexWireDecision(optionId: CodexOptionId, kind: CodexApprovalKind, availableDecisions?: readonly unknown[]): CodexWireDecision {
  if (optionId === 'deny') return 'decline';
  if (optionId === 'allow_once') return 'accept';
  const offered = kind === 'edit' || !availableDecisions || availableDecisions.includes('acceptForSession');
  return offered ? 'acceptForSession' : 'accept';
}
