/**
 * What the session search indexes, shared by the main process (which builds
 * the index) and the UI (which opens a hit): one document per display
 * message, keyed the way the transcript keys its display messages
 * (src/lib/stores/transcript.ts), so a hit names the row to scroll to.
 *
 * Indexed: user prompts, assistant text and thinking (streamed deltas that
 * share an event id make one document: `append` adds to its text, `replace`
 * swaps it), a tool call's command line and file path, and a tool result's
 * output (its first {@link MAX_INDEXED_TOOL_OUTPUT_CHARS} characters). Not
 * indexed: tool-call inputs beyond command and path, errors, permission
 * requests, status and cost events.
 */
import type { AgentEvent } from './events';

/** Kinds of display message that are searchable; the transcript's `DisplayRole` of the message. */
export const SEARCH_ROLES = ['user', 'assistant', 'thinking', 'tool-call', 'tool-result'] as const;
export type SearchRole = (typeof SEARCH_ROLES)[number];

/** Tool output past this many characters (UTF-16 code units) is not indexed: a `cat` of a big file should not bloat the index. */
export const MAX_INDEXED_TOOL_OUTPUT_CHARS = 65_536;

/** The searchable part of one event: the display message it belongs to and how its text applies. */
export interface SearchDocUpdate {
  /** The transcript's key of the display message: `<role>:<event id>`. */
  key: string;
  role: SearchRole;
  text: string;
  /** True: the text is added to the message's text (a streamed delta); false: it replaces it. */
  append: boolean;
}

/** The searchable part of `event`, or null when it has none (status, cost, errors, a tool call without command or path…). */
export function searchDocUpdate(event: AgentEvent): SearchDocUpdate | null {
  switch (event.type) {
    case 'text':
      return { key: `${event.role}:${event.id}`, role: event.role, text: event.text, append: event.mode === 'append' };
    case 'thinking':
      return { key: `thinking:${event.id}`, role: 'thinking', text: event.text, append: event.mode === 'append' };
    case 'tool_call': {
      // A later copy without command or path (Codex's item.completed) keeps what the first one said, as the transcript does.
      const text = [event.command, event.path].filter((part) => part).join('\n');
      return text ? { key: `tool-call:${event.id}`, role: 'tool-call', text, append: false } : null;
    }
    case 'tool_result':
      return { key: `tool-result:${event.id}`, role: 'tool-result', text: event.output.slice(0, MAX_INDEXED_TOOL_OUTPUT_CHARS), append: false };
    default:
      return null;
  }
}
