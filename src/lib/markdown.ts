/**
 * Assistant prose as HTML: markdown through `marked`, then DOMPurify. Model
 * output is untrusted (a prompt-injected page can make the agent write
 * anything), so nothing in it may execute or load:
 * - raw HTML in the markdown is shown as text, not parsed;
 * - images become plain links (a remote image is a silent request out);
 * - DOMPurify keeps only the HTML profile (no SVG or MathML), drops styles and
 *   forms, and only safe URL schemes survive on links;
 * - links open outside the app window.
 */
import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';
import { Marked, type Token, type TokensList, type Tokens } from 'marked';

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

const marked = new Marked({ gfm: true, async: false });
marked.use({
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ href, text }: Tokens.Image) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

const SANITIZE = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'img', 'picture', 'video', 'audio', 'source', 'iframe', 'object', 'embed', 'button', 'select', 'textarea'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
};

/** Two purifiers with their configuration set once (DOMPurify re-parses a config passed per call): to a string, and in place. */
const purifiers: { string?: Purifier; inPlace?: Purifier } = {};

function getPurifier(kind: 'string' | 'inPlace'): Purifier {
  const existing = purifiers[kind];
  if (existing) return existing;
  const p = DOMPurify(window);
  p.setConfig({ ...SANITIZE, IN_PLACE: kind === 'inPlace' });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return (purifiers[kind] = p);
}

/**
 * Lexes markdown into marked's top-level block tokens (inline tokens inside).
 * Each token's `raw` is its source; `links` holds the reference definitions
 * (`[label]: url`) found, which resolve links anywhere in the text.
 */
export function lexMarkdown(text: string): TokensList {
  return marked.lexer(text);
}

/** Renders lexed tokens to sanitized HTML, safe for `{@html}`: the same pipeline as {@link renderMarkdown}. */
export function renderTokens(tokens: Token[]): string {
  return getPurifier('string').sanitize(marked.parser(tokens)) as string;
}

/**
 * Renders lexed tokens with the same pipeline and profile as
 * {@link renderTokens}, as an element: marked's HTML is parsed once into a
 * `<div class="holderClass">` of a document with no browsing context (nothing
 * in it runs or loads), DOMPurify sanitizes that tree in place, and the
 * holder replaces the children of `target`. One HTML parse instead of two
 * (sanitize to a string, then `innerHTML`), and no HTML string is made from
 * the sanitized tree: the open tail of a streamed answer takes this path on
 * every delta. Each call parses in a new inert document: DOM engines walk
 * every live node iterator of a document on each node removal, and the
 * sanitizer's iterators would pile up in a shared one.
 */
export function renderTokensInto(target: Element, tokens: Token[], holderClass: string): void {
  const holder = document.implementation.createHTMLDocument('').createElement('div');
  holder.innerHTML = marked.parser(tokens);
  getPurifier('inPlace').sanitize(holder);
  holder.className = holderClass;
  target.replaceChildren(holder);
}

/** A small cache: virtualized rows remount while scrolling, and re-rendering long markdown each time is wasted work. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 400;

/** Renders untrusted markdown to sanitized HTML, safe for `{@html}`. */
export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const html = getPurifier('string').sanitize(marked.parse(text) as string) as string;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, html);
  return html;
}
