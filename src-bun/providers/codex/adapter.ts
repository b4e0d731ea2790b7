/**
 * Pure adapter: Codex `codex exec --json` JSONL events (Codex 0.169, the
 * same objects `@openai/codex-sdk` yields as `ThreadEvent`) -> Corral
 * {@link AgentEvent}s. No I/O, no clock; anything it does not understand
 * maps to `[]`.
 *
 * Source shapes (see test/fixtures/codex/*.jsonl):
 *  - `{type:'thread.started', thread_id}`, `{type:'turn.started'}`
 *  - `{type:'item.started'|'item.updated'|'item.completed', item:{id, type, ...}}` with item types
 *    `agent_message{text}`, `reasoning{text}`,
 *    `command_execution{command, aggregated_output, exit_code|null, status:'in_progress'|'completed'|'failed'}`,
 *    `file_change{changes:[{path, kind:'add'|'delete'|'update'}], status}`,
 *    `mcp_tool_call{server, tool, arguments, result?{content[]}, error?{message}, status}`,
 *    `web_search{query}`, `todo_list{items:[{text, completed}]}`, `error{message}` (non-fatal).
 *    Item ids (`item_0`, ...) restart at 0 in every `codex exec` process, so event ids get a per-turn prefix.
 *  - `{type:'turn.completed', usage:{input_tokens, cached_input_tokens, cache_write_input_tokens,
 *    output_tokens, reasoning_output_tokens}}`: the thread's running totals (they include earlier
 *    turns of a resumed thread); `input_tokens` already counts the cached ones.
 *  - `{type:'turn.failed', error:{message}}` and `{type:'error', message}`, which repeat the same text.
 */
import type { AgentEvent, FatalKind, FileEdit } from '../../../src/shared/events';
import { ID_MAX, TEXT_MAX, clip, int, isObj, objects, str, type Obj } from '../raw-fields';

/**
 * Classifies a Codex failure message as one that must not be retried:
 * context window exhausted, quota or billing, or authentication. Codex
 * reports only text, e.g. "Codex ran out of room in the model's context
 * window…", "Quota exceeded. Check your plan and billing details.",
 * "unexpected status 401 Unauthorized: …".
 */
export function classifyCodexError(message: string): FatalKind | undefined {
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

/** What a file change did, for its tool result: `add` -> `added <path>`. */
const CHANGE_VERB: Record<string, string> = { add: 'added', delete: 'deleted', update: 'updated' };

/** Flattens MCP result content blocks (`{type:'text', text}`, images, resources) to display text. */
function mcpResultText(result: unknown): string {
  if (!isObj(result)) return '';
  const parts = objects(result.content).map((b) => (typeof b.text === 'string' ? b.text : b.type === 'image' ? '[image]' : b.type ? `[${String(b.type)}]` : ''));
  const text = parts.filter(Boolean).join('\n');
  if (text) return text;
  return result.structured_content === undefined || result.structured_content === null ? '' : JSON.stringify(result.structured_content);
}

type State = {
  prefix: string;
  /** Event ids whose tool_call was already emitted: an item's started and completed events show it once. */
  calls: Set<string>;
  /** Event ids whose tool_result was already emitted. */
  results: Set<string>;
  /** The tool calls of each `file_change` item by item id: one per changed file. */
  fileChanges: Map<string, { id: string; path: string; kind: string }[]>;
  /** Message of the last error reported, so `error` + `turn.failed` with the same text show once. */
  lastError?: string;
  /** Context given at creation, reported with `init`. */
  model?: string;
  cwd?: string;
  version?: string;
};

const eventId = (state: State, itemId: string, suffix = '') => clip(`${state.prefix}${itemId}${suffix}`, ID_MAX);

function callOnce(state: State, event: Extract<AgentEvent, { type: 'tool_call' }>): AgentEvent[] {
  if (state.calls.has(event.id)) return [];
  state.calls.add(event.id);
  return [event];
}

function resultOnce(state: State, event: Extract<AgentEvent, { type: 'tool_result' }>): AgentEvent[] {
  if (state.results.has(event.id)) return [];
  state.results.add(event.id);
  return [event];
}

function adaptItem(item: Obj, phase: 'started' | 'updated' | 'completed', state: State): AgentEvent[] {
  const itemId = str(item.id);
  if (!itemId) return [];
  const id = eventId(state, itemId);
  const finished = phase === 'completed';
  switch (item.type) {
    case 'agent_message': {
      const text = str(item.text);
      return text === undefined ? [] : [{ type: 'text', id, role: 'assistant', text: clip(text, TEXT_MAX), mode: 'replace' }];
    }
    case 'reasoning': {
      const text = str(item.text);
      return text ? [{ type: 'thinking', id, text: clip(text, TEXT_MAX), mode: 'replace' }] : [];
    }
    case 'command_execution': {
      const raw = str(item.command) ?? '';
      const command = clip(unwrapShellCommand(raw), 65536);
      const events = callOnce(state, { type: 'tool_call', id, name: 'shell', input: { command: raw }, command });
      if (!finished && item.status === 'in_progress') return events;
      const exitCode = typeof item.exit_code === 'number' ? item.exit_code : undefined;
      const isError = item.status === 'failed' || (exitCode !== undefined && exitCode !== 0);
      const output = str(item.aggregated_output) ?? '';
      return [...events, ...resultOnce(state, { type: 'tool_result', id, output: clip(output.replace(/\n$/, ''), TEXT_MAX), isError })];
    }
    case 'file_change': {
      const events: AgentEvent[] = [];
      const calls: { id: string; path: string; kind: string }[] = [];
      state.fileChanges.set(itemId, calls);
      for (const [index, change] of objects(item.changes).entries()) {
        const path = str(change.path);
        if (!path) continue;
        const kind = str(change.kind) ?? 'update';
        const changeId = eventId(state, itemId, `:${index}`);
        calls.push({ id: changeId, path, kind });
        events.push(...callOnce(state, { type: 'tool_call', id: changeId, name: 'apply_patch', input: { path, kind }, path: clip(path, 4096) }));
        if (finished || item.status === 'completed' || item.status === 'failed') {
          const failed = item.status === 'failed';
          events.push(...resultOnce(state, { type: 'tool_result', id: changeId, output: clip(`${failed ? 'failed to apply' : CHANGE_VERB[kind] ?? kind} ${path}`, TEXT_MAX), isError: failed }));
        }
      }
      return events;
    }
    case 'mcp_tool_call': {
      const server = str(item.server) ?? 'mcp';
      const tool = str(item.tool) ?? 'tool';
      const events = callOnce(state, { type: 'tool_call', id, name: clip(`${server}.${tool}`, 256), input: item.arguments ?? {} });
      if (!finished && item.status === 'in_progress') return events;
      const error = isObj(item.error) ? str(item.error.message) : undefined;
      const isError = item.status === 'failed' || error !== undefined;
      return [...events, ...resultOnce(state, { type: 'tool_result', id, output: clip(error ?? mcpResultText(item.result), TEXT_MAX), isError })];
    }
    case 'web_search': {
      const query = str(item.query) ?? '';
      const events = callOnce(state, { type: 'tool_call', id, name: 'web_search', input: { query } });
      // The event carries no results; the completed item only says the search ran.
      return finished ? [...events, ...resultOnce(state, { type: 'tool_result', id, output: clip(`Searched the web for "${query}"`, TEXT_MAX), isError: false })] : events;
    }
    case 'todo_list': {
      const lines = objects(item.items).map((t) => `- [${t.completed === true ? 'x' : ' '}] ${str(t.text) ?? ''}`);
      return lines.length ? [{ type: 'text', id, role: 'assistant', text: clip(lines.join('\n'), TEXT_MAX), mode: 'replace' }] : [];
    }
    case 'error': {
      const message = str(item.message);
      return message ? errorEvent(state, message) : [];
    }
    default:
      return [];
  }
}

function errorEvent(state: State, message: string): AgentEvent[] {
  if (state.lastError === message) return [];
  state.lastError = message;
  const fatal = classifyCodexError(message);
  return [{ type: 'error', message: clip(message, 65536), ...(fatal ? { fatal } : {}) }];
}

/** A stateful adapter for one `codex exec --json` run (one turn); no method throws or does I/O. */
export type CodexAdapter = {
  adapt(raw: unknown): AgentEvent[];
  /**
   * The tool calls of file_change item `itemId` (Codex's item id, e.g.
   * `item_0`) again, each with the `edits` of its file (matched by path), once
   * the runner found the patch text Codex's events leave out. Calls of files
   * without edits, and unknown items, give nothing.
   */
  fileChangeEdits(itemId: string, edits: FileEdit[]): AgentEvent[];
};

/**
 * Creates an adapter for one turn's event stream.
 * `idPrefix` makes event ids unique across turns (Codex restarts its item
 * ids in every process); `model` and `cwd` are reported with `init`, since
 * Codex's own events carry neither; nor its `version` (the CLI's, e.g. `0.169.0`).
 */
export function createCodexAdapter(opts: { idPrefix?: string; model?: string; cwd?: string; version?: string } = {}): CodexAdapter {
  const state: State = {
    prefix: opts.idPrefix ? `${opts.idPrefix}:` : '', calls: new Set(), results: new Set(), fileChanges: new Map(), model: opts.model, cwd: opts.cwd, version: opts.version,
  };
  return {
    fileChangeEdits(itemId, edits) {
      return (state.fileChanges.get(itemId) ?? []).flatMap((call): AgentEvent[] => {
        const own = edits.filter((e) => e.path === call.path).slice(0, 256);
        if (own.length === 0) return [];
        return [{ type: 'tool_call', id: call.id, name: 'apply_patch', input: { path: call.path, kind: call.kind }, path: clip(call.path, 4096), edits: own }];
      });
    },
    adapt(raw) {
      if (!isObj(raw)) return [];
      try {
        switch (raw.type) {
          case 'thread.started': {
            const threadId = str(raw.thread_id);
            if (!threadId) return [];
            return [{
              type: 'init', providerSessionId: clip(threadId, ID_MAX),
              ...(state.model ? { model: clip(state.model, 256) } : {}),
              ...(state.cwd ? { cwd: clip(state.cwd, 4096) } : {}),
              ...(state.version ? { version: clip(state.version, 64) } : {}),
            }];
          }
          case 'item.started':
          case 'item.updated':
          case 'item.completed':
            return isObj(raw.item) ? adaptItem(raw.item, raw.type.slice(5) as 'started' | 'updated' | 'completed', state) : [];
          case 'turn.completed': {
            const usage = isObj(raw.usage) ? raw.usage : {};
            return [{ type: 'cost', costUsd: null, inputTokens: int(usage.input_tokens), outputTokens: int(usage.output_tokens) }];
          }
          case 'turn.failed': {
            const message = isObj(raw.error) ? str(raw.error.message) : undefined;
            return errorEvent(state, message?.trim() || 'Codex reported a failed turn');
          }
          case 'error': {
            const message = str(raw.message);
            return message ? errorEvent(state, message) : [];
          }
          default:
            return [];
        }
      } catch {
        // Defensive: a malformed provider event must never take the sidecar down.
        return [];
      }
    },
  };
}
