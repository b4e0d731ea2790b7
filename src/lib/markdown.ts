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

let purifier: Purifier | null = null;

function getPurifier(): Purifier {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return (purifier = p);
}

const SANITIZE = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'img', 'picture', 'video', 'audio', 'source', 'iframe', 'object', 'embed', 'button', 'select', 'textarea'],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
};

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
  return getPurifier().sanitize(marked.parser(tokens), SANITIZE) as string;
}

/** A small cache: virtualized rows remount while scrolling, and re-rendering long markdown each time is wasted work. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 400;

/** Renders untrusted markdown to sanitized HTML, safe for `{@html}`. */
export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const html = getPurifier().sanitize(marked.parse(text) as string, SANITIZE) as string;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, html);
  return html;
}
