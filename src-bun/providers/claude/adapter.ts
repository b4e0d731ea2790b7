/**
 * Pure adapter: Claude Code `--output-format stream-json --verbose` events
 * (the same objects the Agent SDK's `query()` yields as `SDKMessage`) ->
 * Corral {@link AgentEvent}s. No I/O, no clock; anything it does not
 * understand maps to `[]`.
 *
 * Source shapes (Claude Code 2.1.x, see test/fixtures/claude/*.jsonl):
 *  - `{type:'system', subtype:'init', session_id, model, cwd, tools[], claude_code_version}`
 *  - `{type:'assistant', message:{id, model, content:[one block], usage}, error?, parent_tool_use_id}`:
 *    one event per content block (`text`, `thinking{thinking,signature}`, `tool_use{id,name,input}`),
 *    all blocks of one API message share `message.id`. A model/API failure arrives as a synthetic
 *    one (`model:'<synthetic>'`, `error:'server_error'|'authentication_failed'|...`) whose text
 *    repeats the result's error text.
 *  - `{type:'user', message:{content:[{type:'tool_result', tool_use_id, content, is_error}]}}`
 *  - `{type:'stream_event', event:<Messages API stream event>}` with `--include-partial-messages`
 *  - `{type:'system', subtype:'compact_boundary', compact_metadata{trigger, pre_tokens}}`
 *  - `{type:'result', subtype, is_error, result, errors[], api_error_status, terminal_reason,
 *    total_cost_usd, usage{input_tokens, cache_creation_input_tokens, cache_read_input_tokens,
 *    output_tokens}, modelUsage{<model>:{inputTokens, outputTokens, cacheReadInputTokens,
 *    cacheCreationInputTokens, costUSD, contextWindow}}}`. On a resumed session `total_cost_usd`
 *    and `modelUsage` carry the session's running total; `usage` covers this run only. An
 *    interrupted turn ends with `subtype:'error_during_execution'`, `terminal_reason:'aborted_streaming'`
 *    (or another `aborted_*`), after an `assistant` event with `aborted: true` holding the partial text.
 */
import type { AgentEvent, FatalKind } from '../../../src/shared/events';
import { CLAUDE_EDIT_TOOLS, claudeCallEdits, claudeResultEdits } from './edits';
import { adaptClaudeRateLimit } from '../rate-limit';

type Obj = Record<string, unknown>;
type Kind = 'text' | 'thinking';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const int = (v: unknown): number => Math.floor(num(v));
/** Keeps strings within the AgentEvent schema's limits. */
const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);
const TEXT_MAX = 8 * 1024 * 1024;

/** Tools whose `input.command` is a shell command line. */
const SHELL_TOOLS = new Set(['Bash', 'PowerShell']);

/**
 * Classifies a Claude Code failure as one that must not be retried.
 * Inputs: the error text, the HTTP status (`api_error_status`), the
 * assistant `error` code (`authentication_failed`, `billing_error`, ...) and
 * `terminal_reason` (`prompt_too_long`, ...), each optional.
 */
export function classifyClaudeError(info: { message?: string; status?: number; errorCode?: string; terminalReason?: string }): FatalKind | undefined {
  const text = info.message ?? '';
  if (info.terminalReason === 'prompt_too_long' || /prompt is too long|context.{0,20}(limit|length) exceeded/i.test(text)) return 'prompt_too_long';
  if (info.status === 401 || info.status === 403) return 'auth';
  if (info.errorCode && ['authentication_failed', 'oauth_org_not_allowed', 'cloud_credential_error'].includes(info.errorCode)) return 'auth';
  if (/invalid (x-)?api[ -]?key|authentication_error|please run \/login|not authenticated/i.test(text)) return 'auth';
  if (info.status === 402 || info.errorCode === 'billing_error') return 'quota';
  if (/credit balance|quota|billing|usage limit|spend(ing)? limit/i.test(text) && (info.status === undefined || info.status === 429 || info.status === 400)) return 'quota';
  return undefined;
}

function blocksOf(message: unknown): Obj[] {
  if (!isObj(message)) return [];
  const content = message.content;
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isObj) : [];
}

/** Flattens tool_result `content` (a string, or text/image blocks) into display text. */
function flattenToolResult(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : JSON.stringify(content);
  return content
    .map((b) => (isObj(b) && typeof b.text === 'string' ? b.text : isObj(b) && b.type === 'image' ? '[image]' : ''))
    .filter((s) => s !== '')
    .join('\n');
}

type ToolCallEvent = Extract<AgentEvent, { type: 'tool_call' }>;

function toolCall(block: Obj, state: StreamState): AgentEvent[] {
  const id = str(block.id);
  const name = str(block.name);
  if (!id || !name) return [];
  const input = isObj(block.input) ? block.input : {};
  const command = SHELL_TOOLS.has(name) ? str(input.command) : undefined;
  const path = str(input.file_path) ?? str(input.notebook_path) ?? (/^(Glob|Grep|LS)$/.test(name) ? str(input.path) : undefined);
  const edits = claudeCallEdits(name, input);
  const event: ToolCallEvent = {
    type: 'tool_call', id: clip(id, 512), name: clip(name, 256), input,
    ...(command !== undefined ? { command: clip(command, 65536) } : {}),
    ...(path !== undefined ? { path: clip(path, 4096) } : {}),
    ...(edits ? { edits } : {}),
  };
  if (CLAUDE_EDIT_TOOLS.has(name)) state.editCalls.set(event.id, event);
  return [event];
}

function inputSide(usage: Obj): number {
  return int(usage.input_tokens) + int(usage.cache_creation_input_tokens) + int(usage.cache_read_input_tokens);
}

/** Per-stream state: block ordinals per API message, and what the result needs from earlier events. */
type StreamState = {
  /** Full `assistant` events: next ordinal per message id and kind. */
  fullOrdinals: Map<string, Record<Kind, number>>;
  /** Partial `stream_event`s: next ordinal per message id and kind, and stream block index -> event id. */
  partialOrdinals: Map<string, Record<Kind, number>>;
  partialIds: Map<string, string>;
  /** Message id currently streaming, per thread (`parent_tool_use_id` or `main`). */
  streaming: Map<string, string>;
  /** Input-side tokens of the latest main-thread request: the context in use. */
  contextTokens?: number;
  /** `error` code of the latest synthetic assistant error message. */
  lastErrorCode?: string;
  /** Calls of file tools by id, until their result says what they changed. */
  editCalls: Map<string, ToolCallEvent>;
};

function nextId(ordinals: Map<string, Record<Kind, number>>, messageId: string, kind: Kind): string {
  const counts = ordinals.get(messageId) ?? { text: 0, thinking: 0 };
  ordinals.set(messageId, counts);
  return clip(`${messageId}:${kind}:${counts[kind]++}`, 512);
}

function adaptAssistant(raw: Obj, state: StreamState): AgentEvent[] {
  const message = isObj(raw.message) ? raw.message : undefined;
  if (!message) return [];
  // A synthetic API-error message repeats the text of the `result` that follows; that result says it once.
  if (str(raw.error) || message.model === '<synthetic>') {
    state.lastErrorCode = str(raw.error) ?? state.lastErrorCode;
    return [];
  }
  const messageId = str(message.id) ?? str(raw.uuid);
  if (!messageId) return [];
  if (raw.parent_tool_use_id == null && isObj(message.usage)) state.contextTokens = inputSide(message.usage);
  const events: AgentEvent[] = [];
  for (const block of blocksOf(message)) {
    if (block.type === 'text' && typeof block.text === 'string') {
      events.push({ type: 'text', id: nextId(state.fullOrdinals, messageId, 'text'), role: 'assistant', text: clip(block.text, TEXT_MAX), mode: 'replace' });
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      events.push({ type: 'thinking', id: nextId(state.fullOrdinals, messageId, 'thinking'), text: clip(block.thinking, TEXT_MAX), mode: 'replace' });
    } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      events.push(...toolCall(block, state));
    }
  }
  return events;
}

/**
 * Tool results; a file tool's call is sent again with the edits its
 * `tool_use_result` reports (same id: it updates in place), placed in the file.
 */
function adaptUser(raw: Obj, state: StreamState): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (const block of blocksOf(raw.message)) {
    const id = str(block.tool_use_id);
    if (block.type !== 'tool_result' || !id) continue;
    const call = state.editCalls.get(clip(id, 512));
    const edits = call && block.is_error !== true ? claudeResultEdits(raw.tool_use_result) : undefined;
    if (call && edits) events.push({ ...call, edits });
    state.editCalls.delete(clip(id, 512));
    events.push({ type: 'tool_result', id: clip(id, 512), output: clip(flattenToolResult(block.content), TEXT_MAX), isError: block.is_error === true });
  }
  return events;
}

function adaptStreamEvent(raw: Obj, state: StreamState): AgentEvent[] {
  const event = isObj(raw.event) ? raw.event : undefined;
  if (!event) return [];
  const thread = str(raw.parent_tool_use_id) ?? 'main';
  if (event.type === 'message_start' && isObj(event.message)) {
    const messageId = str(event.message.id);
    if (messageId) state.streaming.set(thread, messageId);
    if (thread === 'main' && isObj(event.message.usage)) state.contextTokens = inputSide(event.message.usage);
    return [];
  }
  const messageId = state.streaming.get(thread);
  const index = typeof event.index === 'number' ? event.index : undefined;
  if (!messageId || index === undefined) return [];
  const key = `${messageId}#${index}`;
  if (event.type === 'content_block_start' && isObj(event.content_block)) {
    const kind = event.content_block.type;
    if (kind === 'text' || kind === 'thinking') state.partialIds.set(key, nextId(state.partialOrdinals, messageId, kind));
    return [];
  }
  if (event.type !== 'content_block_delta' || !isObj(event.delta)) return [];
  const id = state.partialIds.get(key);
  if (!id) return [];
  const delta = event.delta;
  if (delta.type === 'text_delta' && typeof delta.text === 'string') return [{ type: 'text', id, role: 'assistant', text: clip(delta.text, TEXT_MAX), mode: 'append' }];
  if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') return [{ type: 'thinking', id, text: clip(delta.thinking, TEXT_MAX), mode: 'append' }];
  return [];
}

function adaptResult(raw: Obj, state: StreamState): AgentEvent[] {
  const events: AgentEvent[] = [];
  const usage = isObj(raw.usage) ? raw.usage : {};
  const models = isObj(raw.modelUsage) ? Object.values(raw.modelUsage).filter(isObj) : [];
  // modelUsage is the session's running total (it survives --resume); usage covers this run only.
  const inputTokens = models.length > 0
    ? models.reduce((n, m) => n + int(m.inputTokens) + int(m.cacheCreationInputTokens) + int(m.cacheReadInputTokens), 0)
    : inputSide(usage);
  const outputTokens = models.length > 0 ? models.reduce((n, m) => n + int(m.outputTokens), 0) : int(usage.output_tokens);
  const contextWindow = Math.max(0, ...models.map((m) => int(m.contextWindow)));
  const contextTokens = state.contextTokens ?? inputSide(usage);
  if (typeof raw.total_cost_usd === 'number' || models.length > 0 || Object.keys(usage).length > 0) {
    events.push({
      type: 'cost', costUsd: num(raw.total_cost_usd), inputTokens, outputTokens,
      ...(contextTokens > 0 ? { contextTokens } : {}),
      ...(contextWindow > 0 ? { contextWindow } : {}),
    });
  }
  const subtype = str(raw.subtype);
  // An interrupted turn (terminal_reason aborted_streaming / aborted_tools) is a stop, not a failure.
  const stopped = str(raw.terminal_reason)?.startsWith('aborted') === true;
  if (!stopped && (raw.is_error === true || (subtype !== undefined && subtype !== 'success'))) {
    const status = typeof raw.api_error_status === 'number' ? raw.api_error_status : undefined;
    const errors = Array.isArray(raw.errors) ? raw.errors.filter((e): e is string => typeof e === 'string') : [];
    let message = str(raw.result)?.trim() || errors.join('\n').trim() || `Claude Code ended the turn with ${subtype ?? 'an error'}`;
    if (status !== undefined && !message.includes(String(status))) message = `${message} (HTTP ${status})`;
    const fatal = classifyClaudeError({ message, status, errorCode: state.lastErrorCode, terminalReason: str(raw.terminal_reason) });
    events.push({ type: 'error', message: clip(message, 65536), ...(fatal ? { fatal } : {}) });
  }
  state.fullOrdinals.clear();
  state.partialOrdinals.clear();
  state.partialIds.clear();
  state.streaming.clear();
  state.editCalls.clear();
  state.contextTokens = undefined;
  state.lastErrorCode = undefined;
  return events;
}

function adaptSystem(raw: Obj): AgentEvent[] {
  if (raw.subtype === 'init') {
    const sessionId = str(raw.session_id);
    if (!sessionId) return [];
    const model = str(raw.model);
    const cwd = str(raw.cwd);
    const version = str(raw.claude_code_version);
    const tools = Array.isArray(raw.tools) ? raw.tools.filter((t): t is string => typeof t === 'string').slice(0, 1000).map((t) => clip(t, 256)) : undefined;
    return [{
      type: 'init', providerSessionId: clip(sessionId, 512),
      ...(model ? { model: clip(model, 256) } : {}),
      ...(cwd ? { cwd: clip(cwd, 4096) } : {}),
      ...(tools ? { tools } : {}),
      ...(version ? { version: clip(version, 64) } : {}),
    }];
  }
  if (raw.subtype === 'compact_boundary') {
    const id = str(raw.uuid);
    if (!id) return [];
    const meta = isObj(raw.compact_metadata) ? raw.compact_metadata : {};
    const trigger = str(meta.trigger);
    const summary = trigger ? `${trigger} compaction of ${int(meta.pre_tokens)} tokens` : undefined;
    return [{ type: 'compaction', id: clip(id, 512), ...(summary ? { summary } : {}) }];
  }
  return [];
}

/** A stateful adapter for one Claude Code event stream; `adapt` never throws and does no I/O. */
export type ClaudeAdapter = { adapt(raw: unknown): AgentEvent[] };

/**
 * Creates an adapter for one event stream (one `claude -p` run or one SDK
 * `query()`). The state gives stable ids: the n-th text block of API message
 * `msg_x` is `msg_x:text:n` whether it arrives as partial deltas (`append`)
 * or as the complete block (`replace`), and it lets the `result`'s cost event
 * report the context in use (input-side tokens of the latest request).
 */
export function createClaudeAdapter(): ClaudeAdapter {
  const state: StreamState = { fullOrdinals: new Map(), partialOrdinals: new Map(), partialIds: new Map(), streaming: new Map(), editCalls: new Map() };
  return {
    adapt(raw) {
      if (!isObj(raw)) return [];
      try {
        switch (raw.type) {
          case 'system': return adaptSystem(raw);
          case 'assistant': return adaptAssistant(raw, state);
          case 'user': return adaptUser(raw, state);
          case 'stream_event': return adaptStreamEvent(raw, state);
          case 'result': return adaptResult(raw, state);
          case 'rate_limit_event': return adaptClaudeRateLimit(raw);
          default: return [];
        }
      } catch {
        // Defensive: a malformed provider event must never take the sidecar down.
        return [];
      }
    },
  };
}

/**
 * Stateless convenience: maps one event on its own. Ids are derived from the
 * event alone, so it suits single events and tests; use
 * {@link createClaudeAdapter} for a whole stream.
 */
export function adaptClaudeEvent(raw: unknown): AgentEvent[] {
  return createClaudeAdapter().adapt(raw);
}
