/**
 * Pure adapter: Agent Client Protocol (ACP v1) messages from an agent ->
 * Corral {@link AgentEvent}s. No I/O, no clock; anything it does not
 * understand maps to `[]`.
 *
 * Inputs (see test/fixtures/acp/*.jsonl, recorded from Gemini CLI 0.61 `--acp`
 * and claude-agent-acp 0.49):
 *  - `session/update` params `.update`, by `sessionUpdate`:
 *    `agent_message_chunk` / `agent_thought_chunk` `{content:{type:'text', text}, messageId?}`;
 *    `tool_call` `{toolCallId, title, kind?, status?, rawInput?, content?[], locations?[{path}]}` and
 *    `tool_call_update` (same fields, all optional but the id; `rawOutput?`);
 *    `plan` `{entries:[{content, status:'pending'|'in_progress'|'completed', priority}]}`;
 *    `usage_update` `{used, size, cost?{amount, currency}}` (context tokens in use / window; cost is the
 *    session's running total); `notice` `{severity, title, description?}`; `compaction_update`
 *    `{compactionId, status, summary?[]}`; `user_message_chunk` and the command/mode/config/info
 *    updates carry nothing to show.
 *  - `session/request_permission` params `{toolCall: tool_call_update fields, options:[{optionId, name, kind}]}`;
 *    edits carry `content:[{type:'diff', path, oldText?, newText}]`, as do `tool_call`/`tool_call_update`
 *    of edit tools (those become the tool_call's `edits`).
 *  - the `session/prompt` result `{stopReason, usage?{inputTokens, outputTokens, cachedReadTokens,
 *    cachedWriteTokens}}` (claude-agent-acp, per turn) or `_meta.quota.token_count{input_tokens,
 *    output_tokens}` (Gemini CLI, per turn).
 */
import type { AgentEvent, FatalKind, FileEdit } from '../../../src/shared/events';
import { ID_MAX, TEXT_MAX, clip, int, isObj, num, objects, str, type Obj } from '../raw-fields';

type ToolCallEvent = Extract<AgentEvent, { type: 'tool_call' }>;

/** Display names of ACP tool kinds, used when the agent names no tool. */
const KIND_NAMES: Record<string, string> = {
  execute: 'shell', edit: 'edit', read: 'read', delete: 'delete', move: 'move', search: 'search', fetch: 'fetch', think: 'think',
};

/**
 * Classifies an agent's error text as one that must not be retried, as the
 * agents word them: "Prompt is too long" / "exceeds the maximum number of
 * tokens", "Invalid API key" / "API key not valid", "Credit balance is too
 * low" / "exceeded your current quota".
 */
export function classifyAcpError(message: string): FatalKind | undefined {
  if (/prompt is too long|context (window|length)|exceeds the maximum number of tokens|too many tokens/i.test(message)) return 'prompt_too_long';
  if (/invalid api key|api key not valid|authentication|unauthori[sz]ed|please run \/login|not logged in|\b401\b/i.test(message)) return 'auth';
  if (/credit balance|quota|billing|usage limit|resource_exhausted/i.test(message)) return 'quota';
  return undefined;
}

/**
 * The readable text of a JSON-RPC error from an agent (`{code, message, data?}`):
 * a message that is itself a JSON error body (Gemini CLI passes the API's
 * `{"error":{"message":…}}` through) is unwrapped, and `data.details`
 * (Gemini CLI) is appended; claude-agent-acp's messages read as they are.
 */
export function acpErrorText(error: { message?: unknown; data?: unknown }): string {
  let text = str(error.message)?.trim() || 'The ACP agent reported an error';
  try {
    const inner: unknown = JSON.parse(text);
    const nested = isObj(inner) && isObj(inner.error) ? str(inner.error.message) : undefined;
    if (nested) text = nested;
  } catch {
    // Not JSON: the message is already prose.
  }
  const details = isObj(error.data) ? str(error.data.details)?.trim() : undefined;
  return details ? `${text}: ${details}` : text;
}

/** Text of ACP content blocks (`{type:'text', text}`, resource links, embedded resources); images as `[image]`. */
function blockText(block: unknown): string {
  if (!isObj(block)) return '';
  if (typeof block.text === 'string') return block.text;
  if (block.type === 'image') return '[image]';
  if (block.type === 'resource_link') return str(block.uri) ?? '';
  if (isObj(block.resource)) return str(block.resource.text) ?? str(block.resource.uri) ?? '';
  return '';
}

/** Flattens tool-call `content[]` (`content`, `diff`, `terminal` items) into result text. */
function toolContentText(content: unknown): string {
  return objects(content).map((item) => {
    if (item.type === 'content') return blockText(item.content);
    if (item.type === 'diff') return `${item.oldText ? 'edited' : 'wrote'} ${str(item.path) ?? ''}`.trim();
    if (item.type === 'terminal') return `[terminal ${str(item.terminalId) ?? ''}]`;
    return '';
  }).filter(Boolean).join('\n');
}

/**
 * The `diff` items of a tool call's content as file edits: `oldText` null
 * (or absent) for a new file. ACP gives no line numbers: a new file starts at
 * line 1; elsewhere the position is unknown (claude-agent-acp sends Edit's
 * snippets, Gemini CLI whole files).
 */
function diffEdits(content: unknown): FileEdit[] {
  return objects(content)
    .filter((c) => c.type === 'diff' && typeof c.path === 'string' && typeof c.newText === 'string')
    .slice(0, 256)
    .map((c) => {
      const oldText = typeof c.oldText === 'string' ? clip(c.oldText, TEXT_MAX) : null;
      return { path: clip(c.path as string, 4096), oldText, newText: clip(c.newText as string, TEXT_MAX), ...(oldText === null ? { oldStart: 1, newStart: 1 } : {}) };
    });
}

/** The first diff of a tool call's content, as a permission card shows it. */
function firstDiff(content: unknown): FileEdit | undefined {
  return diffEdits(content)[0];
}

/** Renders a plan as a Markdown checklist: `- [x] done`, `- [ ] next (in progress)`. */
export function planChecklist(entries: unknown): string {
  return objects(entries).map((e) => {
    const status = str(e.status);
    return `- [${status === 'completed' ? 'x' : ' '}] ${str(e.content) ?? ''}${status === 'in_progress' ? ' (in progress)' : ''}`;
  }).join('\n');
}

type ToolState = { name: string; input: unknown; command?: string; path?: string; edits?: FileEdit[]; kind?: string; resulted: boolean };

/** Per-runner state: what is known about tool calls, the open text segments, and the session's usage totals. */
type State = {
  prefix: string;
  tools: Map<string, ToolState>;
  /** Open streamed segment per kind: its event id and the agent's message id; closed by any other update. */
  segment: { kind: 'text' | 'thinking'; id: string; messageId?: string } | null;
  segments: number;
  notices: number;
  /** Running totals over the runner's turns, tokens; `costUsd` is the agent's own running total, if it reports one. */
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  contextTokens?: number;
  contextWindow?: number;
};

function costEvent(state: State): AgentEvent {
  return {
    type: 'cost', scope: 'sidecar', costUsd: state.costUsd, inputTokens: state.inputTokens, outputTokens: state.outputTokens,
    ...(state.contextTokens !== undefined ? { contextTokens: state.contextTokens } : {}),
    ...(state.contextWindow !== undefined && state.contextWindow > 0 ? { contextWindow: state.contextWindow } : {}),
  };
}

function chunk(state: State, kind: 'text' | 'thinking', update: Obj): AgentEvent[] {
  const text = blockText(update.content);
  const messageId = str(update.messageId);
  const open = state.segment;
  if (!open || open.kind !== kind || (messageId !== undefined && open.messageId !== undefined && open.messageId !== messageId)) {
    const key = messageId ? `${kind}:${messageId}` : `${kind}:${++state.segments}`;
    state.segment = { kind, id: clip(`${state.prefix}${key}`, ID_MAX), messageId };
  }
  if (text === '') return [];
  const id = state.segment!.id;
  return kind === 'text'
    ? [{ type: 'text', id, role: 'assistant', text: clip(text, TEXT_MAX), mode: 'append' }]
    : [{ type: 'thinking', id, text: clip(text, TEXT_MAX), mode: 'append' }];
}

/**
 * Folds a `tool_call` / `tool_call_update` (or a permission request's
 * `toolCall`) into the tool's state; returns the tool_call event when what
 * it shows changed (same id: the UI updates it in place), and its result
 * once the status is final.
 */
function tool(state: State, update: Obj): AgentEvent[] {
  const toolCallId = str(update.toolCallId);
  if (!toolCallId) return [];
  const id = clip(toolCallId, ID_MAX);
  const prev = state.tools.get(id);
  const meta = isObj(update._meta) && isObj(update._meta.claudeCode) ? update._meta.claudeCode : {};
  const kind = str(update.kind) ?? prev?.kind;
  const title = str(update.title);
  const rawInput = isObj(update.rawInput) && Object.keys(update.rawInput).length > 0 ? update.rawInput : undefined;
  const name = str(update.name) ?? str(meta.toolName) ?? (prev?.name && prev.name !== 'tool' ? prev.name : undefined) ?? (kind ? KIND_NAMES[kind] : undefined) ?? 'tool';
  const input = rawInput ?? prev?.input ?? (title ? { title } : {});
  const location = objects(update.locations).map((l) => str(l.path)).find(Boolean);
  const path = location ?? (rawInput ? str(rawInput.file_path) ?? str(rawInput.path) : undefined) ?? firstDiff(update.content)?.path ?? prev?.path;
  const command = kind === 'execute' ? (rawInput ? str(rawInput.command) : undefined) ?? (title && title !== 'Terminal' ? title : undefined) ?? prev?.command : prev?.command;
  const diffs = diffEdits(update.content);
  const edits = diffs.length > 0 ? diffs : prev?.edits;
  const next: ToolState = { name, input, command, path, edits, kind, resulted: prev?.resulted ?? false };
  state.tools.set(id, next);
  const events: AgentEvent[] = [];
  const editsChanged = JSON.stringify(prev?.edits) !== JSON.stringify(edits);
  if (!prev || prev.name !== next.name || prev.input !== next.input || prev.command !== next.command || prev.path !== next.path || editsChanged) {
    const event: ToolCallEvent = {
      type: 'tool_call', id, name: clip(name, 256), input,
      ...(command !== undefined ? { command: clip(command, 65536) } : {}),
      ...(path !== undefined ? { path: clip(path, 4096) } : {}),
      ...(edits ? { edits } : {}),
    };
    events.push(event);
  }
  const status = str(update.status);
  if ((status === 'completed' || status === 'failed') && !next.resulted) {
    next.resulted = true;
    const output = typeof update.rawOutput === 'string' ? update.rawOutput
      : toolContentText(update.content) || (update.rawOutput !== undefined && update.rawOutput !== null ? JSON.stringify(update.rawOutput) : '');
    events.push({ type: 'tool_result', id, output: clip(output, TEXT_MAX), isError: status === 'failed' });
  }
  return events;
}

/** A stateful adapter for one ACP session as seen by one runner; no method throws or does I/O. */
export type AcpAdapter = {
  /** Starts a turn: event ids of this turn's messages get `prefix`; open text segments close. */
  startTurn(prefix: string): void;
  /** Maps one `session/update` notification's `update`. */
  update(update: unknown): AgentEvent[];
  /** Maps a `session/request_permission` request's params to the tool call it concerns and a permission_request with `id`. */
  permission(id: string, params: unknown): AgentEvent[];
  /** Maps the `session/prompt` result: the turn's usage, added to the running totals, as a cost event. */
  promptResult(result: unknown): { events: AgentEvent[]; stopReason: string | undefined };
};

/** Creates an adapter; token totals start at zero and grow over the runner's turns. */
export function createAcpAdapter(): AcpAdapter {
  const state: State = { prefix: '', tools: new Map(), segment: null, segments: 0, notices: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
  const guard = <T>(fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch {
      // Defensive: a malformed agent message must never take the sidecar down.
      return fallback;
    }
  };
  return {
    startTurn(prefix) {
      state.prefix = prefix ? `${prefix}:` : '';
      state.segment = null;
    },
    update(raw) {
      return guard([], () => {
        if (!isObj(raw)) return [];
        const kind = str(raw.sessionUpdate);
        if (kind === 'agent_message_chunk') return chunk(state, 'text', raw);
        if (kind === 'agent_thought_chunk') return chunk(state, 'thinking', raw);
        if (kind === 'usage_update') {
          state.contextTokens = int(raw.used);
          state.contextWindow = int(raw.size);
          const cost = isObj(raw.cost) ? raw.cost : undefined;
          if (!cost || str(cost.currency)?.toUpperCase() !== 'USD') return [];
          state.costUsd = Math.max(state.costUsd ?? 0, num(cost.amount));
          return [costEvent(state)];
        }
        if (kind === 'available_commands_update' || kind === 'current_mode_update' || kind === 'config_option_update' || kind === 'session_info_update' || kind === 'user_message_chunk') return [];
        state.segment = null;
        if (kind === 'tool_call' || kind === 'tool_call_update') return tool(state, raw);
        if (kind === 'plan') {
          const text = planChecklist(raw.entries);
          return text ? [{ type: 'text', id: clip(`${state.prefix}plan`, ID_MAX), role: 'assistant', text: clip(text, TEXT_MAX), mode: 'replace' }] : [];
        }
        if (kind === 'notice') {
          const message = [str(raw.title), str(raw.description)].filter(Boolean).join(': ');
          if (!message) return [];
          if (raw.severity === 'error') return [{ type: 'error', message: clip(message, 65536) }];
          return [{ type: 'text', id: clip(`${state.prefix}notice:${++state.notices}`, ID_MAX), role: 'assistant', text: clip(message, TEXT_MAX), mode: 'replace' }];
        }
        if (kind === 'compaction_update') {
          const id = str(raw.compactionId);
          if (!id || raw.status === 'failed') return [];
          const summary = objects(raw.summary).map(blockText).join('\n');
          return [{ type: 'compaction', id: clip(id, ID_MAX), ...(summary ? { summary: clip(summary, 65536) } : {}) }];
        }
        return [];
      });
    },
    permission(id, params) {
      return guard([], () => {
        if (!isObj(params)) return [];
        state.segment = null;
        const toolCall = isObj(params.toolCall) ? params.toolCall : {};
        const options = objects(params.options)
          .filter((o) => typeof o.optionId === 'string' && o.optionId !== '')
          .slice(0, 16)
          .map((o) => ({ optionId: clip(o.optionId as string, ID_MAX), name: clip(str(o.name) ?? (o.optionId as string), 256), kind: clip(str(o.kind) ?? 'other', 64) }));
        const diff = firstDiff(toolCall.content);
        const toolTitle = str(toolCall.title) ?? state.tools.get(str(toolCall.toolCallId) ?? '')?.name ?? 'a tool call';
        const events = tool(state, toolCall);
        // What the card shows of the call, as the tool's state knows it once the request's toolCall is folded in.
        const known = state.tools.get(str(toolCall.toolCallId) ?? '');
        return [
          ...events,
          {
            type: 'permission_request', id: clip(id, ID_MAX), title: clip(toolTitle, 4096), options,
            ...(diff ? { diff } : {}),
            ...(known?.name ? { tool: clip(known.name, 256) } : {}),
            ...(known?.command ? { command: known.command } : {}),
            ...(known?.path ?? diff?.path ? { path: known?.path ?? diff!.path } : {}),
          },
        ];
      });
    },
    promptResult(result) {
      return guard({ events: [], stopReason: undefined }, () => {
        state.segment = null;
        if (!isObj(result)) return { events: [], stopReason: undefined };
        const usage = isObj(result.usage) ? result.usage : undefined;
        const meta = isObj(result._meta) && isObj(result._meta.quota) && isObj(result._meta.quota.token_count) ? result._meta.quota.token_count : undefined;
        if (usage) {
          state.inputTokens += int(usage.inputTokens) + int(usage.cachedReadTokens) + int(usage.cachedWriteTokens);
          state.outputTokens += int(usage.outputTokens);
        } else if (meta) {
          state.inputTokens += int(meta.input_tokens);
          state.outputTokens += int(meta.output_tokens);
        }
        const reported = usage !== undefined || meta !== undefined || state.costUsd !== null;
        const stopReason = str(result.stopReason);
        // A call the agent never finished (rejected, cancelled) would otherwise look like it still runs.
        const unfinished: AgentEvent[] = [];
        for (const [id, t] of state.tools) {
          if (t.resulted) continue;
          t.resulted = true;
          unfinished.push({ type: 'tool_result', id, output: stopReason === 'cancelled' ? 'Cancelled' : 'Not run', isError: true });
        }
        return { events: [...unfinished, ...(reported ? [costEvent(state)] : [])], stopReason };
      });
    },
  };
}
