/**
 * A session's transcript as the pane shows it: normalized events folded into
 * display messages. Plain JS on purpose (no runes): a session can hold tens of
 * thousands of messages, so new ones are pushed onto one array and streamed
 * deltas replace a single slot, found through a key → index map. The owner
 * bumps a version signal after each batch so the UI knows to look again.
 *
 * It holds a window: the newest messages, from some seqId on. A restore
 * loads only the session's tail, older pages are prepended when the user
 * scrolls up ({@link Transcript.prepend}), and the oldest rows are dropped
 * again once the window grows past its size ({@link Transcript.trimFront}).
 * The main process holds every message, so nothing dropped here is lost.
 */
import type { AgentEvent, Approvals, FileEdit, WireMessage } from '../../shared/events';
/** A provider's usage-window report, as the pane header shows it. */
export type RateLimit = Extract<AgentEvent, { type: 'rate_limit' }>;

/** How a message is drawn; also the `data-role` of its element. */
export type DisplayRole = 'user' | 'assistant' | 'thinking' | 'tool-call' | 'tool-result' | 'system';

/** What a tool call shows: its name, input, and the command or path when the provider gave one. */
export interface ToolCallInfo {
  name: string;
  input: unknown;
  command?: string;
  path?: string;
  /** The file edits it makes, as a diff shows them. */
  edits?: FileEdit[];
}

/** A permission the agent asks for; answered through `agent.permission`. */
export interface PermissionInfo {
  /** The event id: the `requestId` of the answer. */
  requestId: string;
  options: { optionId: string; name: string; kind: string }[];
  /** The file the permission is about, for file tools. */
  path?: string;
  /** The tool the agent wants to run, and its command line for shell tools. */
  tool?: string;
  command?: string;
  /** An edit's text before (null: new file or unknown) and after. */
  diff?: FileEdit;
  /** The answer may carry a message to the agent. */
  acceptsMessage?: boolean;
  /** The option chosen, once the agent reported the answer (survives a reload). */
  answeredOptionId?: string;
}

/**
 * One displayed message. Immutable: an in-place update swaps the object in its
 * slot, so keyed rendering sees a new reference and redraws just that row.
 */
export interface DisplayMessage {
  /** Unique in the transcript: role plus the event id (or seqId for id-less events). */
  readonly key: string;
  readonly role: DisplayRole;
  /** seqId of the event that created the message. */
  readonly seqId: number;
  /** ms since epoch of the creating event. */
  readonly ts: number;
  /** Prose, thinking, tool output or system text. */
  readonly text: string;
  readonly tool?: ToolCallInfo;
  readonly permission?: PermissionInfo;
  /** Name of the tool a result answers, when its call is in the transcript. */
  readonly toolName?: string;
  /** The file path of the call a result answers (a Read's file), when its call is in the transcript and named one. */
  readonly toolPath?: string;
  readonly isError?: boolean;
  /** Bumped on every in-place update. */
  readonly rev: number;
}

/** Result of {@link Transcript.ingest}. */
export interface IngestResult {
  /** Messages applied by this call, in seqId order; a message held back behind a gap is not in it until the gap fills. */
  fresh: WireMessage[];
  /** True when a display message was added or updated. */
  displayChanged: boolean;
  /** True when messages are held back because a smaller seqId has not arrived: fill it with `session.sync`. */
  gap: boolean;
}

/**
 * Display messages of one session, applied exactly once each and in seqId
 * order, so the pane always equals what a fresh load of the same seqIds
 * would show. seqIds are contiguous per session (the main process numbers
 * every message), so a message past `maxSeqId + 1` means one was
 * missed: it is held back until the missing ones arrive, never applied
 * ahead of them.
 */
export class Transcript {
  /** The display messages; mutated in place, never copied. Read only. */
  readonly messages: DisplayMessage[] = [];
  private readonly indexByKey = new Map<string, number>();
  /** Every seqId up to this one is applied; -1 before the first. */
  private contiguous = -1;
  /** Messages past a gap, by seqId, waiting for the gap to fill. */
  private readonly held = new Map<number, WireMessage>();
  private readonly permissionTitles = new Map<string, string>();

  private latestApprovals: Approvals | undefined;
  private latestRateLimit: RateLimit | undefined;
  /** Keys of rows an `append` event created: a page prepended later may hold the start of their text. */
  private readonly appendCreated = new Set<string>();
  private earlier = false;
  private earlierThan = 0;
  private removedFront = 0;

  /** True when the main process holds messages older than this window: page them in with {@link prepend}. */
  get hasEarlier(): boolean {
    return this.earlier;
  }

  /** The seqId the next older page ends before (the `beforeSeqId` of `session.messages.load`). */
  get earlierBefore(): number {
    return this.earlierThan;
  }

  /**
   * How many rows the window's front moved since the transcript was built:
   * plus the rows {@link trimFront} dropped, minus the rows {@link prepend}
   * added. A list keeps its geometry across a move by shifting it as much.
   * `frontOffset + i` stays with row i as the window moves: for a transcript
   * built from the session's start it is the row's place in the session, for
   * a restored tail its place counted from the tail's first row.
   */
  get frontOffset(): number {
    return this.removedFront;
  }

  /** The provider's usage window as last reported (`rate_limit` events), for the pane header. */
  get rateLimit(): RateLimit | undefined {
    return this.latestRateLimit;
  }

  /** How the session's tools are approved, from its latest `init` that said (undefined: not known yet). */
  get approvals(): Approvals | undefined {
    return this.latestApprovals;
  }

  /**
   * Builds a transcript from stored messages (`session.messages.load`, or
   * `session.load`'s tail): applied in seqId order, each seqId once. `more`
   * says the list is a tail and older messages exist before its first seqId.
   */
  static fromStored(wires: readonly WireMessage[], more = false): Transcript {
    const t = new Transcript();
    t.ingest(wires, { complete: true });
    t.earlier = more && wires.length > 0;
    t.earlierThan = wires.reduce((min, w) => Math.min(min, w.seqId), Number.MAX_SAFE_INTEGER);
    return t;
  }

  /**
   * Adds a page of older messages in front of the window: `older` are the
   * messages before {@link earlierBefore} (`session.messages.load` with that
   * `beforeSeqId`), `more` whether still older ones exist. A message the
   * window's edge cut in two is joined again: streamed text the page holds
   * the start of is put before the window's part, and tool results learn the
   * name and path of calls the page holds. Returns the number of rows added.
   */
  prepend(older: readonly WireMessage[], more: boolean): number {
    const page = older.filter((w) => w && typeof w.seqId === 'number' && w.event && w.seqId < this.earlierThan);
    if (page.length === 0) {
      // Nothing older came back: there is nothing more to page in.
      this.earlier = false;
      return 0;
    }
    const o = Transcript.fromStored(page);
    const current = this.messages.splice(0, this.messages.length);
    const joined: DisplayMessage[] = o.messages.slice();
    for (const row of current) {
      const at = o.indexByKey.get(row.key);
      if (at === undefined) {
        joined.push(row.role === 'tool-result' && row.toolName === undefined ? withCall(row, o.find(`tool-call:${row.key.slice('tool-result:'.length)}`)) : row);
        continue;
      }
      const start = joined[at];
      const text = this.appendCreated.has(row.key) ? start.text + row.text : row.text;
      joined[at] = { ...row, seqId: start.seqId, ts: start.ts, text, tool: row.tool ?? start.tool, rev: row.rev + 1 };
      if (!o.appendCreated.has(row.key)) this.appendCreated.delete(row.key);
    }
    for (const key of o.appendCreated) this.appendCreated.add(key);
    for (const [id, title] of o.permissionTitles) if (!this.permissionTitles.has(id)) this.permissionTitles.set(id, title);
    this.latestApprovals ??= o.latestApprovals;
    this.latestRateLimit ??= o.latestRateLimit;
    const added = joined.length - current.length;
    this.replaceRows(joined);
    this.removedFront -= added;
    this.earlier = more;
    this.earlierThan = page[0].seqId;
    return added;
  }

  /**
   * Drops the oldest rows until `keep` remain (none when there are no more);
   * they stay in the main process, and {@link prepend} brings them back.
   * Returns the number of rows dropped. A dropped message that a later event
   * still updates comes back as its row of that time.
   */
  trimFront(keep: number): number {
    const drop = this.messages.length - keep;
    if (drop <= 0) return 0;
    const gone = this.messages.splice(0, drop);
    for (const row of gone) this.appendCreated.delete(row.key);
    this.replaceRows(this.messages.splice(0, this.messages.length));
    this.removedFront += drop;
    this.earlier = true;
    this.earlierThan = this.messages[0]?.seqId ?? this.contiguous + 1;
    return drop;
  }

  /** Makes `rows` the window, in place (the list holds on to the array), and rebuilds the key index. */
  private replaceRows(rows: DisplayMessage[]): void {
    this.indexByKey.clear();
    this.messages.length = 0;
    for (const row of rows) {
      this.indexByKey.set(row.key, this.messages.length);
      this.messages.push(row);
    }
  }

  /** Highest seqId applied (every smaller one is applied too), or -1: the `afterSeqId` of a `session.sync`. */
  get maxSeqId(): number {
    return this.contiguous;
  }

  /** Number of messages held back behind a gap. */
  get heldCount(): number {
    return this.held.size;
  }

  /** True when an event with this seqId was already applied or is held. */
  hasSeen(seqId: number): boolean {
    return seqId <= this.contiguous || this.held.has(seqId);
  }

  /** The title of a `permission_request` this transcript holds, by request id. */
  permissionTitle(requestId: string): string | undefined {
    return this.permissionTitles.get(requestId);
  }

  /**
   * Applies a batch. Seen seqIds are dropped; the rest are applied in seqId
   * order while they continue the transcript, and held back past a gap.
   * `complete: true` says the batch is everything the main process has after
   * some seqId (a `session.sync` answer, or a stored transcript): it is applied
   * whole, so a hole in it (messages lost in a crash) is accepted, not waited on.
   */
  ingest(wires: readonly WireMessage[], opts: { complete?: boolean } = {}): IngestResult {
    const fresh: WireMessage[] = [];
    let displayChanged = false;
    const take = (wire: WireMessage) => {
      this.contiguous = wire.seqId;
      fresh.push(wire);
      if (this.apply(wire)) displayChanged = true;
    };
    const batch = wires.filter((w) => w && typeof w.seqId === 'number' && w.event && !this.hasSeen(w.seqId));
    if (opts.complete && batch.length > 0) {
      const last = batch.reduce((max, w) => Math.max(max, w.seqId), -1);
      for (const [seqId, wire] of this.held) if (seqId <= last) { batch.push(wire); this.held.delete(seqId); }
      // Sorted, a repeated seqId follows its first copy, which moved `contiguous` to it.
      for (const wire of sortedBySeq(batch)) if (wire.seqId > this.contiguous) take(wire);
    } else {
      for (const wire of sortedBySeq(batch)) {
        if (wire.seqId <= this.contiguous) continue;
        if (wire.seqId === this.contiguous + 1) take(wire);
        else this.held.set(wire.seqId, wire);
      }
    }
    for (let next = this.held.get(this.contiguous + 1); next; next = this.held.get(this.contiguous + 1)) {
      this.held.delete(next.seqId);
      take(next);
    }
    return { fresh, displayChanged, gap: this.held.size > 0 };
  }

  private apply({ seqId, ts, event }: WireMessage): boolean {
    const ev = event as AgentEvent;
    switch (ev.type) {
      case 'text':
        return this.put(`${ev.role}:${ev.id}`, ev.role, seqId, ts, ev.text, ev.mode === 'append');
      case 'thinking':
        return this.put(`thinking:${ev.id}`, 'thinking', seqId, ts, ev.text, ev.mode === 'append');
      case 'tool_call': {
        const key = `tool-call:${ev.id}`;
        const prev = this.find(key)?.tool;
        const tool: ToolCallInfo = { name: ev.name, input: ev.input, command: ev.command ?? prev?.command, path: ev.path ?? prev?.path, edits: ev.edits ?? prev?.edits };
        return this.put(key, 'tool-call', seqId, ts, '', false, tool);
      }
      case 'tool_result': {
        const call = this.find(`tool-call:${ev.id}`)?.tool;
        return this.put(`tool-result:${ev.id}`, 'tool-result', seqId, ts, ev.output, false, undefined, call?.name, ev.isError, undefined, call?.path);
      }
      case 'error': {
        const text = ev.fatal ? `${ev.message} (${ev.fatal.replaceAll('_', ' ')})` : ev.message;
        return this.put(`system:seq:${seqId}`, 'system', seqId, ts, text, false, undefined, undefined, true);
      }
      case 'compaction':
        return this.put(`system:compaction:${ev.id}`, 'system', seqId, ts, ev.summary ? `Context compacted: ${ev.summary}` : 'Context compacted', false);
      case 'permission_request': {
        this.permissionTitles.set(ev.id, ev.title);
        const permission: PermissionInfo = {
          requestId: ev.id, options: ev.options, path: ev.path ?? ev.diff?.path, tool: ev.tool, command: ev.command, diff: ev.diff, acceptsMessage: ev.acceptsMessage,
          answeredOptionId: ev.answered?.optionId,
        };
        return this.put(`system:permission:${ev.id}`, 'system', seqId, ts, `Permission requested: ${ev.title}`, false, undefined, undefined, undefined, permission);
      }
      case 'init': {
        // No display message; the pane header shows how tools are approved.
        const changed = ev.approvals !== undefined && JSON.stringify(ev.approvals) !== JSON.stringify(this.latestApprovals);
        if (ev.approvals) this.latestApprovals = ev.approvals;
        return changed;
      }
      case 'rate_limit': {
        // No display message; the pane header shows the latest.
        const changed = JSON.stringify(ev) !== JSON.stringify(this.latestRateLimit);
        this.latestRateLimit = ev;
        return changed;
      }
      default:
        // status, cost and unknown types carry no display message.
        return false;
    }
  }

  private find(key: string): DisplayMessage | undefined {
    const i = this.indexByKey.get(key);
    return i === undefined ? undefined : this.messages[i];
  }

  /**
   * A known key updates its slot (keeping the creating seqId and time; `append`
   * adds to its text); a new key appends. Every message is built by this one
   * literal so all share one shape, which keeps ingest fast on long sessions.
   */
  private put(
    key: string,
    role: DisplayRole,
    seqId: number,
    ts: number,
    text: string,
    append: boolean,
    tool?: ToolCallInfo,
    toolName?: string,
    isError?: boolean,
    permission?: PermissionInfo,
    toolPath?: string,
  ): boolean {
    const i = this.indexByKey.get(key);
    if (i === undefined) {
      if (append) this.appendCreated.add(key);
      this.indexByKey.set(key, this.messages.length);
      this.messages.push({ key, role, seqId, ts, text, tool, permission, toolName, toolPath, isError, rev: 0 });
      return true;
    }
    const prev = this.messages[i];
    if (!append) this.appendCreated.delete(key);
    const nextText = append ? prev.text + text : text;
    this.messages[i] = { key, role, seqId: prev.seqId, ts: prev.ts, text: nextText, tool, permission, toolName, toolPath, isError, rev: prev.rev + 1 };
    return true;
  }
}

/** A tool result whose call a prepended page holds, with the call's name and path. */
function withCall(row: DisplayMessage, call: DisplayMessage | undefined): DisplayMessage {
  return call?.tool ? { ...row, toolName: call.tool.name, toolPath: call.tool.path, rev: row.rev + 1 } : row;
}

/** The batch in seqId order; a batch that already is (the usual case) is returned as is. */
function sortedBySeq(wires: WireMessage[]): WireMessage[] {
  for (let i = 1; i < wires.length; i++) if (wires[i].seqId < wires[i - 1].seqId) return [...wires].sort((a, b) => a.seqId - b.seqId);
  return wires;
}
