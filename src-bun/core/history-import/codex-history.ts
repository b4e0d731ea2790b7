/**
 * Codex's rollout files, `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl`
 * (format as written by codex-cli 0.169.0; recorded in
 * test/fixtures/history/codex.jsonl), mapped to AgentEvents shaped as the
 * live Codex adapter (providers/codex/app-server-adapter.ts) makes them:
 * shell commands are `shell` tool calls with the unwrapped `command`,
 * patches are `apply_patch` calls, searches `web_search`.
 *
 * The rollout's `response_item` lines are the conversation as the model saw
 * it, in every Codex version, so they are what is imported:
 * `message` (user and assistant), `reasoning` (its readable summary),
 * `function_call`/`custom_tool_call`/`local_shell_call`/`web_search_call`
 * and their outputs. The live adapter reads app-server notifications,
 * which the rollout does not hold, so it cannot be fed these lines.
 *
 * Not imported, and counted in `skipped`:
 * - `developer`/`system` messages and user messages that are context Codex
 *   injects (`<environment_context>`, `<user_instructions>`, AGENTS.md text);
 * - reasoning with only `encrypted_content` (nothing readable);
 * - `event_msg` lines (the UI stream: they repeat the response items),
 *   `turn_context`, `world_state`, `token_usage_record`, `compacted`
 *   (a replacement history for the model); `session_meta` gives the thread
 *   id, cwd and version, the last `token_count` the session's tokens.
 */
import { unwrapShellCommand } from '../../providers/codex/app-server-adapter';
import { clip, int, isObj, objects, str, TEXT_MAX, type Obj } from '../../providers/raw-fields';
import type { AgentEvent } from '../../../src/shared/events';
import { countSkip, historyMapper, type HistoryMapper, type HistoryMeta } from './history-mapper';

const SHELL_TOOLS = new Set(['exec_command', 'shell', 'container.exec', 'shell_command']);
/** A user message that is wholly one XML-ish block (`<environment_context>…</environment_context>`) or AGENTS.md text is context, not a prompt. */
const INJECTED = /^\s*(<([\w -]+)>[\s\S]*<\/\2>\s*$|# AGENTS\.md instructions)/;

function textOf(content: unknown): string {
  return objects(content).map((c) => str(c.text) ?? '').filter(Boolean).join('\n\n');
}

function parseJson(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * A shell tool's output as the model got it: `exec_command` prints a header
 * (`Process exited with code N`, … `Output:`) before the output; the older
 * `shell` tool gives JSON `{output, metadata:{exit_code}}`.
 */
export function shellOutput(raw: string): { output: string; exitCode?: number } {
  const json = parseJson(raw);
  if (isObj(json) && typeof json.output === 'string') {
    const code = isObj(json.metadata) && typeof json.metadata.exit_code === 'number' ? json.metadata.exit_code : undefined;
    return { output: json.output, ...(code !== undefined ? { exitCode: code } : {}) };
  }
  const header = /^[\s\S]*?Process exited with code (-?\d+)[\s\S]*?\nOutput:\n/.exec(raw);
  if (!header) return { output: raw };
  return { output: raw.slice(header[0].length), exitCode: Number(header[1]) };
}

/** Creates a mapper for one Codex rollout file. */
export function createCodexHistoryMapper(): HistoryMapper {
  const meta: HistoryMeta = {};
  const skipped = new Map<string, number>();
  /** Call ids of shell tools: their outputs are parsed for the exit code. */
  const shellCalls = new Set<string>();
  let ordinal = 0;
  const idOf = (item: Obj, prefix: string) => clip(str(item.id) ?? `${prefix}-${ordinal++}`, 512);

  function message(item: Obj): AgentEvent[] {
    const role = str(item.role);
    const text = textOf(item.content);
    if (role === 'assistant' && text) return [{ type: 'text', id: idOf(item, 'assistant'), role: 'assistant', text: clip(text, TEXT_MAX), mode: 'replace' }];
    if (role === 'user' && text && !INJECTED.test(text)) return [{ type: 'text', id: clip(`user-${idOf(item, 'user')}`, 512), role: 'user', text: clip(text, TEXT_MAX), mode: 'replace' }];
    countSkip(skipped, role === 'user' ? 'user context (injected by Codex)' : `${role ?? 'unknown'} message`);
    return [];
  }

  function toolCall(item: Obj): AgentEvent[] {
    const id = clip(str(item.call_id) ?? idOf(item, 'call'), 512);
    const name = str(item.name) ?? 'tool';
    if (item.type === 'local_shell_call' || SHELL_TOOLS.has(name)) {
      const args = parseJson(str(item.arguments));
      const action = isObj(item.action) ? item.action : isObj(args) ? args : {};
      const raw = action.cmd ?? action.command;
      const argv = Array.isArray(raw) ? raw.filter((p): p is string => typeof p === 'string') : undefined;
      // `local_shell_call` gives argv, e.g. ["bash", "-lc", "<command>"]: the command is its last part.
      const command = argv ? (argv.length === 3 && /^-l?c$/.test(argv[1]) ? argv[2] : argv.join(' ')) : (str(raw) ?? '');
      shellCalls.add(id);
      return [{ type: 'tool_call', id, name: 'shell', input: { command }, command: clip(unwrapShellCommand(command), 65536) }];
    }
    if (item.type === 'custom_tool_call') return [{ type: 'tool_call', id, name: clip(name, 256), input: name === 'apply_patch' ? { patch: str(item.input) ?? '' } : { input: str(item.input) ?? '' } }];
    return [{ type: 'tool_call', id, name: clip(name, 256), input: parseJson(str(item.arguments)) ?? {} }];
  }

  function toolResult(item: Obj): AgentEvent[] {
    const id = str(item.call_id);
    if (!id) return [];
    const raw = isObj(item.output) ? (str(item.output.content) ?? JSON.stringify(item.output)) : (str(item.output) ?? textOf(item.output));
    if (!shellCalls.has(id)) return [{ type: 'tool_result', id: clip(id, 512), output: clip(raw, TEXT_MAX), isError: false }];
    const { output, exitCode } = shellOutput(raw);
    return [{ type: 'tool_result', id: clip(id, 512), output: clip(output.replace(/\n$/, ''), TEXT_MAX), isError: exitCode !== undefined && exitCode !== 0 }];
  }

  function responseItem(item: Obj): AgentEvent[] {
    switch (item.type) {
      case 'message':
        return message(item);
      case 'reasoning': {
        const parts = objects(item.content).length ? objects(item.content) : objects(item.summary);
        const text = parts.map((p) => str(p.text) ?? '').filter(Boolean).join('\n\n');
        if (text) return [{ type: 'thinking', id: idOf(item, 'reasoning'), text: clip(text, TEXT_MAX), mode: 'replace' }];
        countSkip(skipped, 'encrypted reasoning');
        return [];
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call':
        return toolCall(item);
      case 'function_call_output':
      case 'custom_tool_call_output':
        return toolResult(item);
      case 'web_search_call': {
        const query = isObj(item.action) ? (str(item.action.query) ?? '') : '';
        const id = idOf(item, 'search');
        return [
          { type: 'tool_call', id, name: 'web_search', input: { query } },
          { type: 'tool_result', id, output: clip(`Searched the web for "${query}"`, TEXT_MAX), isError: false },
        ];
      }
      default:
        countSkip(skipped, `response_item/${str(item.type) ?? '?'}`);
        return [];
    }
  }

  function mapLine(line: Obj): AgentEvent[] {
    const payload = isObj(line.payload) ? line.payload : {};
    switch (line.type) {
      case 'session_meta':
        meta.providerSessionId ??= str(payload.id);
        meta.cwd ??= str(payload.cwd);
        meta.version ??= str(payload.cli_version);
        return [];
      case 'turn_context':
        meta.model = str(payload.model) ?? meta.model;
        countSkip(skipped, 'turn_context');
        return [];
      case 'response_item':
        return responseItem(payload);
      case 'event_msg':
        if (payload.type === 'token_count' && isObj(payload.info) && isObj(payload.info.total_token_usage)) {
          meta.inputTokens = int(payload.info.total_token_usage.input_tokens);
          meta.outputTokens = int(payload.info.total_token_usage.output_tokens);
        }
        countSkip(skipped, 'event_msg');
        return [];
      default:
        countSkip(skipped, str(line.type) ?? 'untyped');
        return [];
    }
  }

  return historyMapper(meta, skipped, mapLine);
}
