/**
 * Streaming markdown in linear time. A streamed answer grows by small deltas;
 * rendering the whole text again on each one costs O(n²) over the answer.
 * Instead, top-level blocks that later text can no longer change are
 * rendered (and sanitized) once, and only the open tail is lexed and
 * rendered again on each delta.
 *
 * When is a block final? Markdown is parsed line by line, and a block ends
 * when a line cannot continue it. A blank line ends every block except a
 * list, an indented code block or a block quote, and for those only the
 * first line of the next block decides whether it continues them (a list
 * item of the same list, an indented continuation). So the blocks before
 * `blank line + next block` are final, once that next block's first line is
 * complete when they are one of those three; the next block and everything
 * after it stays open. A fence left open, an HTML block
 * and a list with blank lines inside are single tokens, so they stay open as
 * a whole until they close.
 *
 * Falls back to rendering the whole text (correct, not linear) when the text
 * holds a reference definition (`[label]: url`, which changes links anywhere
 * in the text, even before it) or a carriage return (marked rewrites those,
 * so offsets would not match).
 *
 * The concatenated HTML of the blocks equals `renderMarkdown(text)`
 * (markdown-stream.test.ts checks it at every split point of long texts).
 */
import type { Token, Tokens } from 'marked';
import { lexMarkdown, renderMarkdown, renderTokens } from './markdown';

/** One rendered piece of a message: a run of final top-level blocks, or the open tail. */
export interface MarkdownBlock {
  /** Offset of the block's first character in the text; a final block keeps it, so a keyed list keeps its DOM. */
  readonly key: number;
  /** Sanitized HTML, safe for `{@html}`. */
  readonly html: string;
  /** True when no later text can change this block: it was rendered once and stays as it is. */
  readonly final: boolean;
}

/** The state of one streamed message. */
export interface MarkdownStream {
  /**
   * Blocks for `text`. When `text` extends the text of the previous call
   * past the final blocks, those are reused and only the rest is rendered;
   * any other text starts over. The array is new on each call; final blocks
   * are the same objects.
   */
  update(text: string): readonly MarkdownBlock[];
  /** Keeps the current blocks in a shared cache, so a stream created later for the same text starts from them. */
  remember(): void;
}

interface Snapshot {
  text: string;
  /** Final blocks, in order. */
  finals: MarkdownBlock[];
  /** Length of the text the final blocks cover. */
  finalEnd: number;
  tail: MarkdownBlock | null;
  /** Rendering the whole text each time (see the module comment). */
  whole: boolean;
}

/** Virtualized rows remount while scrolling: a remounted row finds its blocks here. */
const cache = new Map<string, Snapshot>();
const CACHE_LIMIT = 400;

/** Blocks that a line after a blank line may still join: a list (its next item), an indented code block, a block quote. */
const mayContinue = (t: Token | undefined) =>
  t !== undefined && (t.type === 'list' || t.type === 'blockquote' || (t.type === 'code' && (t as Tokens.Code).codeBlockStyle === 'indented'));

const hasKeys = (o: object) => {
  for (const _ in o) return true;
  return false;
};

/** Creates the state of one streamed message (one per rendered message). */
export function createMarkdownStream(): MarkdownStream {
  let state: Snapshot = { text: '', finals: [], finalEnd: 0, tail: null, whole: false };

  function blocks(): readonly MarkdownBlock[] {
    return state.tail ? [...state.finals, state.tail] : [...state.finals];
  }

  function renderWhole(text: string): readonly MarkdownBlock[] {
    const html = renderMarkdown(text);
    state = { text, finals: [], finalEnd: 0, tail: html ? { key: 0, html, final: false } : null, whole: true };
    return blocks();
  }

  function update(text: string): readonly MarkdownBlock[] {
    if (text === state.text) return blocks();
    const extendsFinals = text.length >= state.finalEnd && text.startsWith(state.text.slice(0, state.finalEnd));
    if (state.whole) return extendsFinals && text.startsWith(state.text) ? renderWhole(text) : restart(text);
    if (!extendsFinals) return restart(text);

    const start = state.finalEnd;
    const open = text.slice(start);
    if (open.includes('\r')) return renderWhole(text);
    const tokens = lexMarkdown(open);
    if (hasKeys(tokens.links)) return renderWhole(text);

    // The split: the last block after a blank line whose first line is complete (see the module comment).
    let split = 0;
    let splitAt = 0;
    let offset = 0;
    let rawTotal = 0;
    for (const t of tokens) rawTotal += t.raw.length;
    if (rawTotal === open.length) {
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (i > 0 && t.type !== 'space' && tokens[i - 1].type === 'space' && (!mayContinue(tokens[i - 2]) || open.includes('\n', offset))) {
          split = i;
          splitAt = offset;
        }
        offset += t.raw.length;
      }
    }

    // Blank lines alone render to nothing: no block for them.
    const finals = state.finals;
    const finalHtml = split > 0 ? renderTokens(tokens.slice(0, split)) : '';
    if (finalHtml) finals.push({ key: start, html: finalHtml, final: true });
    const tailStart = start + splitAt;
    const tailHtml = renderTokens(split > 0 ? tokens.slice(split) : tokens);
    state = { text, finals, finalEnd: tailStart, tail: tailHtml ? { key: tailStart, html: tailHtml, final: false } : null, whole: false };
    return blocks();
  }

  function restart(text: string): readonly MarkdownBlock[] {
    const hit = cache.get(text);
    if (hit) {
      state = { ...hit, finals: [...hit.finals] };
      return blocks();
    }
    state = { text: '', finals: [], finalEnd: 0, tail: null, whole: false };
    return update(text);
  }

  return {
    update: (text) => (state.text === '' ? restart(text) : update(text)),
    remember() {
      if (!state.text) return;
      cache.delete(state.text);
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(state.text, { ...state, finals: [...state.finals] });
    },
  };
}
