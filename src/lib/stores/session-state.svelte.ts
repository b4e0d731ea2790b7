/**
 * One session as the UI holds it: reactive status, cost, tokens and health
 * inputs, and a transcript that is mutated in place with an explicit version
 * signal.
 */
import { SvelteMap } from 'svelte/reactivity';
import type { FatalKind, StatusReason } from '../../shared/events';
import { SESSION_STATUSES, type SessionStatus } from '../../shared/session-status';
import type { ProviderId } from '../../shared/providers';
import type { SessionRecord } from '../../shared/records';
import type { TimerHandle } from '../../shared/clock';
import type { CostSnapshot, HealthSource } from './health';
import type { PersistScheduler } from './persist-scheduler';
import { Transcript, type DisplayMessage } from './transcript';

/** Statuses in which a session has a turn under way (Stop is enabled, nothing may replace it). */
export const ACTIVE_STATUSES: ReadonlySet<SessionStatus> = new Set(['starting', 'running']);
/** Statuses that end a turn: they flush, toast, and start the grace-period cleanup. */
export const FINISHED_STATUSES: ReadonlySet<SessionStatus> = new Set(['done', 'error']);

/** Maps any status string to one the UI knows; unknown values become `idle`. */
export function normalizeStatus(status: unknown): SessionStatus {
  return (SESSION_STATUSES as readonly unknown[]).includes(status) ? (status as SessionStatus) : 'idle';
}

/** Every timer a session may hold; all of them are cleared when it is purged. */
export interface SessionTimers {
  stall: TimerHandle | null;
  cleanup: TimerHandle | null;
}

/** A session in the store. Fields marked reactive drive the pane. */
export class SessionState implements HealthSource {
  readonly id: string;
  readonly projectId: string;
  readonly provider: ProviderId;
  readonly createdAt: number;

  /** reactive */
  status = $state<SessionStatus>('starting');
  /** reactive: why the session left `running`, if the main process said */
  reason = $state<StatusReason | null>(null);
  /** reactive: error text of an `error` status */
  error = $state<string | null>(null);
  /** reactive: the kind of the last fatal provider error of this turn (`auth`: the pane shows how to sign in); cleared when a turn starts. */
  fatal = $state<FatalKind | null>(null);
  /** reactive: USD so far; null = not reported by the provider */
  costUsd = $state<number | null>(null);
  inputTokens = $state(0);
  outputTokens = $state(0);
  contextTokens = $state<number | null>(null);
  contextWindow = $state<number | null>(null);
  model = $state<string | null>(null);
  /** reactive: ms since epoch of the last change, on the main process's clock (from its record). */
  updatedAt = $state(0);
  providerSessionId: string | null = null;

  /** reactive: ms since epoch of the last message or status change (idle duration, stall timer). */
  lastActivityAt = $state(0);
  /** reactive: the stall timer fired and nothing happened since. */
  stalled = $state(false);
  /** reactive: the tool call under way (the newest call without a result), while a turn runs. */
  activeTool = $state<string | null>(null);
  /** reactive: permission requests waiting for the user (request id → title). */
  readonly pendingInput = new SvelteMap<string, string>();
  /** Tool calls without a result yet, id → name, oldest first. */
  readonly openTools = new Map<string, string>();
  /** Cost totals as they arrived, for the burn rate; see `recordCostSnapshot`. */
  readonly costSnapshots: CostSnapshot[] = [];
  /** Stall and grace-cleanup timers. */
  readonly timers: SessionTimers = { stall: null, cleanup: null };

  /**
   * The transcript; replaced wholesale only on restore. Its `messages` array is
   * mutated in place, so readers must also read {@link version}.
   */
  transcript = $state.raw(new Transcript());
  /** reactive: bumped after every batch that changed the display. */
  version = $state(0);
  /** reactive: an older page of the transcript is on its way (transcript-paging.ts). */
  earlierLoading = $state(false);
  /** reactive: why the last older page could not be loaded, until the next try. */
  earlierError = $state<string | null>(null);
  /** Set by the pane while the user reads away from the bottom: the window is not trimmed meanwhile. */
  readingEarlier = false;
  /** reactive: permission request id → the option the user chose (kept for this window's lifetime). */
  readonly permissionAnswers = new SvelteMap<string, string>();

  /** Bumped on every status change; lets an optimistic update (or a resync answer) check that no newer one came first. */
  statusEpoch = 0;
  /** Bumped on every cost change; a resync answer does not undo a cost that arrived while it was on its way. */
  costEpoch = 0;
  /** The last `error` event's text, used when an error status carries none. */
  lastErrorText: string | null = null;
  /** Set by the store once the session is registered: asks the main process to persist through a seqId. */
  saver: PersistScheduler | null = null;

  constructor(init: { id: string; projectId: string; provider: ProviderId; createdAt: number }) {
    this.id = init.id;
    this.projectId = init.projectId;
    this.provider = init.provider;
    this.createdAt = init.createdAt;
    this.updatedAt = init.createdAt;
    this.lastActivityAt = init.createdAt;
  }

  /** The display messages; reading this also subscribes to in-place changes. */
  get messages(): readonly DisplayMessage[] {
    void this.version;
    return this.transcript.messages;
  }

  /** True while a turn is starting or running. */
  get active(): boolean {
    return ACTIVE_STATUSES.has(this.status);
  }

  /** True while a permission request waits for the user. */
  get needsInput(): boolean {
    return this.pendingInput.size > 0;
  }

  /** Rebuilds a session from its stored record, status as stored: the main process marks dead turns `interrupted` itself. */
  static fromRecord(record: SessionRecord): SessionState {
    const s = new SessionState({ id: record.id, projectId: record.projectId, provider: record.provider, createdAt: record.createdAt });
    s.status = normalizeStatus(record.status);
    s.reason = record.reason;
    s.error = record.error;
    s.costUsd = record.costUsd;
    s.inputTokens = record.inputTokens;
    s.outputTokens = record.outputTokens;
    s.model = record.model;
    s.providerSessionId = record.providerSessionId;
    s.updatedAt = record.updatedAt;
    s.lastActivityAt = record.updatedAt;
    return s;
  }
}
