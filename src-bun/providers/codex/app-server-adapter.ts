/**
 * Pure adapter: `codex app-server` messages (JSON-RPC, protocol v2, Codex
 * 0.169; types from `codex app-server generate-ts`) -> Corral
 * {@link AgentEvent}s. No I/O, no clock; anything it does not understand maps
 * to `[]`. Recorded streams: test/fixtures/codex-app-server/*.jsonl.
 *
 * Notifications (`{method, params}`):
 *  - `item/started`, `item/completed` `{item:{id, type, …}}` with item types
 *    `agentMessage{text}`, `reasoning{summary[], content[]}`,
 *    `commandExecution{command, aggregatedOutput, exitCode, status:'inProgress'|'completed'|'failed'|'declined'}`,
 *    `fileChange{changes:[{path, kind:{type:'add'|'delete'|'update'}, diff}], status}` (one tool_call
 *    per change, its `diff` as the call's `edits`: {@link fileChangeEdits}),
 *    `mcpToolCall{server, tool, arguments, result?{content[]}, error?{message}, status}`,
 *    `webSearch{query}`, `plan{text}`, `contextCompaction`;
 *  - `item/agentMessage/delta`, `item/reasoning/textDelta`, `item/reasoning/summaryTextDelta` `{itemId, delta}`;
 *  - `turn/plan/updated {plan:[{step, status}]}`;
 *  - `thread/tokenUsage/updated {tokenUsage:{total, last, modelContextWindow}}`: `total` is the
 *    thread's running total (earlier turns and processes included), `last` the latest model call;
 *  - `error {error:{message, codexErrorInfo}, willRetry}` and
 *    `turn/completed {turn:{status:'completed'|'failed'|'interrupted', error}}`, which repeat the same error.
 * Server requests (approvals): `item/commandExecution/requestApproval {itemId, command, cwd, reason}`
 * and `item/fileChange/requestApproval {itemId, reason}`; a file change request names only the item,
 * whose changes came with its `item/started`.
 */
import { parsePatch } from 'diff';
import type { AgentEvent, FatalKind, FileEdit } from '../../../src/shared/events';
import { ID_MAX, TEXT_MAX, clip, int, isObj, objects, str, type Obj } from '../raw-fields';
import { CODEX_PERMISSION_OPTIONS, type CodexApprovalKind } from './approvals';
import { adaptCodexRateLimits } from '../rate-limit';

type PermissionRequest = Extract<AgentEvent, { type: 'permission_request' }>;

/**
 * Classifies a Codex failure as one that must not be retried: context
 * window exhausted, quota or billing, or authentication; from the
 * structured `codexErrorInfo` when given (`contextWindowExceeded`,
 * `usageLimitExceeded`, `unauthorized`, …), else from the message text
 * ("Codex ran out of room in the model's context window…", "Quota exceeded…",
 * "unexpected status 401 Unauthorized: …").
 */
export function classifyCodexError(message: string, info?: unknown): FatalKind | undefined {
  if (info === 'contextWindowExceeded') return 'prompt_too_long';
  if (info === 'usageLimitExceeded' || info === 'sessionBudgetExceeded') return 'quota';
  if (info === 'unauthorized') return 'auth';
  if (/context window|context_length_exceeded|maximum context length/i.test(message)) return 'prompt_too_long';
  if (/quota exceeded|insufficient_quota|usage limit|billing|usage_not_included/i.test(message)) return 'quota';
  if (/\b(401|403)\b.*(unauthori[sz]ed|forbidden)|invalid_api_key|incorrect api key|not logged in|please (re-?)?log ?in|missing (an )?api key/i.test(message)) return 'auth';
  return undefined;
}

/**
 * Unwraps the login-shell wrapper Codex reports around a command,
 * `/bin/bash -lc 'echo a && cat b'` -> `echo a && cat b` (`'\''` -> `'`).
 * Anything else is returned as is.
 */
export function unwrapShellCommand(command: string): string {
  const match = /^(?:\/\S*\/)?(?:bash|sh|zsh)\s+-l?c\s+'((?:[^']|'\\'')*)'$/s.exec(command.trim());
  return match ? match[1]!.replaceAll(`'\\''`, `'`) : command;
}

/** The `kind.type` of a file change: `add`, `delete` or `update`. */
const changeKind = (change: Obj): string => (isObj(change.kind) ? str(change.kind.type) : str(change.kind)) ?? 'update';

/** What a file change did, for its tool result: `add` -> `added <path>`. */
const CHANGE_VERB: Record<string, string> = { add: 'added', delete: 'deleted', update: 'updated' };

/**
 * The edits of one file change, from its `diff`: an `add` carries the new
 * file's content (one edit from line 1, `oldText: null`), a `delete` the
 * removed content, an `update` a unified diff (`@@ -3,3 +3,4 @@` hunks, no
 * file headers), one edit per hunk: its context and removed lines before,
 * its context and added lines after, placed at the hunk's `oldStart`/`newStart`
 * (parsed by jsdiff). No edits without a path, or for an update whose diff
 * has no hunk.
 */
export function fileChangeEdits(change: Obj): FileEdit[] {
  const path = str(change.path);
  const diff = str(change.diff) ?? '';
  if (!path) return [];
  const at = clip(path, 4096);
  const kind = changeKind(change);
  if (kind === 'add') return [{ path: at, oldText: null, newText: clip(diff, TEXT_MAX), oldStart: 1, newStart: 1 }];
  if (kind === 'delete') return [{ path: at, oldText: clip(diff, TEXT_MAX), newText: '', oldStart: 1, newStart: 1 }];
  const hunks = parsePatch(diff).flatMap((p) => p.hunks).slice(0, 256);
  return hunks.map((h) => {
    const side = (keep: string) => h.lines.filter((l) => l[0] === ' ' || l[0] === keep).map((l) => `${l.slice(1)}\n`).join('');
    return { path: at, oldText: clip(side('-'), TEXT_MAX), newText: clip(side('+'), TEXT_MAX), oldStart: Math.max(h.oldStart, 1), newStart: Math.max(h.newStart, 1) };
  });
}

/**
 * The one edit a permission card shows for a file change: its only edit, or,
 * for an update of several hunks, the hunks' texts joined with a `…` line
 * between them and no line numbers (the lines between hunks are not in the diff).
 */
function cardEdit(edits: FileEdit[]): FileEdit | undefined {
  if (edits.length <= 1) return edits[0];
  const joined = (side: (e: FileEdit) => string) => clip(edits.map(side).join('…\n'), TEXT_MAX);
  return { path: edits[0]!.path, oldText: joined((e) => e.oldText ?? ''), newText: joined((e) => e.newText) };
}

/** Flattens MCP result content blocks (`{type:'text', text}`, images, resources) to display text. */
function mcpResultText(result: unknown): string {
  if (!isObj(result)) return '';
  const parts = objects(result.content).map((b) => (typeof b.text === 'string' ? b.text : b.type ? `[${String(b.type)}]` : ''));
  const text = parts.filter(Boolean).join('\n');
  if (text) return text;
  return result.structuredContent === undefined || result.structuredContent === null ? '' : JSON.stringify(result.structuredContent);
}

/** Token figures of `thread/tokenUsage/updated`, as last reported. */
type Usage = { input: number; output: number; contextTokens?: number; contextWindow?: number };

type State = {
  prefix: string;
  /** Event ids whose tool_call / tool_result was already emitted: started and completed show an item once. */
  calls: Set<string>;
  results: Set<string>;
  /** The last error reported, so `error` + a failed `turn/completed` with the same text show once. */
  lastError?: string;
  usage?: Usage;
  /** File change items seen this turn, by item id: their approval requests name only the item. */
  fileChanges: Map<string, Obj[]>;
};

const eventId = (state: State, itemId: string, suffix = '') => clip(`${state.prefix}${itemId}${suffix}`, ID_MAX);

function once<E extends AgentEvent & { id: string }>(seen: Set<string>, event: E): AgentEvent[] {
  if (seen.has(event.id)) return [];
  seen.add(event.id);
  return [event];
}

/** Thinking text of a reasoning item: its raw content when the model gave it, else the summary. */
function reasoningText(item: Obj): string {
  const parts = (v: unknown) => (Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && p !== '') : []);
  const content = parts(item.content);
  return (content.length ? content : parts(item.summary)).join('\n\n');
}

function adaptItem(item: Obj, completed: boolean, state: State): AgentEvent[] {
  const itemId = str(item.id);
  if (!itemId) return [];
  const id = eventId(state, itemId);
  const status = str(item.status);
  const finished = completed || (status !== undefined && status !== 'inProgress');
  switch (item.type) {
    case 'agentMessage': {
      const text = str(item.text);
      return text ? [{ type: 'text', id, role: 'assistant', text: clip(text, TEXT_MAX), mode: 'replace' }] : [];
    }
    case 'plan': {
      const text = str(item.text);
      return text ? [{ type: 'text', id, role: 'assistant', text: clip(text, TEXT_MAX), mode: 'replace' }] : [];
    }
    case 'reasoning': {
      const text = reasoningText(item);
      return text ? [{ type: 'thinking', id, text: clip(text, TEXT_MAX), mode: 'replace' }] : [];
    }
    case 'commandExecution': {
      const raw = str(item.command) ?? '';
      const events = once(state.calls, { type: 'tool_call', id, name: 'shell', input: { command: raw }, command: clip(unwrapShellCommand(raw), 65536) });
      if (!finished) return events;
      const declined = status === 'declined';
      const exitCode = typeof item.exitCode === 'number' ? item.exitCode : undefined;
      const output = declined ? 'Declined: the command did not run.' : (str(item.aggregatedOutput) ?? '').replace(/\n$/, '');
      const isError = declined || status === 'failed' || (exitCode !== undefined && exitCode !== 0);
      return [...events, ...once(state.results, { type: 'tool_result', id, output: clip(output, TEXT_MAX), isError })];
    }
    case 'fileChange': {
      const changes = objects(item.changes);
      if (!finished) state.fileChanges.set(itemId, changes);
      const events: AgentEvent[] = [];
      for (const [index, change] of changes.entries()) {
        const path = str(change.path);
        if (!path) continue;
        const kind = changeKind(change);
        const changeId = eventId(state, itemId, `:${index}`);
        const input = { path, kind, diff: str(change.diff) ?? '' };
        const edits = fileChangeEdits(change);
        events.push(...once(state.calls, { type: 'tool_call', id: changeId, name: 'apply_patch', input, path: clip(path, 4096), ...(edits.length ? { edits } : {}) }));
        if (!finished) continue;
        const output = status === 'declined' ? `Declined: ${path} was not changed.` : status === 'failed' ? `failed to apply ${path}` : `${CHANGE_VERB[kind] ?? kind} ${path}`;
        events.push(...once(state.results, { type: 'tool_result', id: changeId, output: clip(output, TEXT_MAX), isError: status === 'declined' || status === 'failed' }));
      }
      return events;
    }
    case 'mcpToolCall': {
      const events = once(state.calls, { type: 'tool_call', id, name: clip(`${str(item.server) ?? 'mcp'}.${str(item.tool) ?? 'tool'}`, 256), input: item.arguments ?? {} });
      if (!finished) return events;
      const error = isObj(item.error) ? str(item.error.message) : undefined;
      const isError = status === 'failed' || error !== undefined;
      return [...events, ...once(state.results, { type: 'tool_result', id, output: clip(error ?? mcpResultText(item.result), TEXT_MAX), isError })];
    }
    case 'webSearch': {
      const query = str(item.query) ?? '';
      const events = once(state.calls, { type: 'tool_call', id, name: 'web_search', input: { query } });
      // The item carries no results; the completed item only says the search ran.
      return completed ? [...events, ...once(state.results, { type: 'tool_result', id, output: clip(`Searched the web for "${query}"`, TEXT_MAX), isError: false })] : events;
    }
    case 'contextCompaction':
      return completed ? [{ type: 'compaction', id }] : [];
    default:
      return [];
  }
}

function errorEvent(state: State, message: string, info?: unknown): AgentEvent[] {
  if (state.lastError === message) return [];
  state.lastError = message;
  const fatal = classifyCodexError(message, info);
  return [{ type: 'error', message: clip(message, 65536), ...(fatal ? { fatal } : {}) }];
}

function costEvent(usage: Usage): AgentEvent {
  return {
    type: 'cost', costUsd: null, inputTokens: usage.input, outputTokens: usage.output,
    ...(usage.contextTokens ? { contextTokens: usage.contextTokens } : {}),
    ...(usage.contextWindow ? { contextWindow: usage.contextWindow } : {}),
  };
}

function adaptNotification(method: string, params: Obj, state: State): AgentEvent[] {
  switch (method) {
    case 'item/started':
    case 'item/completed':
      return isObj(params.item) ? adaptItem(params.item, method === 'item/completed', state) : [];
    case 'item/agentMessage/delta':
    case 'item/reasoning/textDelta':
    case 'item/reasoning/summaryTextDelta': {
      const itemId = str(params.itemId);
      const delta = str(params.delta);
      if (!itemId || !delta) return [];
      const id = eventId(state, itemId);
      return method === 'item/agentMessage/delta'
        ? [{ type: 'text', id, role: 'assistant', text: clip(delta, TEXT_MAX), mode: 'append' }]
        : [{ type: 'thinking', id, text: clip(delta, TEXT_MAX), mode: 'append' }];
    }
    case 'turn/plan/updated': {
      const lines = objects(params.plan).map((s) => `- [${s.status === 'completed' ? 'x' : ' '}] ${str(s.step) ?? ''}`);
      return lines.length ? [{ type: 'text', id: eventId(state, 'plan'), role: 'assistant', text: clip(lines.join('\n'), TEXT_MAX), mode: 'replace' }] : [];
    }
    case 'account/rateLimits/updated':
      return adaptCodexRateLimits(params);
    case 'thread/tokenUsage/updated': {
      const usage = isObj(params.tokenUsage) ? params.tokenUsage : {};
      const total = isObj(usage.total) ? usage.total : {};
      const last = isObj(usage.last) ? usage.last : undefined;
      state.usage = {
        input: int(total.inputTokens), output: int(total.outputTokens),
        // The latest call's prompt plus its answer is what the context holds now.
        ...(last ? { contextTokens: int(last.inputTokens) + int(last.outputTokens) } : {}),
        ...(int(usage.modelContextWindow) ? { contextWindow: int(usage.modelContextWindow) } : {}),
      };
      return [];
    }
    case 'error': {
      if (params.willRetry === true || !isObj(params.error)) return [];
      const message = str(params.error.message);
      return message ? errorEvent(state, message, params.error.codexErrorInfo) : [];
    }
    case 'turn/completed': {
      const turn = isObj(params.turn) ? params.turn : {};
      const events: AgentEvent[] = [];
      if (turn.status === 'failed') {
        const error = isObj(turn.error) ? turn.error : {};
        events.push(...errorEvent(state, str(error.message)?.trim() || 'Codex reported a failed turn', error.codexErrorInfo));
      }
      if (state.usage && turn.status !== 'failed') events.push(costEvent(state.usage));
      return events;
    }
    default:
      return [];
  }
}

/** The `permission_request` card of an approval request; undefined for anything else. */
function approvalCard(id: string, method: string, params: Obj, state: State): { kind: CodexApprovalKind; request: PermissionRequest } | undefined {
  const reason = str(params.reason);
  const base = { type: 'permission_request' as const, id: clip(id, ID_MAX), options: CODEX_PERMISSION_OPTIONS.map((o) => ({ ...o })) };
  if (method === 'item/commandExecution/requestApproval') {
    const command = unwrapShellCommand(str(params.command) ?? '');
    const title = command ? `Run a command: ${command}` : 'Run a command';
    return {
      kind: 'command',
      request: { ...base, title: clip(reason ? `${title} (${reason})` : title, 4096), tool: 'shell', ...(command ? { command: clip(command, 65536) } : {}) },
    };
  }
  if (method === 'item/fileChange/requestApproval') {
    const itemId = str(params.itemId);
    const changes = (itemId && state.fileChanges.get(itemId)) || [];
    const paths = changes.map((c) => str(c.path)).filter((p): p is string => !!p);
    const first = changes[0];
    const diff = changes.length === 1 && first ? cardEdit(fileChangeEdits(first)) : undefined;
    const verb = first && changeKind(first) === 'add' ? 'Create' : first && changeKind(first) === 'delete' ? 'Delete' : 'Edit';
    const title = paths.length === 1 ? `${verb} ${paths[0]}` : paths.length > 1 ? `Change ${paths.length} files: ${paths.join(', ')}` : 'Change files';
    return {
      kind: 'edit',
      request: {
        ...base, title: clip(reason ? `${title} (${reason})` : title, 4096), tool: 'apply_patch',
        ...(paths[0] ? { path: clip(paths[0], 4096) } : {}),
        ...(diff ? { diff } : {}),
      },
    };
  }
  return undefined;
}

/** A stateful adapter for one Codex thread; `notification` and `approval` never throw and do no I/O. */
export type CodexAppServerAdapter = {
  /** Starts a turn: event ids get `prefix` (ids of a turn never collide with another turn's), per-turn state is reset. */
  startTurn(prefix: string): void;
  notification(method: string, params: unknown): AgentEvent[];
  /** The card for an approval request, with `id` as its event id, and what it asks about; undefined for other requests. */
  approval(id: string, method: string, params: unknown): { kind: CodexApprovalKind; request: PermissionRequest } | undefined;
};

/** Creates an adapter; token usage carries over between turns (a resumed thread reports its totals before the next turn starts). */
export function createCodexAppServerAdapter(): CodexAppServerAdapter {
  const state: State = { prefix: '', calls: new Set(), results: new Set(), fileChanges: new Map() };
  return {
    startTurn(prefix) {
      state.prefix = prefix ? `${prefix}:` : '';
      state.calls.clear();
      state.results.clear();
      state.fileChanges.clear();
      state.lastError = undefined;
    },
    notification(method, params) {
      if (!isObj(params)) return [];
      try {
        return adaptNotification(method, params, state);
      } catch {
        // Defensive: a malformed provider message must never take the sidecar down.
        return [];
      }
    },
    approval(id, method, params) {
      if (!isObj(params)) return undefined;
      try {
        return approvalCard(id, method, params, state);
      } catch {
        return undefined;
      }
    },
  };
}
