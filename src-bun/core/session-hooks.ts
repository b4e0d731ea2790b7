/**
 * The hooks through which features layered on sessions (worktrees,
 * src-bun/core/worktrees.ts; conflict warnings, write-conflicts.ts) see the
 * session manager's events and take part in its decisions, without adding
 * their logic to session-manager.ts.
 */
import type { AgentEvent } from '../../src/shared/events';
import type { StoredSession } from './store';

/** What features outside the session manager see of sessions, and what they decide for it. */
export type SessionHooks = {
  /** Every event of a session's sidecar, after it was ingested. */
  event?(session: StoredSession, event: AgentEvent): void;
  /** The session's sidecar exited. */
  exited?(sessionId: string): void;
  /** Of the sessions retention would remove (ids), those that may go now; the others stay in the database. */
  purgeable?(projectId: string, ids: string[]): Promise<string[]>;
};
