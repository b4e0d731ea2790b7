/**
 * Paints highlighted tokens into rendered code: `<code>` elements of
 * markdown (sanitized HTML from markdown.ts) get their text replaced by
 * spans built with DOM calls — the token text goes into text nodes, the kind
 * into a class — so no HTML string is ever made from code.
 */
import { cachedHighlight, highlightCode, type CodeLine } from './highlighter';
import { languageForFence, type Language } from './languages';

/** Replaces the children of `code` with the tokens of `lines` (joined by line breaks). */
export function paintTokens(code: HTMLElement, lines: readonly CodeLine[]): void {
  const doc = code.ownerDocument;
  const fragment = doc.createDocumentFragment();
  lines.forEach((line, i) => {
    if (i > 0) fragment.append('\n');
    for (const token of line) {
      if (!token.kind) {
        fragment.append(token.text);
        continue;
      }
      const span = doc.createElement('span');
      span.className = `hl-${token.kind}`;
      span.textContent = token.text;
      fragment.append(span);
    }
  });
  code.replaceChildren(fragment);
  code.classList.add('highlighted');
}

/** The language of a markdown code element, from marked's `language-<info>` class. */
function languageOf(code: Element): Language | null {
  for (const name of code.classList) if (name.startsWith('language-')) return languageForFence(name.slice('language-'.length));
  return null;
}

/**
 * Highlights every `pre > code` with a known language under `root`: at once
 * when its tokens are cached, else when they are ready. A code element whose
 * text changed or that left the document meanwhile is left alone. Returns a
 * function that stops pending paints (an attachment's cleanup).
 */
export function highlightCodeBlocks(root: HTMLElement): () => void {
  let stopped = false;
  for (const code of root.querySelectorAll<HTMLElement>('pre > code')) {
    const language = languageOf(code);
    if (!language || code.classList.contains('highlighted')) continue;
    const text = code.textContent ?? '';
    const cached = cachedHighlight(text, language);
    if (cached) {
      paintTokens(code, cached);
      continue;
    }
    void highlightCode(text, language).then((lines) => {
      if (lines && !stopped && code.isConnected && code.textContent === text) paintTokens(code, lines);
    });
  }
  return () => {
    stopped = true;
  };
}
