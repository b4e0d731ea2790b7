/**
 * Tokenizing code with shiki: the core with the JavaScript regex engine (no
 * WASM, nothing for the CSP to allow), one theme, and the grammars of
 * `languages.ts`, each loaded the first time it is needed. Runs in the
 * highlight worker, or on the main thread where workers are unavailable.
 *
 * Tokens come back as text plus a kind (`keyword`, `string`…), never as
 * HTML: the UI puts the text in text nodes and the kind in a class, and the
 * stylesheet colours each class for the light and the dark theme.
 */
import type { HighlighterCore } from 'shiki/core';
import { loadGrammar, type Language } from './languages';

/** What colours a token; the CSS class is `hl-<kind>`. */
export type TokenKind = 'keyword' | 'constant' | 'entity' | 'tag' | 'string' | 'variable' | 'comment' | 'invalid' | 'regexp';

/** A run of text in one colour; `kind` null is the plain text colour. */
export interface CodeToken {
  text: string;
  kind: TokenKind | null;
}

/** One line of code as tokens, without its line break. */
export type CodeLine = CodeToken[];

/** Lines longer than this (characters) stay plain (minified files). */
const MAX_LINE_CHARS = 2_000;
/**
 * Time (ms) one line may take before the rest of it stays plain. shiki's
 * default (500) cuts the first line short on a busy machine, because that
 * line pays for compiling the grammar; the limit only guards against a
 * runaway regex.
 */
const LINE_TIME_LIMIT_MS = 20_000;
/** Lines tokenized per task before yielding to the event loop. */
const CHUNK_LINES = 60;

/**
 * The theme tokens are coloured with, and its colours → kinds. GitHub Dark
 * (shipped with shiki); the stylesheet (src/app.css) gives each kind a
 * colour for the light and the dark scheme. A colour not listed is plain text.
 */
const THEME = 'github-dark';
const KIND_OF_COLOUR: Record<string, TokenKind> = {
  '#F97583': 'keyword',
  '#79B8FF': 'constant',
  '#B392F0': 'entity',
  '#85E89D': 'tag',
  '#9ECBFF': 'string',
  '#FFAB70': 'variable',
  '#6A737D': 'comment',
  '#FDAEB7': 'invalid',
  '#DBEDFF': 'regexp',
};

let core: Promise<HighlighterCore> | null = null;
const grammars = new Map<Language, Promise<void>>();

function highlighter(): Promise<HighlighterCore> {
  core ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([import('shiki/core'), import('shiki/engine/javascript')]);
    return createHighlighterCore({ themes: [import('@shikijs/themes/github-dark')], langs: [], engine: createJavaScriptRegexEngine({ forgiving: true }) });
  })();
  return core;
}

function ensureGrammar(h: HighlighterCore, language: Language): Promise<void> {
  let loading = grammars.get(language);
  if (!loading) {
    loading = loadGrammar(language).then((m) => h.loadLanguage(m.default));
    grammars.set(language, loading);
    loading.catch(() => grammars.delete(language)); // a chunk that failed to load may load next time
  }
  return loading;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Tokenizes `code` as `language`: one `CodeLine` per line of `code` (split
 * at "\n"), in chunks of lines with a yield to the event loop between them.
 * Rejects when shiki or the grammar fails to load.
 */
export async function tokenize(code: string, language: Language): Promise<CodeLine[]> {
  const h = await highlighter();
  await ensureGrammar(h, language);
  const lines = code.split('\n');
  const out: CodeLine[] = [];
  let grammarState;
  for (let i = 0; i < lines.length; i += CHUNK_LINES) {
    if (i > 0) await yieldToEventLoop();
    const chunk = lines.slice(i, i + CHUNK_LINES).join('\n');
    const result = h.codeToTokens(chunk, { lang: language, theme: THEME, grammarState, tokenizeMaxLineLength: MAX_LINE_CHARS, tokenizeTimeLimit: LINE_TIME_LIMIT_MS });
    grammarState = result.grammarState;
    for (const line of result.tokens) out.push(line.map((t) => ({ text: t.content, kind: (t.color && KIND_OF_COLOUR[t.color.toUpperCase()]) || null })));
  }
  return out;
}
