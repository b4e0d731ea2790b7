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
 * The open tail is painted straight into its element (`renderTokensInto`:
 * one HTML parse, sanitized in place) rather than made into a sanitized
 * string and parsed again; its `html` is only made when read.
 *
 * The concatenated HTML of the final blocks and the tail equals
 * `renderMarkdown(text)` (markdown-stream.test.ts checks it at every split
 * point of long texts).
 */
import type { Token, Tokens } from 'marked';
import { lexMarkdown, renderTokens, renderTokensInto } from './markdown';

/** A run of final top-level blocks: rendered and sanitized once, never changed by later text. */
export interface MarkdownBlock {
  /** Offset of the block's first character in the text; a keyed list keeps its DOM. */
  readonly key: number;
  /** Sanitized HTML, safe for `{@html}`. */
  readonly html: string;
}

/** The open tail: the blocks that later text may still change, rendered again on every delta. */
export interface MarkdownTail {
  /** Offset of the tail's first character in the text. */
  readonly key: number;
  /** Sanitized HTML of the tail (made on first read: the view paints instead). */
  readonly html: string;
  /** Replaces the children of `target` with one `<div class="holderClass">` holding the tail, sanitized (see `renderTokensInto`). */
  paintInto(target: Element, holderClass: string): void;
}

/** What a message renders as: its final blocks, in order, then the open tail (null when it renders to nothing). */
export interface MarkdownRender {
  /** The same array object as long as no block became final, so a view can skip unchanged finals. */
  readonly finals: readonly MarkdownBlock[];
  readonly tail: MarkdownTail | null;
}

/** The state of one streamed message. */
export interface MarkdownStream {
  /**
   * The render of `text`. When `text` extends the text of the previous call
   * past the final blocks, those are reused and only the rest is lexed and
   * rendered; any other text starts over.
   */
  update(text: string): MarkdownRender;
  /** Keeps the current render in a shared cache, so a stream created later for the same text starts from it. */
  remember(): void;
}

interface Snapshot extends MarkdownRender {
  text: string;
  /** Length of the text the final blocks cover. */
  finalEnd: number;
  /** Rendering the whole text each time (see the module comment). */
  whole: boolean;
}

/** Virtualized rows remount while scrolling: a remounted row finds its render here. */
const cache = new Map<string, Snapshot>();
const CACHE_LIMIT = 400;

/** Blocks that a line after a blank line may still join: a list (its next item), an indented code block, a block quote. */
const mayContinue = (t: Token | undefined) =>
  t !== undefined && (t.type === 'list' || t.type === 'blockquote' || (t.type === 'code' && (t as Tokens.Code).codeBlockStyle === 'indented'));

const hasKeys = (o: object) => {
  for (const _ in o) return true;
  return false;
};

/** Blank lines render to nothing: no tail for them. */
const rendersNothing = (tokens: Token[]) => tokens.every((t) => t.type === 'space');

/** A tail over lexed tokens (a whole `TokensList` keeps its reference definitions). */
function tailOf(key: number, tokens: Token[]): MarkdownTail | null {
  if (rendersNothing(tokens)) return null;
  let html: string | undefined;
  return {
    key,
    get html() {
      return (html ??= renderTokens(tokens));
    },
    paintInto: (target, holderClass) => renderTokensInto(target, tokens, holderClass),
  };
}

const EMPTY: Snapshot = { text: '', finals: [], finalEnd: 0, tail: null, whole: false };

/** Creates the state of one streamed message (one per rendered message). */
export function createMarkdownStream(): MarkdownStream {
  let state: Snapshot = EMPTY;

  function renderWhole(text: string): MarkdownRender {
    state = { text, finals: [], finalEnd: 0, tail: tailOf(0, lexMarkdown(text)), whole: true };
    return state;
  }

  function update(text: string): MarkdownRender {
    if (text === state.text) return state;
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

    let finals = state.finals;
    const finalHtml = split > 0 ? renderTokens(tokens.slice(0, split)) : '';
    if (finalHtml) finals = [...finals, { key: start, html: finalHtml }];
    const tailStart = start + splitAt;
    const tail = tailOf(tailStart, split > 0 ? tokens.slice(split) : tokens);
    state = { text, finals, finalEnd: tailStart, tail, whole: false };
    return state;
  }

  function restart(text: string): MarkdownRender {
    const hit = cache.get(text);
    if (hit) return (state = hit);
    state = EMPTY;
    return update(text);
  }

  return {
    update: (text) => (state.text === '' ? restart(text) : update(text)),
    remember() {
      if (!state.text) return;
      cache.delete(state.text);
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(state.text, state);
    },
  };
}
