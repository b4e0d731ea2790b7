/**
 * Claude Code's own session files, `<config>/projects/<folder slug>/<session id>.jsonl`
 * (format as written by Claude Code 2.1.330; recorded in
 * test/fixtures/history/claude.jsonl), mapped to AgentEvents.
 *
 * The `assistant` and `user` lines carry the same `message` as the live
 * stream-json events, so they go through the live adapter
 * (providers/claude/adapter.ts); the file spells `tool_use_result` as
 * `toolUseResult`. A user prompt (text, not a tool result) becomes a
 * `text` event with role `user`, as Corral stores a prompt it sent.
 *
 * Not imported, and counted in `skipped`:
 * - `isSidechain` lines: a subagent's own conversation (Task tool); its
 *   result already shows as the Task call's tool result;
 * - `isMeta` user lines: text Claude Code injects (command caveats, reminders);
 * - synthetic API-error messages become an `error` event instead of text;
 * - every other line type is bookkeeping: `queue-operation`, `attachment`,
 *   `summary`, `file-history-snapshot`, `last-prompt`, `api-request*`,
 *   `tools-used`, `mode`, `atis-latch`; `cost-state` only sets the session's cost.
 */
import { createClaudeAdapter } from '../../providers/claude/adapter';
import { clip, int, isObj, num, str, TEXT_MAX, type Obj } from '../../providers/raw-fields';
import type { AgentEvent } from '../../../src/shared/events';
import { countSkip, historyMapper, type HistoryMapper, type HistoryMeta } from './history-mapper';

/** The text of a user prompt: a string `content`, or its `text` blocks joined (tool results are not prompt text). */
function promptText(message: Obj): string {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content)) return '';
  return message.content.filter(isObj).filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('\n\n');
}

/** Creates a mapper for one Claude Code session file. */
export function createClaudeHistoryMapper(): HistoryMapper {
  const adapter = createClaudeAdapter();
  const meta: HistoryMeta = {};
  const skipped = new Map<string, number>();

  function user(line: Obj, message: Obj): AgentEvent[] {
    if (line.isMeta === true) {
      countSkip(skipped, 'meta (injected by Claude Code)');
      return [];
    }
    const events: AgentEvent[] = [];
    const text = promptText(message);
    const id = str(line.uuid);
    if (text && id) events.push({ type: 'text', id: clip(`user-${id}`, 512), role: 'user', text: clip(text, TEXT_MAX), mode: 'replace' });
    // Tool results through the live adapter, which reads stream-json's spelling.
    events.push(...adapter.adapt({ ...line, tool_use_result: line.toolUseResult }));
    return events;
  }

  function assistant(line: Obj, message: Obj): AgentEvent[] {
    const model = str(message.model);
    if (model === '<synthetic>' || str(line.error)) {
      const text = promptText(message) || str(line.error) || 'API error';
      return [{ type: 'error', message: clip(text, 65536) }];
    }
    if (model) meta.model = model;
    return adapter.adapt(line);
  }

  function mapLine(line: Obj): AgentEvent[] {
    const type = str(line.type) ?? 'untyped';
    if (type === 'cost-state') {
      meta.costUsd = num(line.totalCostUSD);
      const models = isObj(line.modelUsage) ? Object.values(line.modelUsage).filter(isObj) : [];
      meta.inputTokens = models.reduce((n, m) => n + int(m.inputTokens) + int(m.cacheCreationInputTokens) + int(m.cacheReadInputTokens), 0);
      meta.outputTokens = models.reduce((n, m) => n + int(m.outputTokens), 0);
      return [];
    }
    if (type === 'system' && line.subtype === 'compact_boundary') {
      return adapter.adapt({ ...line, compact_metadata: line.compactMetadata ?? line.compact_metadata });
    }
    if (type !== 'user' && type !== 'assistant') {
      countSkip(skipped, type === 'system' ? `system/${str(line.subtype) ?? '?'}` : type);
      return [];
    }
    if (line.isSidechain === true) {
      countSkip(skipped, 'sidechain (subagent)');
      return [];
    }
    const message = isObj(line.message) ? line.message : undefined;
    if (!message) {
      countSkip(skipped, `${type} without message`);
      return [];
    }
    meta.providerSessionId ??= str(line.sessionId);
    meta.cwd ??= str(line.cwd);
    meta.version = str(line.version) ?? meta.version;
    return type === 'user' ? user(line, message) : assistant(line, message);
  }

  return historyMapper(meta, skipped, mapLine);
}
