/** The session store's contract: its dependencies, answers and public face. */
import type { ProviderId, SessionOptions } from '../../shared/providers';
import type { Settings } from '../../shared/settings';
import type { RpcClient } from '../rpc/types';
import type { Clock } from '../../shared/clock';
import type { ProjectHealth } from './health';
import type { SessionState } from './session-state.svelte';
import type { Notify } from './toasts.svelte';

/** What the store needs from the outside world. */
export interface SessionStoreDeps {
  rpc: RpcClient;
  clock: Clock;
  notify: Notify;
  /** Current settings, read when needed so changes apply without a restart. */
  settings?: () => Partial<Settings>;
  /** A project's display name for toasts; defaults to the id. */
  projectName?: (projectId: string) => string | undefined;
}

/** Per-pane UI state that is not part of a session. */
export interface PaneState {
  /** A start or prompt request is in flight. */
  readonly sending: boolean;
  /** The last send failure, shown inline under the prompt. */
  readonly error: string | null;
}

/** Answer of {@link SessionStore.start}. */
export type StartResult = { ok: true; sessionId: string } | { ok: false; error: string };

/** The double-start guard's refusal. */
export const START_IN_PROGRESS = 'Session start already in progress';

/** The session store's public face. */
export interface SessionStore {
  /** The session a project's pane shows and a prompt continues, if any. */
  current(projectId: string): SessionState | undefined;
  /** The session the project is mapped to (until the grace cleanup after done/error). */
  mapped(projectId: string): SessionState | undefined;
  /** A session by id. */
  get(sessionId: string): SessionState | undefined;
  /** Pane state of a project (sending flag, inline error). */
  pane(projectId: string): PaneState;
  /** Health of a project's session at `now` (ms since epoch). */
  health(projectId: string, now: number): ProjectHealth;
  /** Bumped whenever the project's stored sessions change (start, end, purge): History reloads on it. */
  historyRevision(projectId: string): number;
  /** Starts a new session; refuses with {@link START_IN_PROGRESS} while one is starting on the project. */
  start(projectId: string, prompt: string, provider: ProviderId, options?: SessionOptions): Promise<StartResult>;
  /** Follow-up on the pane's session, or a new session; resolves false (with a toast and an inline error) on failure. */
  send(projectId: string, prompt: string, provider: ProviderId, options?: SessionOptions): Promise<boolean>;
  /** Detaches the pane from its session so the next prompt starts a new one; false while a turn is under way. */
  newSession(projectId: string): boolean;
  /** Makes a stored session (an imported one, say) the pane's session, so a prompt resumes it; false while the pane is busy or when it is gone. */
  openStored(projectId: string, sessionId: string): Promise<boolean>;
  /** Stops the pane's session. */
  stop(projectId: string): Promise<void>;
  /** Answers a permission request of the pane's session (with an optional message to the agent); resolves false (with a toast) when refused. */
  answerPermission(projectId: string, requestId: string, optionId: string, message?: string): Promise<boolean>;
  /**
   * Restores the project's last stored session with its newest messages, unless one is starting or running;
   * installs it once `ready` settled (the settings its stall timer reads).
   */
  loadLastSession(projectId: string, ready?: Promise<unknown>): Promise<void>;
  /** Pages the session's next older messages into its transcript (transcript-paging.ts); never rejects. */
  loadEarlier(sessionId: string): Promise<void>;
  /** Drops a session from memory and clears all its timers (stall, debounce, cleanup). */
  purgeSession(sessionId: string): void;
  /** Purges the given sessions of a project, or all of them. */
  purgeProjectSessions(projectId: string, sessionIds?: readonly string[]): void;
  /** Re-arms the stall timers after a settings change. */
  settingsChanged(): void;
  /** Clears the inline error of a pane. */
  clearError(projectId: string): void;
  /** Catches every session up with the main process by seqId (`session.sync`); call on each (re)connect. */
  resync(): Promise<void>;
  /** Asks the main process to persist every session through what its pane shows, now (e.g. before the page goes away). */
  flushAll(): Promise<void>;
  /** Drops a removed project's sessions and their timers. */
  forgetProject(projectId: string): void;
  /** Unregisters the RPC listeners and stops every timer. */
  dispose(): void;
}
